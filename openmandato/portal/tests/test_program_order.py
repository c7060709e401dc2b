"""One order everywhere: the program's (section position, then action position, in tree order).

Sections and actions are created here in the reverse of their printed order, so that any list sorted by
id or by the id path ("/12/34/") comes out in the wrong order.
"""

import csv
import io
import json
import re

import openpyxl
import pytest

from openmandato.programs import rollup
from openmandato.programs.models import Action
from openmandato.tests.factory import make_mandate, make_municipality, make_section

pytestmark = pytest.mark.django_db

TITLES = ["Prima", "Prima-b", "Seconda", "Terza"]


@pytest.fixture
def program():
    mandate = make_mandate(make_municipality("Ordinata"))
    with rollup.deferred():
        # Nine other sections first, so that ids cross from one digit to two ("/9/" sorts after "/12/").
        filler = make_mandate(make_municipality("Riempitivo"))
        for index in range(9):
            make_section(filler, title=f"Altro {index}")
        terza = make_section(mandate, title="Terza", position=2)
        seconda = make_section(mandate, title="Seconda", position=1)
        prima = make_section(mandate, title="Prima", position=0)
        prima_b = make_section(mandate, title="Prima-b", position=0, parent=prima)
        for section in [terza, seconda, prima_b, prima]:
            for position in (1, 0):  # created last, printed first
                Action.objects.create(
                    section=section,
                    position=position,
                    code=str(position + 1),
                    title=f"{section.title} {position + 1}",
                )
    rollup.recompute_shares(mandate.pk)
    return mandate


def expected_titles():
    return [f"{title} {n}" for title in TITLES for n in (1, 2)]


def titles_in(body, slug="ordinata"):
    ids = [int(pk) for pk in re.findall(rf'href="/{slug}/actions/(\d+)/"', body)]
    titles = dict(Action.objects.filter(pk__in=ids).values_list("pk", "title"))
    seen = []
    for pk in ids:
        if titles[pk] not in seen:
            seen.append(titles[pk])
    return seen


def test_the_action_list_follows_the_program(client, program):
    body = client.get("/ordinata/actions/").content.decode()
    assert titles_in(body) == expected_titles()


def test_the_section_filter_lists_sections_in_the_program_order(client, program):
    body = client.get("/ordinata/actions/").content.decode()
    select = body.split('id="f-section"', 1)[1].split("</select>", 1)[0]
    options = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)
    assert options == TITLES


def test_the_dashboard_lists_sections_in_the_program_order(client, program):
    body = client.get("/ordinata/").content.decode()
    assert re.findall(r'href="/ordinata/sections/\d+/">([^<]+)</a>', body) == TITLES
    chart = body.split('id="sections-chart-title"', 1)[1].split("</svg>", 1)[0]
    labels = re.findall(r'<text x="0" y="14">(?:— )?([^<]+)</text>', chart)
    assert labels == TITLES


def test_csv_json_and_xlsx_follow_the_program(client, program):
    body = client.get("/ordinata/export.csv").content.decode("utf-8-sig")
    assert [row["title"] for row in csv.DictReader(io.StringIO(body))] == expected_titles()
    document = json.loads(client.get("/ordinata/export.json").content)
    assert [action["title"] for action in document["actions"]] == expected_titles()
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/ordinata/export.xlsx").content))
    sheet = workbook["azioni"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("title")
    assert [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)] == expected_titles()


def test_the_api_lists_sections_in_the_program_order(client, program):
    sections = client.get(f"/api/v1/mandates/{program.pk}/sections").json()
    assert [section["title"] for section in sections] == TITLES


def test_moving_a_section_renumbers_the_order(client, program):
    terza = program.sections.get(title="Terza")
    terza.position = 0
    terza.save()
    prima = program.sections.get(title="Prima")
    prima.position = 5
    prima.save()
    body = client.get("/ordinata/actions/").content.decode()
    assert titles_in(body) == ["Terza 1", "Terza 2", "Seconda 1", "Seconda 2", "Prima 1", "Prima 2"] + [
        "Prima-b 1",
        "Prima-b 2",
    ]


def test_the_api_lists_a_comunes_actions_in_the_program_order_across_pages(client, program):
    titles, cursor = [], None
    for _page in range(10):
        params = {"municipality": "ordinata", "limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/actions", params).json()
        titles += [item["title"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert titles == expected_titles()
    by_mandate = client.get("/api/v1/actions", {"mandate": program.pk, "limit": 100}).json()
    assert [item["title"] for item in by_mandate["items"]] == expected_titles()
    assert (
        client.get("/api/v1/actions", {"municipality": "ordinata", "cursor": "b3JkZXI6eC55"}).status_code
        == 400
    )
