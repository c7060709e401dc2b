"""URLs, feeds, health, caching and robustness of the public pages."""

import datetime
import re
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own feed in a test

import pytest

from openmandato.accountability.services import record_progress
from openmandato.programs.models import Action, Area, Section

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_every_contract_url_answers(client, programs):
    action = Action.objects.filter(mandate__municipality__slug="cremona").exclude(areas=None).first()
    section = Section.objects.filter(mandate__municipality__slug="cremona").first()
    area = Area.objects.filter(municipality__slug="cremona").first()
    urls = [
        "/",
        "/cremona/",
        f"/cremona/sections/{section.pk}/",
        f"/cremona/actions/{action.pk}/",
        f"/cremona/areas/{area.pk}/",
        "/cremona/actions/",
        "/search/?q=polo",
        "/cremona/search/?q=polo",
        "/compare/?q=polo",
        "/cremona/feed.atom",
        f"/cremona/actions/{action.pk}/feed.atom",
        "/healthz",
        "/cremona/come-calcoliamo/",
        "/cremona/ledger.json",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_atom_feeds_list_the_updates(client, programs):
    action = Action.objects.get(text__startswith="Raddoppiare il progetto")
    record_progress(
        action,
        user=None,
        system=True,
        status="in_progress",
        progress=30,
        date=datetime.date(2023, 4, 1),
        note="Piantati 120 alberi",
    )
    for url in ["/valenza/feed.atom", f"/valenza/actions/{action.pk}/feed.atom"]:
        response = client.get(url)
        assert response["Content-Type"].startswith("application/atom+xml")
        feed = ET.fromstring(response.content)  # noqa: S314
        entries = feed.findall(f"{ATOM}entry")
        assert len(entries) == 1
        assert "Raddoppiare il progetto" in entries[0].find(f"{ATOM}title").text
        assert "Piantati 120 alberi" in entries[0].find(f"{ATOM}summary").text


def test_healthz_reports_an_unreachable_database(client, run_cli):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
    script = (
        "from django.test import Client; r = Client(HTTP_HOST='localhost').get('/healthz');"
        " print(r.status_code, r.json()['database'])"
    )
    # A real process whose database is a closed port.
    result = run_cli("shell", "--no-imports", "-c", script, database_url="postgres://nobody@127.0.0.1:9/none")
    assert result.stdout.split() == ["503", "unreachable"], result.stderr


def test_a_repeat_visit_is_a_304(client, programs):
    first = client.get("/valenza/")
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    again = client.get("/valenza/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get("/valenza/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    action = Action.objects.filter(mandate__municipality__slug="valenza").first()
    record_progress(
        action, user=None, system=True, status="in_progress", progress=5, date=datetime.date(2024, 1, 1)
    )
    assert client.get("/valenza/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    english = client.get("/lang/en/", {"next": "/valenza/"}) and client.get("/valenza/")
    assert english["ETag"] != first["ETag"]


def test_the_change_marker_read_as_sql_is_the_one_the_orm_sees(programs):
    from openmandato.portal.caching import read_marker
    from openmandato.portal.models import ChangeMarker

    def orm(key):
        return ChangeMarker.objects.filter(key=key).values_list("version", "changed_at").get()

    before = read_marker("c:valenza")
    assert before == orm("c:valenza") and before[1].utcoffset() is not None
    assert read_marker("c:non-esiste") == (0, None)
    action = Action.objects.filter(mandate__municipality__slug="valenza").first()
    record_progress(
        action, user=None, system=True, status="in_progress", progress=5, date=datetime.date(2024, 1, 1)
    )
    after = read_marker("c:valenza")
    assert after == orm("c:valenza") and after[0] > before[0] and after[1] >= before[1]
    assert read_marker("*") == orm("*")


@pytest.mark.parametrize(
    ("query", "count", "rows"),
    [
        ("page=abc", 84, 25),  # not a number: the first page
        ("page=-5", 84, 9),  # out of range: the last page (84 = 3 × 25 + 9)
        ("page=999999", 84, 9),
        ("status=bogus&status=done", 0, 0),  # the bad value is dropped, the good one kept
        ("section=xyz", 84, 25),
        ("area=-1", 84, 25),
        ("sort=DROP", 84, 25),
        ("overdue=maybe", 84, 25),
        ("q=%22%22%22", 0, 0),  # no searchable word: nothing matches
        ("q=" + "x" * 5000, 0, 0),
    ],
)
def test_a_bad_query_string_never_breaks_the_action_list(client, programs, query, count, rows):
    response = client.get(f"/valenza/actions/?{query}")
    assert response.status_code == 200
    results = response.content.decode().split('id="results"', 1)[1]
    assert re.search(r"<p>(\d+) azion[ei]</p>", results).group(1) == str(count)
    assert results.split("</table>")[0].count('href="/valenza/actions/') == rows


def test_an_id_beyond_64_bits_is_a_clear_400_not_a_crash(client, programs):
    response = client.get("/valenza/actions/?section=99999999999999999999999")
    assert response.status_code == 400
    assert "fuori intervallo" in response.content.decode()


def test_action_list_filters_sorts_and_keeps_state_in_the_url(client, programs):
    bellezza = Section.objects.get(title="Bellezza")
    actions = list(bellezza.actions.order_by("position"))
    record_progress(
        actions[1], user=None, system=True, status="in_progress", progress=70, date=datetime.date(2023, 1, 1)
    )
    record_progress(
        actions[2], user=None, system=True, status="in_progress", progress=20, date=datetime.date(2023, 1, 1)
    )
    body = client.get(
        f"/valenza/actions/?section={bellezza.pk}&status=in_progress&sort=-progress"
    ).content.decode()
    assert "2 azioni" in body
    assert body.index(actions[1].title) < body.index(actions[2].title)
    assert f'<option value="{bellezza.pk}" selected>' in body
    assert 'id="f-status-in_progress" name="status" value="in_progress" checked' in body
    page_two = client.get("/valenza/actions/?page=2").content.decode()
    assert "Pagina 2 di 4" in page_two
    htmx = client.get("/valenza/actions/?status=in_progress", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in htmx and "2 azioni" in htmx
    assert "HX-Request" in client.get("/valenza/actions/")["Vary"]


def test_overdue_filter_and_dashboard_list(client, programs):
    action = Action.objects.get(text__startswith="Installazione di colonnine")
    action.due_date = datetime.date(2022, 6, 30)
    action.save()
    assert action.title in client.get("/valenza/actions/?overdue=1").content.decode()
    dashboard = client.get("/valenza/").content.decode()
    assert "In ritardo (1)" in dashboard and action.title in dashboard


def test_the_error_pages_share_the_site_style(client):
    from django.test import RequestFactory
    from django.views.defaults import server_error

    missing = client.get("/comune-inesistente/actions/12/")
    assert missing.status_code == 404
    assert "Pagina non trovata" in missing.content.decode()
    assert "bootstrap-italia.min.css" in missing.content.decode()
    crashed = server_error(RequestFactory().get("/"))
    assert crashed.status_code == 500
    assert "Si è verificato un errore" in crashed.content.decode()
    assert "bootstrap-italia.min.css" in crashed.content.decode()
