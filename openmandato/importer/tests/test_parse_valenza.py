from openmandato.importer.parsing import parse_text


def parse(path):
    return parse_text(path.read_text(encoding="utf-8"))


def sections_by_title(tree):
    return {section.title: section for section in tree.sections}


def test_it_reads_the_metadata(valenza_path):
    tree = parse(valenza_path)
    assert tree.municipality == "Valenza"
    assert tree.title == "Programma elettorale 2020-2025"
    assert tree.period == "2020-2025"
    assert tree.mayor == "Luca Ballerini"


def test_it_finds_the_seven_principles(valenza_path):
    principles = parse(valenza_path).principles
    assert [p.title for p in principles] == [
        "FUTURO",
        "INCLUSIONE",
        "PARTECIPAZIONE",
        "SOLIDARIETÀ",
        "CREATIVITÀ",
        "SVILUPPO SOSTENIBILE",
        "RESILIENZA",
    ]
    assert principles[0].text.startswith("il futuro è ora!")


def test_one_section_per_stakeholder_table(valenza_path):
    tree = parse(valenza_path)
    assert [s.title for s in tree.sections] == [
        "Ambiente & Salute",
        "Bellezza",
        "Cultura",
        "Dipendenti comunali",
        "Famiglie&Anziani",
        "Bambini&Ragazzi",
        "Imprese&Lavoro",
        "Terzo Settore & Sport",
        "Under 30",
    ]
    assert [len(s.actions) for s in tree.sections] == [13, 9, 8, 8, 11, 5, 13, 11, 6]
    assert len(list(tree.leaf_actions())) == 84


def test_it_keeps_duplicate_action_numbers(valenza_path):
    tree = parse(valenza_path)
    bellezza = sections_by_title(tree)["Bellezza"]
    assert [a.code for a in bellezza.actions] == ["1", "2", "3", "4", "5", "6", "7", "7", "8"]
    sevens = [a.text for a in bellezza.actions if a.code == "7"]
    assert sevens[0].startswith("Trasformare le aree verdi cittadini")
    assert sevens[1].startswith("Realizzazione di un nuovo piano regolatore partecipato")
    assert tree.warnings == ["2 azioni numerate 7 in «Bellezza»"]


def test_narratives_become_summaries_even_where_names_differ(valenza_path):
    sections = sections_by_title(parse(valenza_path))
    assert sections["Bambini&Ragazzi"].summary.startswith("Le politiche per l’infanzia e adolescenza")
    assert sections["Famiglie&Anziani"].summary.startswith("Rappresentano il più numeroso interlocutore")
    assert sections["Ambiente & Salute"].summary.startswith("La tutela del noi")
    assert all(section.summary for section in sections.values())


def test_continuation_paragraphs_stay_with_their_narrative(valenza_path):
    sections = sections_by_title(parse(valenza_path))
    cultura = sections["Cultura"].summary.split("\n\n")
    assert len(cultura) == 2
    assert cultura[1].startswith("La cultura può essere infine la risposta alla “fuga di competenze”")
    dipendenti = sections["Dipendenti comunali"].summary
    assert dipendenti.endswith("alla base delle azioni dedicate ai dipendenti del comune.")
    assert "Le azioni suddivise per Stakeholder" not in dipendenti


def test_table_text_is_kept_as_printed(valenza_path):
    ambiente = sections_by_title(parse(valenza_path))["Ambiente & Salute"]
    assert ambiente.actions[7].code == "8"
    assert ambiente.actions[7].text == "Raddoppiare il progetto “un albero per ogni nato”"
    assert not [a for a in parse(valenza_path).leaf_actions() if a.text.endswith("|")]


def test_the_download_line_is_not_an_action(valenza_path):
    texts = [a.text for a in parse(valenza_path).leaf_actions()]
    assert not [t for t in texts if "Puoi scaricare" in t]
