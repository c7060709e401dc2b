"""One search interface, two backends: PostgreSQL full-text (italian configuration, GIN index) and
SQLite FTS5. Both match the Italian terms of textsearch.py."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from openmandato.programs.textsearch import query_terms

MAX_TERMS = 12


def search_actions(queryset: QuerySet, text: str, *, any_term: bool = False) -> QuerySet:
    """Filter actions matching the query (all terms, or any term) and annotate a `rank`, best first."""
    terms = query_terms(text)[:MAX_TERMS]
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        query = SearchQuery((" | " if any_term else " & ").join(terms), search_type="raw", config="italian")
        vector = SearchVector("search_document", config="italian")
        return (
            queryset.annotate(search_vector=vector)
            .filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "pk")
        )
    match = (" OR " if any_term else " AND ").join(f'"{term}"' for term in terms)
    rank = RawSQL(
        "SELECT -bm25(action_fts) FROM action_fts"
        " WHERE action_fts MATCH %s AND action_fts.rowid = programs_action.id",
        [match],
        output_field=FloatField(),
    )
    matching = RawSQL("SELECT rowid FROM action_fts WHERE action_fts MATCH %s", [match])
    return queryset.filter(pk__in=matching).annotate(rank=rank).order_by("-rank", "pk")
