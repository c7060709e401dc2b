"""The importer on documents it has never seen: every format and layout of the synthetic corpus, scored
by leaf-action F1 (matching an action by its opening words) and section recall."""

import pytest
from fpdf import FPDF

from openmandato.importer.errors import ImportRejected
from openmandato.importer.parsing import parse_blocks
from openmandato.importer.reading import read_bytes
from openmandato.importer.tests import corpus

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def parse(name, themes):
    filename, data = corpus.RENDERERS[name](themes)
    return parse_blocks(read_bytes(data, filename).blocks)


@pytest.mark.parametrize("name", sorted(corpus.RENDERERS))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_format_and_layout_meets_the_quality_bar(name, seed):
    themes = corpus.make_program(seed, themes=3 + seed % 3, per_theme=4 + seed)
    tree = parse(name, themes)
    _precision, _recall, f1 = corpus.scores(corpus.leaves(themes), [a.text for a in tree.leaf_actions()])
    assert f1 >= 0.9, (name, f1)
    titles = [s.title.lower() for s in tree.all_sections()]
    section_recall = sum(any(t.title.lower() in title for title in titles) for t in themes) / len(themes)
    assert section_recall >= 0.9, (name, section_recall)


def test_numbering_is_kept_as_printed_with_gaps_and_repeats():
    text = (
        "# Ambiente\n\n1. Piantare alberi nei parchi.\n3. Rifare le aiuole.\n3. Pulire i fossi.\n"
        "4. Nuove panchine.\n"
    )
    section = parse_blocks(read_bytes(text.encode(), "p.md").blocks).sections[0]
    assert [a.code for a in section.actions] == ["1", "3", "3", "4"]


def test_sub_numbers_and_letters_nest_under_their_action():
    text = (
        "# Scuola\n\n1. Rinnovare le scuole.\n1.1 Tetto della primaria.\n1.2 Palestra.\n"
        "2. Mense di qualità.\na) Menu biologici.\nb) Meno plastica.\n"
    )
    section = parse_blocks(read_bytes(text.encode(), "p.md").blocks).sections[0]
    assert [(a.code, [c.code for c in a.actions]) for a in section.actions] == [
        ("1", ["1.1", "1.2"]),
        ("2", ["a", "b"]),
    ]


def test_dup_documents_keep_mission_and_programme_codes():
    themes = corpus.make_program(5, themes=2, per_theme=3)
    tree = parse("text-dup", themes)
    mission = tree.sections[0]
    assert mission.title.startswith("Missione 01")
    strategic = mission.sections[0].actions[0]
    assert strategic.code == "1.1" and strategic.dup_mission == "01" and strategic.dup_program == "01"
    assert tree.sections[1].sections[0].actions[0].dup_mission == "04"


def test_areas_from_tables_and_assessorato_lines():
    tree = parse("markdown-tables", corpus.make_program(4, themes=2, per_theme=2))
    assert tree.sections[0].sections[0].actions[0].areas == ["Settore lavori pubblici"]
    numbered = parse("markdown-numbered", corpus.make_program(4, themes=2, per_theme=2))
    assert numbered.sections[0].sections[0].areas == ["Settore lavori pubblici"]


def test_html_navigation_cookie_banner_and_footer_are_dropped():
    tree = parse("html-page", corpus.make_program(6, themes=2, per_theme=3))
    everything = " ".join(a.text for a in tree.leaf_actions()) + " ".join(
        s.title for s in tree.all_sections()
    )
    for noise in ["Amministrazione trasparente", "cookie", "Privacy", "P.IVA", "tracking"]:
        assert noise not in everything


def pdf_with(lines_per_page, header=True, columns=False, pages=3) -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", DEJAVU)
    pdf.set_auto_page_break(False)
    for page in range(pages):
        pdf.add_page()
        pdf.set_font("DejaVu", size=8)
        if header:
            pdf.set_xy(10, 8)
            pdf.cell(0, 5, "Comune di Borgoverde — Programma di mandato")
            pdf.set_xy(10, 285)
            pdf.cell(0, 5, f"Pagina {page + 1} di {pages}", align="C")
        pdf.set_font("DejaVu", size=10)
        for number, line in enumerate(lines_per_page(page)):
            x, y = (
                10 + (100 if columns and number >= 10 else 0),
                30 + (number % 10 if columns else number) * 6,
            )
            pdf.set_xy(x, y)
            pdf.cell(90 if columns else 0, 5, line)
    return bytes(pdf.output())


def test_pdf_hyphenation_running_headers_and_page_numbers():
    def lines(page):
        return [
            f"{page * 2 + 1}. Potenziare i servizi di tele-",
            "medicina con i medici di base.",
            f"{page * 2 + 2}. Aprire uno sportello per le famiglie.",
        ]

    tree = parse_blocks(read_bytes(pdf_with(lines), "p.pdf").blocks)
    texts = [a.text for a in tree.leaf_actions()]
    assert texts[0] == "Potenziare i servizi di telemedicina con i medici di base."
    assert len(texts) == 6 and [a.code for a in tree.leaf_actions()] == ["1", "2", "3", "4", "5", "6"]
    assert not [t for t in texts if "Pagina" in t or "Borgoverde" in t]


def test_pdf_metadata_is_read_from_the_running_header_too():
    tree = parse("pdf", corpus.make_program(3, themes=3, per_theme=4))
    assert (tree.municipality, tree.period) == ("Borgoverde", "2024-2029")
    assert not [a for a in tree.leaf_actions() if "Linee programmatiche" in a.text]


def test_pdf_columns_are_read_left_then_right():
    def lines(page):
        left = [f"{n}. Azione numero {n} della colonna sinistra." for n in range(1, 11)]
        right = [f"{n}. Azione numero {n} della colonna destra." for n in range(11, 21)]
        return left + right

    tree = parse_blocks(read_bytes(pdf_with(lines, columns=True, pages=1), "p.pdf").blocks)
    codes = [a.code for a in tree.leaf_actions()]
    assert codes == [str(n) for n in range(1, 21)]


def test_pdf_without_text_layer_or_with_a_password_is_refused_clearly():
    scanned = FPDF()
    scanned.add_page()
    scanned.rect(20, 20, 100, 50, style="F")
    with pytest.raises(ImportRejected, match="OCR"):
        read_bytes(bytes(scanned.output()), "scansione.pdf")
    locked = FPDF()
    locked.set_encryption(owner_password="owner", user_password="segreta")
    locked.add_page()
    locked.add_font("DejaVu", "", DEJAVU)
    locked.set_font("DejaVu", size=10)
    locked.cell(0, 5, "1. Azione riservata del programma.")
    with pytest.raises(ImportRejected, match="cifrato"):
        read_bytes(bytes(locked.output()), "protetto.pdf")


def test_docx_lists_keep_their_levels_and_numbers():
    tree = parse("docx", corpus.make_program(9, themes=2, per_theme=3))
    # The Title style is the document's title (metadata), not a section holding the themes.
    assert tree.title == "Programma di mandato 2024-2029 — Comune di Borgoverde"
    first = tree.sections[0]
    assert [a.code for a in first.actions] == ["1", "2", "3"]
    assert len(first.actions[1].actions) == 2  # "List Number 2" paragraphs nest under the item above
