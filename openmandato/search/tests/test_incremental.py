"""Refreshing one comune after an import costs work in proportion to that comune, not to the country.

- the vocabulary is counted per mandate and the difference applied: the result equals a full recount,
  after edits, unpublishing and deletion;
- refreshing one mandate's vocabulary and neighbours issues the same number of queries whether 2 or 8
  other comuni are published;
- the candidate queries read the GIN index (PostgreSQL), also when nested in a bounded subquery."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openmandato.programs.models import Action, Mandate
from openmandato.search import engine
from openmandato.search.models import MandateVocabulary, SearchTerm, SearchWord
from openmandato.search.similarity import (
    FIELDS,
    Doc,
    Idf,
    candidate_query,
    query_items,
    refresh_neighbours,
    vector,
)
from openmandato.search.tests.conftest import make_program
from openmandato.search.vocabulary import rebuild_vocabulary, refresh_vocabulary, searchable_actions

pytestmark = pytest.mark.django_db

HEALTH = {
    "Salute": [
        ("Telemedicina per i malati cronici", "Visite a distanza con i medici di base."),
        ("Casa della comunità", "Medici di famiglia e infermieri nello stesso edificio."),
    ],
    "Ambiente": [
        ("Raccolta differenziata porta a porta", "Tariffa puntuale dei rifiuti."),
        ("Mille alberi nei parchi", "Nuove alberature nei giardini pubblici."),
    ],
}


def snapshot():
    """The vocabulary as search and similarity read it."""
    return (
        sorted(SearchWord.objects.values_list("word", "term", "uses", "documents")),
        sorted(SearchTerm.objects.values_list("term", "documents")),
        sum(MandateVocabulary.objects.values_list("actions", flat=True)),
    )


def recount_equals_increments():
    incremental = snapshot()
    rebuild_vocabulary()
    return incremental == snapshot(), incremental


def test_the_incremental_vocabulary_equals_a_full_recount_after_edits_unpublishing_and_deletion():
    first = make_program("Colle", HEALTH)
    second = make_program("Piana", {"Cultura": [("Liuteria e musica", "Una scuola di liuteria.")]})
    for mandate in (first, second):
        refresh_vocabulary(mandate.pk)
    same, counted = recount_equals_increments()
    assert same
    assert ("liuteria", "liuter", 1, 1) in counted[0]

    action = Action.objects.get(title__startswith="Telemedicina")
    action.title, action.text = "Sportello anagrafe online", "Certificati e carta d'identità."
    action.save()
    refresh_vocabulary(first.pk)
    same, counted = recount_equals_increments()
    assert same
    words = {word for word, *_ in counted[0]}
    assert "telemedicina" not in words and "anagrafe" in words

    Mandate.objects.filter(pk=second.pk).update(is_published=False)
    refresh_vocabulary(second.pk)
    same, counted = recount_equals_increments()
    assert same and not SearchWord.objects.filter(word="liuteria").exists()  # no draft's word

    first_id = first.pk
    first.municipality.delete()  # the mandate and its actions go; the refresh still finds its counts
    refresh_vocabulary(first_id)
    assert snapshot() == ([], [], 0)


def test_refreshing_one_comune_costs_the_same_number_of_queries_however_many_others_there_are():
    def cost(mandate_id, word):
        """Replace the word added last time by `word` (the same change each time), then refresh."""
        action = Action.objects.filter(mandate_id=mandate_id).order_by("pk").first()
        action.text = f"Visite a distanza con i medici di base. {word}."
        action.save()
        with CaptureQueriesContext(connection) as vocabulary:
            refresh_vocabulary(mandate_id)
        with CaptureQueriesContext(connection) as neighbours:
            pairs = refresh_neighbours(mandate_id)
        return len(vocabulary), len(neighbours), pairs

    target = make_program("Bersaglio", HEALTH)
    refresh_vocabulary(target.pk)
    cost(target.pk, "alfabeto")
    for number in range(2):
        refresh_vocabulary(make_program(f"Altro {number}", HEALTH).pk)
    with_two = cost(target.pk, "betulla")
    for number in range(2, 8):
        refresh_vocabulary(make_program(f"Altro {number}", HEALTH).pk)
    with_eight = cost(target.pk, "gabbiano")
    assert with_two[:2] == with_eight[:2]
    assert with_eight[2] > with_two[2] > 0  # the neighbours of the others are found all the same
    vocabulary_queries, neighbour_queries, _pairs = with_eight
    assert vocabulary_queries <= 16  # savepoints included
    assert neighbour_queries <= 10 + Action.objects.filter(mandate=target).count()


def explain(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # a test database is small enough to read whole: make every plan that does not use an index
        # (and every walk along an index testing rows one by one) cost more than any that does
        cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
        try:
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("SET enable_seqscan = on; SET enable_indexscan = on")


@pytest.fixture
def indexed(comuni):
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index is PostgreSQL's; SQLite reads its FTS5 tables")
    rebuild_vocabulary()


def test_the_neighbour_candidate_query_reads_the_gin_index(indexed):
    row = searchable_actions().filter(title__startswith="Potenziamento").values_list(*FIELDS).get()
    doc, idf = Doc(*row), Idf()
    idf.load(set(doc.document.split()))
    chosen, ranking = query_items(vector(doc, idf, idf.default), idf)
    assert chosen
    plan = explain(candidate_query(doc, chosen, ranking))
    assert "action_search_vector_gin" in plan, plan
    assert "Seq Scan on programs_action" not in plan, plan


def test_the_search_candidate_query_matches_in_its_bounded_subquery_without_a_seq_scan(indexed):
    analysis = engine.analyse("telemedicina anziani")
    bounded = engine.matching(searchable_actions(), analysis).order_by().values("pk")[: engine.MATCH_LIMIT]
    plan = explain(Action.objects.filter(pk__in=bounded))
    assert "Seq Scan on programs_action" not in plan, plan
    # the text condition is on the subquery's own rows (U0), not a per-row test of the outer query's
    assert "SubPlan" not in plan, plan
    lines = plan.splitlines()
    scan = next(i for i, line in enumerate(lines) if "on programs_action u0" in line)
    assert any("search_vector @@" in line for line in lines[scan : scan + 4]), plan


def test_a_region_search_for_a_rare_word_reads_the_text_index_before_the_region(indexed):
    """The order is decided from the vocabulary, not left to the planner: a query matching few actions
    in the country reads their index entries first (a MATERIALIZED CTE) and keeps those of the region;
    a commoner one walks the region's actions."""
    from openmandato.search.services import Filters

    filters = Filters(region="Piemonte")
    analysis = engine.analyse("telemedicina")
    assert 0 < engine.estimated_matches(analysis) <= engine.TEXT_FIRST_MAX
    with CaptureQueriesContext(connection) as first:
        engine.candidates(filters.apply(searchable_actions()), analysis, filters.text_first())
    sql = first.captured_queries[-1]["sql"]
    assert "MATERIALIZED" in sql, sql
    plan = explain_sql(sql)
    matched = cte_subtree(plan, "CTE matched")  # what is read first
    assert "search_vector @@" in matched and "programs_action" in matched, plan
    assert "programs_mandate" not in matched and "region" not in matched, plan

    common = engine.analyse("telemedicina")
    for unit in common.units:
        unit.documents = engine.TEXT_FIRST_MAX + 1  # as a word held by that many actions would be
    with CaptureQueriesContext(connection) as walked:
        engine.candidates(filters.apply(searchable_actions()), common, filters.text_first())
    assert "MATERIALIZED" not in walked.captured_queries[-1]["sql"]
    # one comune: its own actions are always fewest, the text index is never read first
    assert Filters(municipality="borgo-alto", region="Piemonte").text_first() is None


def test_the_text_index_has_no_pending_list(indexed):
    """Every search would scan GIN's unsorted pending list (up to 4 MB) until a vacuum merged it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'action_search_vector_gin'")
        assert "fastupdate=off" in (cursor.fetchone()[0] or [])


def cte_subtree(plan: str, name: str) -> str:
    """The lines of a plan under the node `name` (those indented deeper than it, up to the next sibling):
    the line order around it depends on the join the planner picks, its subtree does not."""
    lines = plan.splitlines()
    start = next(index for index, line in enumerate(lines) if name in line)
    depth = len(lines[start]) - len(lines[start].lstrip())
    subtree = [lines[start]]
    for line in lines[start + 1 :]:
        if len(line) - len(line.lstrip()) <= depth:
            break
        subtree.append(line)
    return "\n".join(subtree)


def explain_sql(sql):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())
