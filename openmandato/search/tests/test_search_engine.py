"""Search finds what people mean: typos, missing accents, synonyms, partial matches, several words."""

import pytest

from openmandato.search.engine import edit_distance, search, trigram_similarity
from openmandato.search.models import SearchWord
from openmandato.search.vocabulary import searchable_actions

pytestmark = pytest.mark.django_db


def titles(query):
    from openmandato.programs.models import Action

    results = search(searchable_actions(), query)
    names = dict(Action.objects.values_list("pk", "title"))
    return [names[hit.pk] for hit in results.hits]


def test_a_typo_finds_the_word_meant_and_suggests_it(comuni):
    results = search(searchable_actions(), "telemedicna")
    assert results.analysis.suggestion == "telemedicina"
    assert set(titles("telemedicna")[:2]) == {
        "Potenziamento dei servizi di telemedicina",
        "Telemedicina per gli anziani delle frazioni",
    }
    # a swapped pair of letters is one edit away, even when trigrams share little
    assert search(searchable_actions(), "telemedicnia").analysis.suggestion == "telemedicina"
    assert titles("parchegi")[0] == "Piano della viabilità e nuovi parcheggi"


def test_a_known_word_is_not_corrected_and_nonsense_suggests_nothing(comuni):
    assert search(searchable_actions(), "telemedicina").analysis.suggestion is None
    nonsense = search(searchable_actions(), "qwxzkv")
    assert nonsense.analysis.suggestion is None and nonsense.hits == []


def test_suggestions_come_only_from_published_programs(comuni):
    assert not SearchWord.objects.filter(word__startswith="zanzar").exists()
    assert search(searchable_actions(), "zanzariera").analysis.suggestion is None
    assert titles("zanzariere") == []


def test_missing_accents_and_inflections_match(comuni):
    assert titles("viabilita")[0] == "Piano della viabilità e nuovi parcheggi"
    assert titles("citta")[:0] == []  # a stop-word-free query that matches nothing is fine
    assert titles("asilo")[0] == "Nuovi asili per la prima infanzia"


def test_synonyms_of_the_public_administration_vocabulary(comuni):
    assert "Didattica digitale nelle scuole medie" in titles("istruzione")[:1]
    assert set(titles("verde")[:2]) == {
        "Riqualificazione dei parchi cittadini",
        "Mille alberi nei giardini pubblici",
    }
    assert titles("traffico")[0] == "Piano della viabilità e nuovi parcheggi"
    # the word as typed ranks above its synonyms
    assert titles("giardini")[0] == "Mille alberi nei giardini pubblici"


def test_asili_nido_finds_the_action_that_speaks_of_asili(comuni):
    assert titles("asili nido")[0] == "Nuovi asili per la prima infanzia"


def test_several_words_rank_by_how_many_match_instead_of_requiring_all(comuni):
    ranked = titles("telemedicina anziani")
    assert ranked[0] == "Telemedicina per gli anziani delle frazioni"  # both words
    assert "Potenziamento dei servizi di telemedicina" in ranked  # one word
    assert "Casa di riposo comunale" in ranked  # the other word, in the text


def test_partial_words_match_longer_ones(comuni):
    assert titles("ciclab")[0] == "Piste ciclabili nel centro"  # typed halfway
    assert titles("riqualific")[0] == "Riqualificazione dei parchi cittadini"
    assert titles("macroare")[0] == "Analisi delle macroaree produttive"


def test_hostile_queries_never_break(comuni, client):
    for query in [
        '"',
        "AND OR NOT",
        "*",
        "a:b",
        "()",
        "'; DROP TABLE programs_action; --",
        "é" * 300,
        "&|!:*",
    ]:
        search(searchable_actions(), query)
        assert client.get("/search/", {"q": query}).status_code == 200, query
    assert titles("(telemedicina)")[:1] and titles('"telemedicina*')[:1]


def test_trigram_similarity_and_edit_distance_follow_their_definitions():
    assert trigram_similarity("parco", "parco") == 1.0
    assert trigram_similarity("abc", "xyz") == 0.0
    assert 0 < trigram_similarity("telemedicna", "telemedicina") < 1
    assert edit_distance("liuteira", "liuteria") == 1
    assert edit_distance("parchegi", "parcheggi") == 1
    assert edit_distance("", "abc") == 3


def test_a_filtered_search_finds_the_same_whichever_it_reads_first(comuni):
    """Reading the text index before the region (engine.candidates, PostgreSQL) or the region's actions
    first gives the same results, the filters on the action itself included."""
    from openmandato.programs.models import Action
    from openmandato.search.services import Filters, run_search

    Action.objects.filter(title__startswith="Telemedicina").update(status="in_progress")
    for filters in (
        Filters(region="toscana"),
        Filters(province="TO"),
        Filters(region="Toscana", status="in_progress"),
        Filters(region="Piemonte", mission="10"),
    ):
        for query in ("telemedicina", "parcheggi piste", "scuola", "viabilita"):
            assert filters.text_first() is not None
            fast = [(row.action.pk, row.score) for row in run_search(query, filters).rows]
            walked = search(filters.apply(searchable_actions()), query)
            assert fast == [(hit.pk, hit.score) for hit in walked.hits[:20]], (filters, query)
    assert [row.action.title for row in run_search("telemedicina", Filters(region="Toscana")).rows] == [
        "Telemedicina per gli anziani delle frazioni"
    ]
    assert run_search("telemedicina", Filters(region="Toscana", status="done")).rows == []
