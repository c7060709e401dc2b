"""The review editor: operations on the parsed tree, kept with the import and re-applied to the same
document; the preview's confidence, "Da controllare" list and metadata (issue 13, points 2, 3 and 5)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from openmandato.core.models import Membership
from openmandato.importer.editing import EditRejected, apply_edit, apply_edits, build_tree, flatten, normalise
from openmandato.importer.models import ProgramImport
from openmandato.programs.models import Action, Mandate, Municipality, Section
from openmandato.tests.fixtures import make_user


def action(title, code=None, **extra):
    return {"code": code, "title": title, "text": title, "areas": [], "actions": [], **extra}


def sample_tree():
    return {
        "municipality": "Borgo",
        "title": "Programma 2024-2029",
        "period": "2024-2029",
        "mayor": None,
        "principles": [],
        "warnings": [],
        "confidence": 0.9,
        "layout": "outline",
        "layout_reason": "titoli con elenchi numerati",
        "sections": [
            {
                "title": "Indice",
                "summary": "",
                "objective": "",
                "areas": [],
                "sections": [],
                "actions": [action("Ambiente"), action("Scuola")],
                "flags": ["toc"],
                "confidence": 0.2,
            },
            {
                "title": "Ambiente",
                "summary": "",
                "objective": "",
                "areas": ["Area ambiente"],
                "sections": [],
                "actions": [
                    action(
                        "Piantare alberi", "1", source={"page": 3, "text": "1. Piantare alberi nei parchi"}
                    ),
                    action("Punti di forza: il verde", "2", flags=["analysis"], confidence=0.3),
                    action("Centro del riuso. Aprire un ecocentro nuovo.", "3"),
                    action("Scuole", "4"),
                ],
            },
        ],
    }


def outline(items):
    return [(item["kind"], item["depth"], item["title"]) for item in items if not item["excluded"]]


def edited(*edits):
    items, meta, skipped = apply_edits(sample_tree(), list(edits))
    assert skipped == 0
    return items, meta


def test_the_tree_flattens_to_an_outline_with_stable_ids_and_defaults():
    items = flatten(sample_tree())
    assert [item["id"] for item in items] == [f"n{i}" for i in range(1, 9)]
    assert outline(items)[:4] == [
        ("section", 0, "Indice"),
        ("action", 1, "Ambiente"),
        ("action", 1, "Scuola"),
        ("section", 0, "Ambiente"),
    ]
    piantare = items[4]
    assert piantare["source"] == {"page": 3, "text": "1. Piantare alberi nei parchi"}
    assert piantare["confidence"] == 1.0 and piantare["flags"] == []
    assert items[5]["confidence"] == 0.3 and items[5]["flags"] == ["analysis"]


def test_delete_exclude_and_kind_changes_reach_the_imported_tree():
    items, meta = edited(
        {"op": "delete", "id": "n1"},  # the table of contents heading ...
        {"op": "exclude", "id": "n2"},  # ... its entries: not actions
        {"op": "exclude", "id": "n3"},
        {"op": "exclude", "id": "n6"},  # analysis, not a commitment
        {"op": "kind", "id": "n8", "kind": "section"},  # "Scuole" is a section: a sub-section first ...
    )
    tree, problems = build_tree(sample_tree(), items, meta)
    assert problems == []
    assert [s.title for s in tree.sections] == ["Ambiente"]
    assert [s.title for s in tree.sections[0].sections] == ["Scuole"]
    assert [a.title for a in tree.sections[0].actions] == [
        "Piantare alberi",
        "Centro del riuso. Aprire un ecocentro nuovo.",
    ]
    items, meta = edited({"op": "kind", "id": "n8", "kind": "section"}, {"op": "outdent", "id": "n8"})
    tree, problems = build_tree(sample_tree(), items, meta)
    assert [s.title for s in tree.sections] == ["Indice", "Ambiente", "Scuole"]  # ... then top level
    items, meta = edited(
        {"op": "kind", "id": "n8", "kind": "section"}, {"op": "kind", "id": "n8", "kind": "action"}
    )
    assert outline(items)[-1] == ("action", 1, "Scuole")  # ... and back


def test_indent_outdent_and_moves_keep_the_outline_consistent():
    items, _meta = edited({"op": "indent", "id": "n6"})
    assert outline(items)[4:6] == [
        ("action", 1, "Piantare alberi"),
        ("action", 2, "Punti di forza: il verde"),
    ]
    items, _meta = edited({"op": "indent", "id": "n6"}, {"op": "outdent", "id": "n6"})
    assert outline(items)[5] == ("action", 1, "Punti di forza: il verde")
    items, _meta = edited({"op": "up", "id": "n7"})
    assert [t for _k, _d, t in outline(items)[4:7]] == [
        "Piantare alberi",
        "Centro del riuso. Aprire un ecocentro nuovo.",
        "Punti di forza: il verde",
    ]
    items, _meta = edited({"op": "down", "id": "n1"})  # a section moves with its actions
    assert [t for _k, _d, t in outline(items)][:2] == ["Ambiente", "Piantare alberi"]
    assert outline(items)[5] == ("section", 0, "Indice")
    with pytest.raises(EditRejected):
        apply_edit(normalise(flatten(sample_tree())), {}, {"op": "up", "id": "n5"})
    with pytest.raises(EditRejected):
        apply_edit(normalise(flatten(sample_tree())), {}, {"op": "outdent", "id": "n1"})


def test_group_heading_merge_and_split():
    items, meta = edited({"op": "group", "id": "n5"})
    tree, _problems = build_tree(sample_tree(), items, meta)
    group = tree.sections[1].actions[0]
    assert group.title == "Piantare alberi" and len(group.actions) == 3
    items, meta = edited({"op": "group", "id": "n5"}, {"op": "ungroup", "id": "n5"})
    assert all(depth == 1 for kind, depth, _t in outline(items) if kind == "action")
    items, meta = edited({"op": "merge", "id": "n5"})
    merged = next(item for item in items if item["id"] == "n5")
    assert merged["text"] == "Piantare alberi\nPunti di forza: il verde"
    assert not any(item["id"] == "n6" for item in items)
    text = "Centro del riuso. Aprire un ecocentro nuovo."
    items, meta = edited({"op": "split", "id": "n7", "at": text.index("Aprire")})
    assert [t for _k, _d, t in outline(items)][6:8] == ["Centro del riuso.", "Aprire un ecocentro nuovo."]
    with pytest.raises(EditRejected):
        apply_edit(normalise(flatten(sample_tree())), {}, {"op": "split", "id": "n7", "at": 0})


def test_edits_validate_and_clean_what_staff_type():
    items = normalise(flatten(sample_tree()))
    meta = {}
    apply_edit(
        items,
        meta,
        {"op": "edit", "id": "n5", "fields": {"code": "1.1", "areas": "Lavori pubblici\nVerde;Verde"}},
    )
    assert items[4]["code"] == "1.1" and items[4]["areas"] == ["Lavori pubblici", "Verde"]
    apply_edit(items, meta, {"op": "edit", "id": "n5", "fields": {"title": "  Alberi\x00 nei   parchi "}})
    assert items[4]["title"] == "Alberi nei parchi"
    for bad in ({"title": ""}, {"title": "x" * 161}, {"code": "x" * 21}):
        with pytest.raises(EditRejected):
            apply_edit(items, meta, {"op": "edit", "id": "n5", "fields": bad})
    with pytest.raises(EditRejected):
        apply_edit(items, meta, {"op": "meta", "fields": {"period": "2024/29"}})
    with pytest.raises(EditRejected):
        apply_edit(items, meta, {"op": "drop_table", "id": "n5"})
    apply_edit(items, meta, {"op": "meta", "fields": {"mayor": "Maria Rossi", "period": "2024–2029"}})
    assert meta == {"mayor": "Maria Rossi", "period": "2024-2029"}


def test_an_action_left_outside_every_section_stops_the_import_with_a_message():
    items, meta = edited({"op": "delete", "id": "n1"}, {"op": "kind", "id": "n4", "kind": "action"})
    with translation.override("it"):
        tree, problems = build_tree(sample_tree(), items, meta)
    assert problems and "non è in nessuna sezione" in problems[0]


# --- in the back-office ----------------------------------------------------------------------------

PROGRAM = """Programma di mandato 2024-2029

