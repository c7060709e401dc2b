"""The kinds of layout real programs use, each in a small made-up document: symbol-font bullets,
numbered sector headings, items run inline, labelled actions, analysis and introductions that are not
commitments, titles with abbreviations, responsible-office lines, and Word's Title style."""

import io

import pytest
from docx import Document as WordDocument

from openmandato.importer.errors import ImportRejected
from openmandato.importer.parsing import parse_blocks, parse_text
from openmandato.importer.reading import read_bytes
from openmandato.importer.text import make_title


def leaves(tree):
    return [leaf.text for leaf in tree.leaf_actions()]


def titles(tree):
    return [section.title for section in tree.all_sections()]


def test_symbol_font_bullets_are_list_items():
    tree = parse_text(
        "Ambiente\n"
        "⚫ Piantare mille alberi nei parchi\n"
        "\uf0d8 Estendere la raccolta porta a porta\n"
        "■ Aprire il nuovo ecocentro\n"
        "\uf0b7Pulire gli argini del torrente\n"
    )
    assert leaves(tree) == [
        "Piantare mille alberi nei parchi",
        "Estendere la raccolta porta a porta",
        "Aprire il nuovo ecocentro",
        "Pulire gli argini del torrente",
    ]


def test_numbered_sector_headings_and_items_run_inline():
    tree = parse_text(
        "PROGRAMMA AMMINISTRATIVO\n"
        "1° - SETTORE TURISMO:\n"
        "* Costruire il porto turistico. *Riaprire la biblioteca civica.\n"
        "* Ricostruire il trabucco. 2° - WELFARE E SERVIZI\n"
        "* GENNAIO: *Concerto di Capodanno in piazza\n"
        "20* - PARCO NAZIONALE. Il parco sarà una risorsa per tutti i cittadini.\n"
    )
    assert [s.title for s in tree.sections] == [
        "1° - SETTORE TURISMO",
        "2° - WELFARE E SERVIZI",
        "20* - PARCO NAZIONALE.",
    ]
    assert leaves(tree) == [
        "Costruire il porto turistico.",
        "Riaprire la biblioteca civica.",
        "Ricostruire il trabucco.",
        "GENNAIO: *Concerto di Capodanno in piazza",
        "Il parco sarà una risorsa per tutti i cittadini.",
    ]


def test_labelled_actions_with_their_objective_and_offices():
    tree = parse_text(
        "FONTI NORMATIVE\n"
        "- Legge n. 125/1991: azioni positive per la parità\n"
        "- Decreto Legislativo n. 198/2006: codice delle pari opportunità\n"
        "1) Conciliazione dei tempi di vita e di lavoro. Favorire l'equilibrio tra famiglia e lavoro.\n"
        "Finalità strategiche: Potenziare le capacità dei lavoratori.\n"
        "Azione positiva 1: Consentire orari personalizzati a chi ne ha bisogno.\n"
        "Azione positiva 2: Prevedere agevolazioni per il rientro dal congedo.\n"
        "Soggetti e Uffici coinvolti: Responsabili di Servizio, Ufficio Risorse Umane. "
        "A chi è rivolto: a tutti.\n"
        "2) Sviluppo di carriera.\n"
        "Azione positiva 1: Programmare percorsi formativi per tutto il personale.\n"
    )
    assert tree.layout == "labelled"
    first, second = tree.sections
    assert first.title == "1) Conciliazione dei tempi di vita e di lavoro."
    assert first.objective == "Potenziare le capacità dei lavoratori."
    assert first.areas == ["Responsabili di Servizio", "Ufficio Risorse Umane"]
    assert "Favorire l'equilibrio" in first.summary
    assert [a.text for a in first.actions] == [
        "Consentire orari personalizzati a chi ne ha bisogno.",
        "Prevedere agevolazioni per il rientro dal congedo.",
    ]
    assert len(second.actions) == 1
    assert not any("Legge" in text for text in leaves(tree))


def test_one_objective_line_does_not_switch_the_whole_document_to_headed_blocks():
    tree = parse_text(
        "# Mobilità\n\nPiano della sosta\nObiettivo: una città più scorrevole.\n\n"
        "- Nuove rotatorie agli incroci pericolosi\n- Mappare le aree di sosta\n\n"
        "# Scuola\n\nStudio e comunità\nObiettivo: scuole aperte.\n\n"
        "- Aprire i cortili il pomeriggio\n- Mensa con prodotti locali\n"
    )
    assert tree.layout == "outline"
    assert len(leaves(tree)) == 4
    assert all(len(leaf) < 60 for leaf in leaves(tree))


def test_introduction_premessa_and_analysis_are_not_actions():
    tree = parse_text(
        "# Introduzione\n\nVogliamo una città più giusta: questo programma nasce dall'ascolto.\n\n"
        "# Ambiente\n\n## Stato attuale e criticità\n\n- Pochi alberi in centro\n- Argini trascurati\n\n"
        "## Le nostre proposte\n\n- Piantare mille alberi\n- Pulire gli argini\n\n"
        "# Analisi SWOT\n\n## Punti di forza\n\n- Un centro storico ben tenuto\n\n"
        "## Punti di debolezza\n\n- Trasporti scarsi\n"
    )
    assert leaves(tree) == ["Piantare mille alberi", "Pulire gli argini"]
    assert "Introduzione" not in titles(tree)
    assert any("analisi" in warning for warning in tree.warnings)


