"""The parser says how sure it is (per item and per document, with the layout it chose and why) and
finds the comune, the mayor, the period and the title where real documents put them."""

from openmandato.importer.parsing import parse_blocks, parse_text
from openmandato.importer.reading import read_bytes

CLEAN = (
    "# Programma di mandato 2024-2029\n\n## Mobilità\n\n1. Nuove piste ciclabili in centro\n"
    "2. Bus elettrici sulla linea 3\n\n## Scuola\n\n1. Mensa con prodotti locali\n"
    "2. Cortili scolastici aperti\n\n"
    "## Ambiente\n\n1. Mille alberi nei parchi\n2. Raccolta porta a porta\n"
)
PROSE = (
    "La nostra città ha una lunga storia di impegno civile e di partecipazione. "
    "Negli anni ha conosciuto momenti difficili e momenti di grande crescita.\n\n"
    "Le famiglie chiedono servizi migliori e una maggiore attenzione ai quartieri periferici.\n\n"
    "Il territorio è ricco di risorse naturali che meritano rispetto e cura costante.\n"
)


def test_a_clean_numbered_list_is_read_with_high_confidence():
    tree = parse_text(CLEAN)
    assert tree.confidence >= 0.9
    assert tree.layout == "outline"
    assert "6 azioni" in tree.layout_reason
    assert all(leaf.confidence >= 0.9 and not leaf.flags for leaf in tree.leaf_actions())
    assert not tree.warnings


def test_a_prose_only_document_gets_a_low_confidence_and_a_plain_warning():
    tree = parse_text(PROSE)
    assert tree.confidence < 0.5
    assert all("prose" in leaf.flags for leaf in tree.leaf_actions())
    assert tree.warnings and tree.warnings[0].startswith("Struttura incerta")


def test_prose_proposals_are_kept_and_flagged_while_background_prose_is_not():
    tree = parse_text(
        "# Mobilità\n\n## Il traffico oggi\n\nIl traffico attraversa il centro ogni mattina.\n\n"
        "## Il terzo ponte\n\n"
        "L'amministrazione intende avviare subito lo studio di fattibilità del ponte.\n\n"
        "Il ponte è atteso da anni.\n\n## Le piste\n\n"
        "- Una pista lungo il fiume\n- Una pista verso la stazione\n"
    )
    prose = [leaf for leaf in tree.leaf_actions() if "prose" in leaf.flags]
    assert [leaf.text for leaf in prose] == [
        "L'amministrazione intende avviare subito lo studio di fattibilità del ponte."
    ]
    assert prose[0].confidence < 0.9
    assert "Il traffico attraversa" not in " ".join(leaf.text for leaf in tree.leaf_actions())


def test_analysis_items_inside_a_list_are_flagged():
    tree = parse_text(
        "# Mobilità\n\n- Nuove piste ciclabili in centro\n- Criticità: il traffico di attraversamento\n"
    )
    flagged = [leaf for leaf in tree.leaf_actions() if "analysis" in leaf.flags]
    assert [leaf.text for leaf in flagged] == ["Criticità: il traffico di attraversamento"]
    assert flagged[0].confidence < 0.5


def test_the_tree_dict_carries_confidence_flags_and_source():
    data = parse_text(CLEAN).to_dict()
    assert {"confidence", "layout", "layout_reason"} <= data.keys()
    section = data["sections"][0]["sections"][0]
    action = section["actions"][0]
    assert section["source"] == {"page": None, "text": "Mobilità"}
    assert action["source"] == {"page": None, "text": "Nuove piste ciclabili in centro"}
    assert action["confidence"] == 1.0 and action["flags"] == []


def test_the_comune_in_a_heading_like_milazzo_colon():
    tree = parse_text("Milazzo: il programma per il 2024-2029\n\n# Porto\n\n- Nuovo molo\n- Pontili\n")
    assert (tree.municipality, tree.period) == ("Milazzo", "2024-2029")


def test_the_comune_and_mayor_from_an_html_title_and_heading():
    html = (
        "<html><head><title>Programma elettorale | Giuseppe Verdi Sindaco</title></head><body><main>"
        "<h1>Il programma per Lentini</h1><h2>Scuola</h2><ul><li>Mensa nuova</li><li>Cortili aperti</li></ul>"
        "<h2>Strade</h2><ul><li>Asfaltare via Roma</li><li>Nuovi marciapiedi</li></ul></main></body></html>"
    )
    tree = parse_blocks(read_bytes(html.encode(), "programma.html").blocks)
    assert (tree.municipality, tree.mayor) == ("Lentini", "Giuseppe Verdi")
    assert "Programma elettorale | Giuseppe Verdi Sindaco" not in [s.title for s in tree.all_sections()]


def test_the_mayor_from_a_cover_and_from_a_signature():
    cover = parse_text(
        "ELEZIONI AMMINISTRATIVE COMUNE DI ALPIGNANO\nCANDIDATO SINDACO\nANDREA OLIVA\n\n"
        "# Strade\n\n- Asfaltare via Roma\n- Nuovi marciapiedi\n"
    )
    assert (cover.municipality, cover.mayor) == ("Alpignano", "Andrea Oliva")
    assert "ANDREA OLIVA" not in [s.title for s in cover.all_sections()]
    signed = parse_text("# Strade\n\n- Asfaltare via Roma\n- Nuovi marciapiedi\n\nIn fede\nVincenzo Rossi\n")
    assert signed.mayor == "Vincenzo Rossi"