AMBIENTE
1. Piantare cento alberi nei parchi del paese
2. Aprire un centro del riuso presso l'ecocentro
3. Rifare il tetto della scuola primaria
4. Avviare il servizio di pre-scuola per le famiglie
"""


@pytest.fixture
def staff(tmp_path, settings, db):
    settings.VAR_DIR = tmp_path
    borgo = Municipality.objects.create(name="Borgo", province="AL")
    other = Municipality.objects.create(name="Altrove")
    editor = make_user("redattore")
    Membership.objects.create(user=editor, municipality=borgo, role="editor")
    manager = make_user("responsabile")
    Membership.objects.create(user=manager, municipality=borgo, role="area_manager")
    outsider = make_user("estraneo")
    Membership.objects.create(user=outsider, municipality=other, role="administrator")
    client = Client()
    client.force_login(editor)
    return client, borgo, {"manager": manager, "outsider": outsider}


def upload(client, municipality, text=PROGRAM, name="programma.txt"):
    response = client.post(
        "/backoffice/import/",
        {"document": SimpleUploadedFile(name, text.encode()), "municipality": municipality.pk},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return response["Location"]


def store(program_import, tree):
    program_import.tree = tree
    program_import.save()


def test_staff_edit_the_import_and_the_program_comes_out_as_edited(staff):
    client, borgo, _others = staff
    preview = upload(client, borgo)
    ids = {item["title"]: item["id"] for item in flatten(ProgramImport.objects.get().tree)}
    edit = preview + "edit/"
    client.post(edit, {"op": "delete", "id": ids["Aprire un centro del riuso presso l'ecocentro"]})
    client.post(edit, {"op": "to_section", "id": ids["Rifare il tetto della scuola primaria"]})
    client.post(edit, {"op": "edit", "id": ids["Rifare il tetto della scuola primaria"], "title": "Scuola"})
    client.post(edit, {"op": "outdent", "id": ids["Rifare il tetto della scuola primaria"]})
    client.post(
        edit, {"op": "edit", "id": ids["Piantare cento alberi nei parchi del paese"], "areas": "Verde"}
    )
    client.post(preview, {})
    mandate = Mandate.objects.get(municipality=borgo)
    assert [s.title for s in mandate.sections.order_by("pk")] == ["AMBIENTE", "Scuola"]
    assert list(Section.objects.get(title="Scuola").actions.values_list("title", flat=True)) == [
        "Avviare il servizio di pre-scuola per le famiglie"
    ]
    assert mandate.actions.count() == 2
    assert list(Action.objects.get(title__startswith="Piantare").areas.values_list("name", flat=True)) == [
        "Verde"
    ]


def test_a_rejected_edit_shows_one_message_and_changes_nothing(staff):
    client, borgo, _others = staff
    preview = upload(client, borgo)
    program_import = ProgramImport.objects.get()
    first = flatten(program_import.tree)[0]["id"]
    response = client.post(preview + "edit/", {"op": "outdent", "id": first}, follow=True)
    assert "La voce è già al primo livello." in response.content.decode()
    response = client.post(preview + "edit/", {"op": "edit", "id": first, "title": ""}, follow=True)
    assert "Il titolo va da 1 a 255 caratteri." in response.content.decode()
    program_import.refresh_from_db()
    assert program_import.edits == []


def test_undo_removes_the_last_edit(staff):
    client, borgo, _others = staff
    preview = upload(client, borgo)
    item = flatten(ProgramImport.objects.get().tree)[1]["id"]
    client.post(preview + "edit/", {"op": "delete", "id": item})
    client.post(preview + "edit/", {"op": "undo"})
    assert ProgramImport.objects.get().edits == []


def test_edits_are_re_applied_when_the_same_document_is_uploaded_again(staff):
    client, borgo, _others = staff
    preview = upload(client, borgo)
    ids = {item["title"]: item["id"] for item in flatten(ProgramImport.objects.get().tree)}
    client.post(preview + "edit/", {"op": "edit", "id": ids["AMBIENTE"], "title": "Ambiente e scuola"})
    again = upload(client, borgo)
    assert again != preview
    body = client.get(again).content.decode()
    assert "ripristinata 1 modifica fatta allora" in body
    assert "Ambiente e scuola" in body
    other = upload(client, borgo, PROGRAM.replace("1. Piantare", "1. Mettere a dimora"))
    assert ProgramImport.objects.get(token=other.rstrip("/").rsplit("/", 1)[-1]).edits == []


def test_the_same_document_confirmed_again_with_other_edits_revises_the_mandate(staff):
    client, borgo, _others = staff
    client.post(upload(client, borgo), {})
    mandate = Mandate.objects.get(municipality=borgo)
    again = upload(client, borgo)
    imported = ProgramImport.objects.get(token=again.rstrip("/").rsplit("/", 1)[-1])
    ids = {item["title"]: item["id"] for item in flatten(imported.tree)}
    target = ids["Aprire un centro del riuso presso l'ecocentro"]
    client.post(again + "edit/", {"op": "edit", "id": target, "title": "Aprire il centro del riuso"})
    preview = client.get(again).content.decode()
    assert "1 modificata" in preview
    client.post(again, {})
    assert Mandate.objects.get(municipality=borgo) == mandate  # the same mandate, revised in place
    assert mandate.actions.filter(title="Aprire il centro del riuso").exists()
    assert not mandate.actions.filter(title="Aprire un centro del riuso presso l'ecocentro").exists()


def test_hostile_text_is_escaped_in_the_preview(staff):
    client, borgo, _others = staff
    preview = upload(client, borgo)
    item = flatten(ProgramImport.objects.get().tree)[1]["id"]
    client.post(preview + "edit/", {"op": "edit", "id": item, "title": "<script>alert(1)</script>"})
    body = client.get(preview + f"?item={item}").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_only_program_editors_of_that_comune_may_see_or_edit_an_import(staff):
    client, borgo, others = staff
    preview = upload(client, borgo)
    item = flatten(ProgramImport.objects.get().tree)[1]["id"]
    for user in others.values():
        other = Client()
        other.force_login(user)
        assert other.get(preview).status_code == 403
        assert other.post(preview + "edit/", {"op": "delete", "id": item}).status_code == 403
        assert other.post(preview, {}).status_code == 403
    assert Client().get(preview).status_code == 302  # to the login page
    assert ProgramImport.objects.get().edits == []
    assert Mandate.objects.count() == 0


def test_the_preview_shows_confidence_layout_and_items_to_check_first(staff):
    client, borgo, _others = staff
    preview = upload(client, borgo)
    store(ProgramImport.objects.get(), sample_tree())
    body = client.get(preview).content.decode()
    assert "affidabilità della lettura: 90%" in body
    assert "impaginazione: outline" in body and "titoli con elenchi numerati" in body
    review = body[body.index("Da controllare (2)") : body.index("Dati del documento")]
    assert review.index("Indice") < review.index("Punti di forza")  # least sure first
    assert "indice o sommario" in review and "sembra analisi, non un impegno" in review
    assert "Non siamo riusciti a strutturare" not in body


def test_the_original_text_and_its_page_are_shown_beside_the_item(staff):
    client, borgo, _others = staff
    preview = upload(client, borgo)
    store(ProgramImport.objects.get(), sample_tree())
    body = client.get(preview + "?item=n5").content.decode()
    assert "Testo originale — pagina 3" in body
    assert "1. Piantare alberi nei parchi" in body


def test_a_document_read_without_confidence_is_said_plainly_and_needs_a_check(staff):
    client, borgo, _others = staff
    preview = upload(client, borgo)
    tree = sample_tree()
    tree["confidence"] = 0.3
    store(ProgramImport.objects.get(), tree)
    body = client.get(preview).content.decode()
    assert "Non siamo riusciti a strutturare questo documento con sicurezza." in body
    response = client.post(preview, {})
    assert "conferma di aver controllato le voci" in response.content.decode()
    assert Mandate.objects.count() == 0
    client.post(preview, {"acknowledged": "1"})
    assert Mandate.objects.count() == 1


def test_metadata_is_shown_and_editable_but_the_target_stays_the_authorised_comune(staff):
    client, borgo, _others = staff
    preview = upload(client, borgo)
    body = client.get(preview).content.decode()
    assert 'id="meta-period" name="period" value="2024-2029"' in body
    client.post(
        preview + "edit/",
        {"op": "meta", "municipality": "Altrove", "mayor": "Maria Rossi", "title": "Linee di mandato"},
    )
    body = client.get(preview).content.decode()
    assert 'value="Maria Rossi"' in body
    client.post(preview, {})
    mandate = Mandate.objects.get()
    assert mandate.municipality == borgo
    assert (mandate.title, mandate.mayor) == ("Linee di mandato", "Maria Rossi")


def big_tree(sections, actions_per_section):
    tree = sample_tree()
    tree["sections"] = [
        {
            "title": f"Sezione {s}",
            "summary": "",
            "objective": "",
            "areas": [],
            "sections": [],
            "actions": [action(f"Azione {s}.{a}", f"{a}") for a in range(actions_per_section)],
        }
        for s in range(sections)
    ]
    return tree


def test_the_preview_is_bounded_and_costs_the_same_queries_at_any_size(staff):
    client, borgo, _others = staff
    preview = upload(client, borgo)
    counts = []
    for size in (3, 40):
        store(ProgramImport.objects.get(), big_tree(size, 10))
        with CaptureQueriesContext(connection) as queries:
            body = client.get(preview).content.decode()
        counts.append(len(queries))
    assert 0 < counts[0] == counts[1] <= 8
    assert body.count('class="outline-item') == 60
    assert "Pagina 1 di 8" in body
    last = client.get(preview + "?page=8").content.decode()
    assert "Azione 39.9" in last and "Azione 0.0" not in last


def test_the_preview_and_the_editor_read_in_english(staff, settings):
    client, borgo, _others = staff
    preview = upload(client, borgo)
    store(ProgramImport.objects.get(), sample_tree())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        body = client.get(preview + "?item=n6").content.decode()
    finally:
        translation.activate(settings.LANGUAGE_CODE)  # the middleware leaves the language active
    assert "To check (2)" in body
    assert "reading confidence: 90%" in body
    assert "looks like analysis, not a commitment" in body
    assert "Turn into a group heading" in body and "Original text" in body


def test_overlong_codes_and_areas_from_a_parser_are_cut_to_what_the_database_holds():
    tree = sample_tree()
    tree["sections"][1]["actions"][0]["code"] = "1." * 30
    tree["sections"][1]["actions"][0]["areas"] = ["Ufficio " * 60]
    items, meta, _skipped = apply_edits(tree, [])
    program, problems = build_tree(tree, items, meta)
    first = program.sections[1].actions[0]
    assert len(first.code) == 20 and len(first.areas[0]) == 255


def test_every_flag_the_parsers_set_reads_as_words_in_the_preview(staff):
    # the preview showed "lead_in" raw beside items of a real programme (Alpignano)
    client, borgo, _others = staff
    preview = upload(client, borgo)
    tree = sample_tree()
    flags = ["lead_in", "details_folded", "long", "short"]
    tree["sections"][1]["actions"] = [action(f"Voce {flag}", flags=[flag]) for flag in flags]
    store(ProgramImport.objects.get(), tree)
    body = client.get(preview).content.decode()
    listing = body[body.index("Voci del programma") :]
    for flag in flags:
        assert f">{flag}<" not in listing
    labels = ("introduce un elenco", "elenco accorpato nel testo", "testo molto lungo", "testo molto breve")
    for label in labels:
        assert label in listing
