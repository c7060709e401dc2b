"""Search for the portal's lists (a program's actions list, the API's `q`): the ranked search of
openmandato.search as a queryset, best first. The national search page uses openmandato.search.services."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from openmandato.search.engine import search


def search_actions(queryset: QuerySet, text: str) -> QuerySet:
    """The actions of `queryset` matching any word of `text` (or its synonyms or corrections), best first."""
    hits = search(queryset, text).hits
    if not hits:
        return queryset.none()
    order = Case(*(When(pk=hit.pk, then=Value(i)) for i, hit in enumerate(hits)), output_field=IntegerField())
    return queryset.filter(pk__in=[hit.pk for hit in hits]).annotate(rank=order).order_by("rank")
