"""Pages whose cost depends on the comune, not on the country.

The synthetic generator builds worlds of different sizes; every public page of a comune runs the same
number of queries in a world of 2 comuni with 3 actions each as in one of 30 comuni with 12; anonymous
visits are answered from the shared page cache with one query (the change marker), and a write shows
at once. On PostgreSQL no query of a comune's page has to scan a tenant table.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from openmandato.accountability import ledger, rollup
from openmandato.accountability.services import record_progress
from openmandato.ops import synthetic
from openmandato.portal.models import ChangeMarker, MunicipalitySummary
from openmandato.programs.models import Action, Mandate, Municipality, Section


def comune_pages(municipality: Municipality) -> list[str]:
    mandate = municipality.mandates.get()
    # an action of the same shape in every world: with an indicator and its update history
    action = Action.objects.filter(mandate=mandate, indicators__isnull=False).order_by("tree_order").last()
    section = Section.objects.filter(mandate=mandate).order_by("tree_order").last()
    area = municipality.areas.order_by("pk").last()
    base = f"/{municipality.slug}/"
    return [
        base,
        f"{base}actions/",
        f"{base}actions/?status=in_progress&sort=-progress",
        f"{base}actions/{action.pk}/",
        f"{base}sections/{section.pk}/",
        f"{base}areas/{area.pk}/",
        f"{base}come-calcoliamo/",
        f"{base}feed.atom",
        f"{base}actions/{action.pk}/feed.atom",
        f"{base}privacy/",
    ]


NATIONAL_PAGES = ["/", "/?regione=Lombardia", "/?page=2", "/catalog.jsonld", "/catalog.jsonld?page=2"]


def query_counts(client, urls: list[str]) -> dict[str, int]:
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[re.sub(r"/[^/]+/", "/<slug>/", url, count=1)] = len(queries)
    return counts


def _progress(action, progress: int, date: datetime.date, note: str) -> None:
    record_progress(
        action,
        user=AnonymousUser(),
        status="in_progress",
        progress=progress,
        date=date,
        note=note,
        system=True,
    )


def _shape(url: str) -> str:
    return re.sub(r"\d+", "<id>", url)


@pytest.mark.django_db
def test_a_generated_world_has_valid_logs_and_consistent_roll_up_and_summaries(client):
    totals = synthetic.generate(3, 7, 2, seed=5)
    assert totals == {
        "municipalities": 3,
        "actions": 21,
        "updates": 42,
        "entries": 42 + totals["measurements"],
        "measurements": totals["measurements"],
    }
    assert totals["measurements"] > 0
    for mandate in Mandate.objects.all():
        verification = ledger.verify(mandate)
        assert verification.ok, verification.problems
        assert verification.count == mandate.ledger.count() > 0
        before = list(Action.objects.filter(mandate=mandate).values_list("pk", "rollup_share", "tree_order"))
        rollup.recompute_shares(mandate.pk)
        after = list(Action.objects.filter(mandate=mandate).values_list("pk", "rollup_share", "tree_order"))
        assert [(pk, round(share, 9), order) for pk, share, order in before] == [
            (pk, round(share, 9), order) for pk, share, order in after
        ]
    municipalities = list(Municipality.objects.order_by("name"))
    assert len({m.region for m in municipalities}) >= 1 and all(m.province for m in municipalities)
    summaries = {s.municipality_id: s for s in MunicipalitySummary.objects.all()}
    for municipality in municipalities:
        mandate = municipality.mandates.get()
        assert summaries[municipality.pk].action_count == 7
        assert summaries[municipality.pk].progress == pytest.approx(rollup.mandate_progress(mandate))
    home = client.get("/").content.decode()
    for municipality in municipalities:
        assert f'href="/{municipality.slug}/"' in home
        for url in comune_pages(municipality):
            assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_every_comune_page_runs_the_same_queries_in_a_small_and_a_large_country(client):
    synthetic.generate(2, 3, 1, seed=1)
    small_comune = Municipality.objects.order_by("pk").first()
    small = query_counts(client, comune_pages(small_comune) + NATIONAL_PAGES)

    synthetic.generate(28, 12, 3, seed=2)
    large_comune = Municipality.objects.order_by("pk").last()
    assert Action.objects.filter(mandate__municipality=large_comune).count() == 12
    assert Municipality.objects.count() == 30
    large = query_counts(client, comune_pages(large_comune) + NATIONAL_PAGES)
    assert {_shape(k): v for k, v in small.items()} == {_shape(k): v for k, v in large.items()}


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.mark.django_db
def test_anonymous_pages_come_from_the_shared_cache_and_a_write_shows_at_once(client, page_cache):
    synthetic.generate(2, 4, 1, seed=3)
    comune, other = Municipality.objects.order_by("pk")
    action = Action.objects.filter(mandate__municipality=comune).order_by("pk").first()
    url = f"/{comune.slug}/actions/{action.pk}/"
    first = client.get(url)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.content == first.content
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert "portal_changemarker" in queries[0]["sql"]
    # answered before the session, language and framing layers, yet with everything they add
    for header in ("Content-Language", "Vary", "X-Frame-Options", "Content-Security-Policy", "ETag"):
        assert again[header] == first[header], header
    assert again.wsgi_request.__dict__.get("session") is None  # the session layer never ran
    # a repeat visit with the ETag is a 304 from the cache, with the same single query
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert len(queries) == 1

    home_before = client.get("/").content.decode()
    other_page = client.get(f"/{other.slug}/")
    _progress(action, 77, datetime.date(2025, 6, 1), "Cantiere aperto il <b>1 giugno</b>")
    changed = client.get(url)
    assert changed["ETag"] != first["ETag"]
    assert "Cantiere aperto il" in changed.content.decode()
    assert "&lt;b&gt;" not in changed.content.decode() or "<b>" not in changed.content.decode()
    # the comune's card on / follows (its figures come from the summary the write refreshed)
    summary = MunicipalitySummary.objects.get(municipality=comune)
    assert client.get("/").content.decode() != home_before
    assert summary.progress == pytest.approx(rollup.mandate_progress(comune.mandates.get()))
    # another comune's pages keep their cache entry: its marker did not move
    with CaptureQueriesContext(connection) as queries:
        same = client.get(f"/{other.slug}/")
    assert same["ETag"] == other_page["ETag"] and len(queries) == 1


@pytest.mark.django_db
def test_signed_in_visitors_never_get_the_anonymous_copy(client, page_cache, django_user_model):
    synthetic.generate(1, 3, 1, seed=4)
    comune = Municipality.objects.get()
    client.get(f"/{comune.slug}/")
    user = django_user_model.objects.create_user("lettore", password="x-secret-1")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/{comune.slug}/")
    assert response.status_code == 200
    assert len(queries) > 1  # rendered for this visitor, not served from the shared copy


@pytest.mark.django_db
def test_a_renamed_comune_bumps_the_marker_of_its_old_address(client, page_cache):
    synthetic.generate(1, 2, 1, seed=6)
    comune = Municipality.objects.get()
    old = comune.slug
    assert client.get(f"/{old}/").status_code == 200
    version = ChangeMarker.objects.get(key=f"c:{old}").version
    comune.slug = "nuovo-nome"
    comune.save()
    assert ChangeMarker.objects.get(key=f"c:{old}").version == version + 1
    assert client.get(f"/{old}/").status_code == 404
    assert client.get("/nuovo-nome/").status_code == 200


def test_the_generator_refuses_nonsense_sizes(run_cli):
    result = run_cli("generate_synthetic", "--municipalities", "0", "--actions-per-mandate", "10")
    assert result.returncode != 0
    assert "--municipalities must be between 1 and 20000" in result.stderr
    assert "Traceback" not in result.stderr


TENANT_TABLES = re.compile(r"Seq Scan on (programs_\w+|accountability_\w+|portal_\w+)")


@pytest.mark.django_db
def test_no_query_of_a_comune_page_scans_a_tenant_table_on_postgresql(client):
    """With sequential scans priced out (enable_seqscan=off), a Seq Scan left in a plan means no index
    can answer the query: it would read other comuni's rows. The world is small, so the planner would
    otherwise pick sequential scans for cheapness alone; turning them off asks what it *can* do."""
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN plans are checked on PostgreSQL")
    synthetic.generate(6, 8, 2, seed=7)
    comune = Municipality.objects.order_by("pk")[2]
    assert _tenant_table_scans(client, comune_pages(comune)) == []


def _tenant_table_scans(client, urls: list[str]) -> list[tuple]:
    offenders = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # never leaks past this block
            for query in queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                for table in TENANT_TABLES.findall(plan):
                    offenders.append((url, table, sql[:300]))
    return offenders


def _rows_read(client, urls: list[str], table: str) -> list[int]:
    """Rows each plan node on `table` returned (EXPLAIN ANALYZE), over every SELECT of the pages."""
    import json

    read = [0]
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        with transaction.atomic(), connection.cursor() as cursor:
            for query in queries:
                if not query["sql"].lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                plan = cursor.fetchone()[0]
                nodes = [(plan if isinstance(plan, list) else json.loads(plan))[0]["Plan"]]
                while nodes:
                    node = nodes.pop()
                    nodes.extend(node.get("Plans", []))
                    if node.get("Relation Name") == table:
                        read.append(node["Actual Rows"] * node["Actual Loops"])
    return read


@pytest.mark.django_db
def test_the_back_office_of_a_comune_reads_only_its_comuni_on_postgresql(client, django_user_model):
    """Found at 8,000 comuni: an administrator's "my actions" joined every action of the country to the
    areas (an OR across a join, then DISTINCT) and took minutes."""
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN plans are checked on PostgreSQL")
    from openmandato.core.models import Membership, Role

    synthetic.generate(6, 8, 2, seed=11)
    comune = Municipality.objects.order_by("pk")[2]
    administrator = django_user_model.objects.create_user("sindaca")
    Membership.objects.create(user=administrator, municipality=comune, role=Role.ADMINISTRATOR)
    manager = django_user_model.objects.create_user("responsabile")
    membership = Membership.objects.create(user=manager, municipality=comune, role=Role.AREA_MANAGER)
    membership.areas.add(comune.areas.order_by("pk").first())
    pages = ["/backoffice/", "/backoffice/?show=stale", "/backoffice/?show=overdue"]
    own = Action.objects.filter(mandate__municipality=comune).count()
    for user in (administrator, manager):
        client.force_login(user)
        assert _tenant_table_scans(client, pages) == [], user
        # what the plans actually read: never more actions than the comune has (the country has 6x)
        assert max(_rows_read(client, pages, "programs_action")) <= own, user
    # the signed-in visitor's tenant check reads the mandates of this comune only, not the country's
    client.force_login(administrator)
    assert max(_rows_read(client, [f"/{comune.slug}/"], "programs_mandate")) <= comune.mandates.count()
    mine = set(Action.objects.updatable_by(manager).values_list("pk", flat=True))
    area = membership.areas.get()
    assert mine and mine == set(area.actions.active().leaves().values_list("pk", flat=True))
    assert set(Action.objects.updatable_by(administrator).values_list("pk", flat=True)) == set(
        Action.objects.filter(mandate__municipality=comune).active().leaves().values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_the_catalogue_comes_in_pages_that_link_to_the_next(client, monkeypatch):
    import json

    from openmandato.reports import catalog

    monkeypatch.setattr(catalog, "PAGE_SIZE", 4)
    synthetic.generate(10, 2, 1, seed=8)
    url, seen, pages = "http://testserver/catalog.jsonld", [], 0
    while url:
        body = json.loads(client.get(url.removeprefix("http://testserver")).content)
        pages += 1
        assert len(body["dcat:dataset"]) <= 4
        assert body["hydra:totalItems"] == 10
        seen += [dataset["dcat:landingPage"]["@id"] for dataset in body["dcat:dataset"]]
        assert all(dataset["dct:modified"]["@value"] for dataset in body["dcat:dataset"])
        url = body["hydra:view"].get("hydra:next")
    assert pages == 3
    assert sorted(seen) == sorted(f"http://testserver/{m.slug}/" for m in Municipality.objects.all())
    # hostile page numbers fall back to a real page, never an error
    for page in ["0", "-1", "999999", "x"]:
        assert client.get(f"/catalog.jsonld?page={page}").status_code == 200
    for page in ["1%00", "99999999999999999999"]:  # NUL bytes, huge numbers: a clear refusal
        assert client.get(f"/catalog.jsonld?page={page}").status_code == 400


@pytest.mark.django_db
def test_api_list_and_feeds_come_from_the_shared_cache_and_show_a_write_at_once(client, page_cache, settings):
    settings.API_RATE_ANON = "1000/m"
    synthetic.generate(2, 4, 1, seed=5)
    comune, other = Municipality.objects.order_by("pk")
    action = Action.objects.filter(mandate__municipality=comune).order_by("pk").first()
    urls = [
        f"/api/v1/actions?municipality={comune.slug}",
        f"/api/v1/updates?municipality={comune.slug}",
        f"/{comune.slug}/feed.atom",
        f"/{comune.slug}/actions/{action.pk}/feed.atom",
    ]
    first = {url: client.get(url) for url in urls}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url)
        assert again.status_code == 200 and again.content == first[url].content, url
        assert len(queries) == 1 and "portal_changemarker" in queries[0]["sql"], (url, len(queries))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, HTTP_IF_NONE_MATCH=first[url]["ETag"]).status_code == 304, url
        assert len(queries) == 1, url
    other_api = client.get(f"/api/v1/actions?municipality={other.slug}")
    _progress(action, 61, datetime.date(2025, 7, 1), "Lavori affidati alla ditta")
    for url in urls:
        changed = client.get(url)
        assert changed.content != first[url].content, url
    assert "Lavori affidati alla ditta" in client.get(urls[2]).content.decode()
    listed = {row["id"]: row for row in client.get(urls[0]).json()["items"]}
    assert listed[action.pk]["progress"] == 61
    # the other comune's API answer keeps its stored copy: its marker did not move
    with CaptureQueriesContext(connection) as queries:
        same = client.get(f"/api/v1/actions?municipality={other.slug}")
    assert same.content == other_api.content and len(queries) == 1


@pytest.mark.django_db
def test_a_stored_api_answer_still_counts_against_the_rate_limit(client, page_cache, settings):
    settings.API_RATE_ANON = "3/m"
    cache.clear()  # the counters of earlier tests from this address
    synthetic.generate(1, 2, 0, seed=7)
    url = f"/api/v1/actions?municipality={Municipality.objects.get().slug}"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url)
    assert refused.status_code == 429 and refused.json()["detail"]


@pytest.mark.django_db
def test_a_signed_in_or_token_api_read_is_never_stored(client, page_cache, django_user_model, settings):
    settings.API_RATE_ANON = settings.API_RATE_TOKEN = "1000/m"
    synthetic.generate(1, 2, 0, seed=9)
    url = f"/api/v1/actions?municipality={Municipality.objects.get().slug}"
    for _ in range(2):  # a request with a token is rendered for it
        with CaptureQueriesContext(connection) as queries:
            client.get(url, HTTP_AUTHORIZATION="Bearer not-a-token")
        assert any("programs_action" in q["sql"] for q in queries)
    client.force_login(django_user_model.objects.create_user("lettore", password="x" * 20))
    for _ in range(2):  # a visitor with a session is rendered for them
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert any("programs_action" in q["sql"] for q in queries)
