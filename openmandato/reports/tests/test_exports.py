import csv
import io
import json

import openpyxl
import pytest
from django.test import Client

from openmandato.portal.templatetags.portal import percent
from openmandato.programs.models import Action, Mandate
from openmandato.reports import exports

pytestmark = pytest.mark.django_db


def csv_rows(response):
    body = response.content
    assert body.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_has_a_bom_documented_columns_and_one_row_per_action(demo):
    response = Client().get("/valenza/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert list(rows[0].keys()) == [c.key for c in exports.ACTION_COLUMNS]
    assert len(rows) == Action.objects.filter(mandate__municipality__slug="valenza").leaves().count() == 84
    bellezza_sevens = [r for r in rows if r["section_path"] == "Bellezza" and r["code"] == "7"]
    assert len(bellezza_sevens) == 2
    assert any("Città" in r["text"] for r in rows)


def test_exports_match_the_portal_and_the_api(demo):
    client = Client()
    csv_by_id = {int(r["id"]): r for r in csv_rows(client.get("/valenza/export.csv"))}
    api_items, cursor = [], None
    while True:
        page = client.get(
            "/api/v1/actions",
            {"municipality": "valenza", "limit": 100, **({"cursor": cursor} if cursor else {})},
        ).json()
        api_items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    api_by_id = {item["id"]: item for item in api_items if item["id"] in csv_by_id}
    assert set(api_by_id) == set(csv_by_id)
    for pk, row in csv_by_id.items():
        assert (row["status"], int(row["progress"])) == (api_by_id[pk]["status"], api_by_id[pk]["progress"])
    sample = Action.objects.get(pk=next(iter(csv_by_id)))
    page = client.get(sample.get_absolute_url()).content.decode()
    assert f"{csv_by_id[sample.pk]['progress']}%" in page and csv_by_id[sample.pk]["status_label"] in page
    document = json.loads(client.get("/valenza/export.json").content)
    assert document["licence"]["name"] == "CC BY 4.0"
    assert {a["id"]: (a["status"], a["progress"]) for a in document["actions"]} == {
        pk: (r["status"], int(r["progress"])) for pk, r in csv_by_id.items()
    }
    assert len(document["updates"]) == len(csv_rows(client.get("/valenza/export-updates.csv")))
    assert (
        len(document["measurements"]) == len(csv_rows(client.get("/valenza/export-measurements.csv"))) == 13
    )


def test_xlsx_holds_the_same_rows(demo):
    response = Client().get("/valenza/export.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "azioni",
        "aggiornamenti",
        "misurazioni",
        "commenti",
        "proposte",
        "segnalazioni",
        "licenza",
    ]
    sheet = workbook["azioni"]
    header = [cell.value for cell in sheet[1]]
    assert header == [c.key for c in exports.ACTION_COLUMNS]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    csv_by_id = {int(r["id"]): r for r in csv_rows(Client().get("/valenza/export.csv"))}
    assert set(rows) == set(csv_by_id)
    progress_column = header.index("progress")
    assert all(rows[pk][progress_column] == int(r["progress"]) for pk, r in csv_by_id.items())


def test_the_data_dictionary_documents_every_column(demo):
    body = Client().get("/valenza/dati-aperti/").content.decode()
    for column in exports.ACTION_COLUMNS + exports.UPDATE_COLUMNS + exports.MEASUREMENT_COLUMNS:
        assert f"<code>{column.key}</code>" in body
    assert "CC BY 4.0" in body


def test_the_dcat_ap_it_catalogue_lists_each_municipality_with_working_downloads(demo):
    client = Client()
    catalogue = json.loads(client.get("/catalog.jsonld").content)
    assert "dcatapit:Catalog" in catalogue["@type"]
    assert catalogue["@context"]["dcatapit"] == "http://dati.gov.it/onto/dcatapit#"
    datasets = catalogue["dcat:dataset"]
    assert len(datasets) == Mandate.objects.current().count() == 2
    for dataset in datasets:
        assert "dcatapit:Dataset" in dataset["@type"]
        for key in [
            "dct:identifier",
            "dct:title",
            "dct:description",
            "dct:modified",
            "dcat:theme",
            "dct:publisher",
            "dct:rightsHolder",
            "dcat:contactPoint",
            "dct:accrualPeriodicity",
            "dct:language",
        ]:
            assert dataset[key], key
        assert dataset["dct:rightsHolder"]["dct:identifier"] in {"019036", "006174"}
        for distribution in dataset["dcat:distribution"]:
            assert distribution["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
            path = distribution["dcat:downloadURL"]["@id"].split("testserver", 1)[1]
            assert client.get(path).status_code == 200


def test_portal_percentages_match_the_export_numbers(demo):
    mandate = Mandate.objects.get(municipality__slug="cremona")
    from openmandato.programs.rollup import mandate_progress

    assert percent(mandate_progress(mandate)) in Client().get("/cremona/").content.decode()
