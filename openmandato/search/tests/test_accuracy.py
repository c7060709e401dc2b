"""Accuracy floors on the relevance set (openmandato/search/eval), a little below what `make
bench-search` measured on each backend (BENCHMARKS.md): a change that makes search or compare worse
fails here."""

import pytest
from django.db import connection

from openmandato.search.evaluation import evaluate_compare, evaluate_search, load_world

pytestmark = pytest.mark.django_db

# measured (BENCHMARKS.md) minus a small margin, per backend
FLOORS = {
    # measured 2026-11-22: nDCG@10 0.926, recall@10 0.923, MRR 0.927, compare P 0.952 R 0.833 (both)
    "sqlite": {"ndcg": 0.90, "recall": 0.90, "mrr": 0.90, "precision": 0.90, "compare_recall": 0.79},
    "postgresql": {"ndcg": 0.90, "recall": 0.90, "mrr": 0.90, "precision": 0.90, "compare_recall": 0.79},
}


def test_search_and_compare_stay_above_the_measured_floors():
    load_world()
    floors = FLOORS[connection.vendor]
    search = evaluate_search()
    compare = evaluate_compare()
    assert search.queries >= 60
    assert compare.pairs >= 40
    assert search.ndcg >= floors["ndcg"], search.worst
    assert search.recall >= floors["recall"]
    assert search.mrr >= floors["mrr"]
    assert compare.precision >= floors["precision"], compare.errors
    assert compare.recall >= floors["compare_recall"], compare.errors