def test_purpose_lists_stay_details_of_their_lead_in():
    tree = parse_text(
        "# Parcheggi\n\nAvvieremo la mappatura delle aree di sosta, con l'obiettivo di:\n"
        "- individuare nuove zone\n- integrare il piano del traffico\n\n"
        "# Scuola\n\nCi impegniamo a:\n- riaprire la mensa\n- ampliare il cortile\n"
    )
    assert leaves(tree) == [
        "Avvieremo la mappatura delle aree di sosta, con l'obiettivo di individuare nuove zone; "
        "integrare il piano del traffico.",
        "riaprire la mensa",
        "ampliare il cortile",
    ]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Incontro con l'Avv. Rossi sui contratti. Poi il resto.", "Incontro con l'Avv. Rossi sui contratti"),
        (
            "Applicare il nuovo C.C.N.L. Enti Locali alle paghe. Dettagli.",
            "Applicare il nuovo C.C.N.L. Enti Locali alle paghe",
        ),
        (
            "Piano per il Comune di Avella (PROV. AV) entro il 2026. Altro.",
            "Piano per il Comune di Avella (PROV. AV) entro il 2026",
        ),
        ("Festa di S. Antonio abate nei rioni. Con musica.", "Festa di S. Antonio abate nei rioni"),
    ],
)
def test_titles_are_not_cut_at_abbreviations(text, title):
    assert make_title(text) == title


def test_responsible_office_lines_in_other_forms_are_areas():
    tree = parse_text(
        "# Scuola\n\nUfficio responsabile: Servizi educativi\n\n"
        "- Ristrutturare la primaria\n- Aprire un centro giovani\n\n"
        "# Ambiente\n\nSettore competente¹: Ambiente; Lavori pubblici\n\n"
        "- Piantare alberi\n- Pulire gli argini\n"
    )
    assert [s.areas for s in tree.sections] == [["Servizi educativi"], ["Ambiente", "Lavori pubblici"]]


def word_program() -> bytes:
    document = WordDocument()
    document.add_paragraph("Programma di mandato 2024-2029", style="Title")
    document.add_paragraph("Comune di Roccabella")
    document.add_paragraph("Sindaca: Maria Rossi")
    document.add_heading("Introduzione", level=1)
    document.add_paragraph("Questo programma nasce dall'ascolto dei cittadini e dei quartieri.")
    document.add_paragraph("Vogliamo una città più giusta e più verde per tutti.")
    document.add_heading("Scuola e giovani", level=1)
    document.add_paragraph("Ufficio responsabile: Servizi educativi")
    document.add_paragraph("Ristrutturare la scuola primaria di via Roma", style="List Bullet")
    document.add_paragraph("Aprire un centro giovani nel quartiere Nord", style="List Bullet")
    document.add_heading("Ambiente", level=1)
    document.add_paragraph("Ufficio responsabile: Ambiente; Lavori pubblici")
    document.add_paragraph("Piantare mille alberi nei parchi cittadini", style="List Bullet")
    document.add_paragraph("Estendere la raccolta porta a porta", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_program_with_title_mayor_and_introduction():
    tree = parse_blocks(read_bytes(word_program(), "programma.docx").blocks)
    assert [s.title for s in tree.sections] == ["Scuola e giovani", "Ambiente"]
    assert [s.areas for s in tree.sections] == [["Servizi educativi"], ["Ambiente", "Lavori pubblici"]]
    assert leaves(tree) == [
        "Ristrutturare la scuola primaria di via Roma",
        "Aprire un centro giovani nel quartiere Nord",
        "Piantare mille alberi nei parchi cittadini",
        "Estendere la raccolta porta a porta",
    ]
    assert (tree.title, tree.municipality, tree.mayor, tree.period) == (
        "Programma di mandato 2024-2029",
        "Roccabella",
        "Maria Rossi",
        "2024-2029",
    )


def test_an_empty_word_document_is_still_refused():
    document = WordDocument()
    document.add_paragraph("Programma", style="Title")
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(ImportRejected):
        parse_blocks(read_bytes(buffer.getvalue(), "vuoto.docx").blocks)


def test_a_table_of_contents_repeating_the_themes_is_not_sections_nor_actions():
    tree = parse_text(
        "# Programma di mandato\n\n"
        "1. Mobilità ........ 3\n2. Scuola ........ 5\n3. Ambiente ........ 7\n\n"
        "## Mobilità\n\n- Nuove piste ciclabili\n- Bus elettrici\n\n"
        "## Scuola\n\n- Mensa con prodotti locali\n- Cortili aperti\n\n"
        "## Ambiente\n\n- Mille alberi nei parchi\n- Raccolta porta a porta\n"
    )
    assert len(leaves(tree)) == 6
    assert not any("...." in leaf for leaf in leaves(tree))


def test_an_index_box_without_page_numbers_is_dropped_too():
    tree = parse_text(
        "# Il programma\n\n- Mobilità\n- Scuola\n- Ambiente\n\n"
        "## Mobilità\n\n- Nuove piste ciclabili\n- Bus elettrici\n\n"
        "## Scuola\n\n- Mensa con prodotti locali\n- Cortili aperti\n\n"
        "## Ambiente\n\n- Mille alberi nei parchi\n- Raccolta porta a porta\n"
    )
    assert "Mobilità" not in leaves(tree)
    assert len(leaves(tree)) == 6


def test_markdown_emphasis_at_the_start_of_a_line_is_not_a_bullet():
    tree = parse_text(
        "# Mobilità\n\n**Obiettivo:** una città più scorrevole.\n\n- Nuove rotatorie\n- Piste ciclabili\n\n"
        "# Scuola\n\n*Nota* di metodo sulle scuole.\n\n- Mensa con prodotti locali\n- Cortili aperti\n"
    )
    assert leaves(tree) == [
        "Nuove rotatorie",
        "Piste ciclabili",
        "Mensa con prodotti locali",
        "Cortili aperti",
    ]
    assert tree.sections[0].objective == "una città più scorrevole."
