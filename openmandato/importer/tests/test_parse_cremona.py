from openmandato.importer.parsing import parse_text

SECTION_TITLES = [
    "POLO DI SVILUPPO",
    "POLO ALTA FORMAZIONE",
    "POLO DOLCIARIO",
    "SVILUPPO DI AREE PRODUTTIVE",
    "SVILUPPO DELL’AREA DI TENCARA",
    "SOSTEGNO A FRAGILITA’ LAVORATIVE",
    "PIANO LOCALE GIOVANI",
]


def parse(path):
    return parse_text(path.read_text(encoding="utf-8"))


def test_it_nests_seven_sections_under_the_chapter(cremona_path):
    tree = parse(cremona_path)
    assert [s.title for s in tree.sections] == ["Città che genera lavoro e sviluppo"]
    chapter = tree.sections[0]
    assert [s.title for s in chapter.sections] == SECTION_TITLES
    assert chapter.summary.startswith("E’ questione chiave individuare una traiettoria")


def test_it_finds_twenty_leaf_actions(cremona_path):
    assert len(list(parse(cremona_path).leaf_actions())) == 20


def test_it_reads_objectives_inline_and_on_their_own_line(cremona_path):
    sections = {s.title: s for s in parse(cremona_path).sections[0].sections}
    assert sections["POLO DI SVILUPPO"].objective == "Costruire un Polo di Sviluppo della città"
    assert sections["PIANO LOCALE GIOVANI"].objective == "Definire le linee di un piano locale giovani"


def test_it_splits_delegations_into_areas(cremona_path):
    sections = {s.title: s for s in parse(cremona_path).sections[0].sections}
    assert sections["POLO DI SVILUPPO"].areas == [
        "Area sviluppo, lavoro e politiche di area vasta",
        "Area gestione, territorio e comunità",
    ]
    assert sections["POLO DOLCIARIO"].areas == ["Area sviluppo, lavoro e politiche di area vasta"]
    assert (
        sections["SOSTEGNO A FRAGILITA’ LAVORATIVE"].areas[1] == "Area welfare di comunità e coesione sociale"
    )


def test_dash_lists_under_a_sub_heading_become_its_children(cremona_path):
    section = parse(cremona_path).sections[0].sections[1]
    assert [a.title for a in section.actions] == [
        "Polo alta formazione e ricerca agroalimentare",
        "Polo alta formazione e ricerca liutario",
        "Polo alta formazione e ricerca musicale",
    ]
    liutario = section.actions[1]
    assert len(liutario.actions) == 3
    assert (
        liutario.actions[1].text
        == "costituire un tavolo della liuteria per affrontare la frammentazione del settore"
    )


def test_paragraphs_become_actions(cremona_path):
    section = parse(cremona_path).sections[0].sections[3]
    assert len(section.actions) == 2
    assert section.actions[1].text.startswith("Area Porto Canale: verifica con tutti i soggetti")


def test_key_actions_detail_the_macroaction_before_them(cremona_path):
    section = parse(cremona_path).sections[0].sections[6]
    assert len(section.actions) == 1
    macro = section.actions[0]
    assert macro.text.startswith("Promozione di azioni di sistema")
    assert len(macro.actions) == 5
    assert (
        macro.actions[2].title
        == "Sostenere iniziative ideate e gestite da giovani o da associazioni giovanili"
    )


def test_the_page_footer_is_not_an_action(cremona_path):
    texts = [a.text for a in parse(cremona_path).leaf_actions()]
    assert not [t for t in texts if "Scarica" in t or "©" in t or "All rights reserved" in t]
    last_section = parse(cremona_path).sections[0].sections[-1]
    assert last_section.areas == [
        "Area sviluppo, lavoro e politiche di area vasta",
        "Area welfare di comunità e coesione sociale",
    ]


def test_titles_are_short_and_texts_complete(cremona_path):
    for action in parse(cremona_path).leaf_actions():
        assert len(action.title) <= 160
        assert action.text
    first = parse(cremona_path).sections[0].sections[0].actions[0]
    assert first.text.endswith("per sbloccare il processo di emissione del bando per la sua costruzione.")
    assert first.title.endswith("…")


def test_it_reads_the_mayor_and_document_title(cremona_path):
    tree = parse(cremona_path)
    assert tree.mayor == "Gianluca Galimberti"
    assert tree.title == "Linee di Mandato"
    assert tree.municipality is None
