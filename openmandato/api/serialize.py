"""Rows for the API and the exports, built with a fixed number of queries per page."""

from __future__ import annotations

import base64
import binascii

from django.db.models import Max, Prefetch, Q, QuerySet

from openmandato.accountability.models import Evidence, ProgressUpdate
from openmandato.participation.queries import support_count_subquery
from openmandato.programs.models import Action, Area, Section

MAX_LIMIT = 100


class BadCursor(ValueError):
    pass


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"id:{pk}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        kind, _sep, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if kind != "id" or not value.isdigit():
            raise ValueError(cursor)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise BadCursor("invalid cursor") from error


def page_by_id(queryset: QuerySet, cursor: str | None, limit: int) -> tuple[list, str | None]:
    limit = max(1, min(limit, MAX_LIMIT))
    rows = list(queryset.filter(pk__gt=decode_cursor(cursor)).order_by("pk")[: limit + 1])
    next_cursor = encode_cursor(rows[limit - 1].pk) if len(rows) > limit else None
    return rows[:limit], next_cursor


def page_in_program_order(queryset: QuerySet, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """Keyset pages of one mandate's actions in the program's order (tree_order, then id)."""
    limit = max(1, min(limit, MAX_LIMIT))
    order, pk = _decode_order_cursor(cursor)
    after = Q(tree_order__gt=order) | Q(tree_order=order, pk__gt=pk)
    rows = list(queryset.filter(after).order_by("tree_order", "pk")[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    token = base64.urlsafe_b64encode(f"order:{last.tree_order}.{last.pk}".encode()).decode()
    return rows[:limit], token


def _decode_order_cursor(cursor: str | None) -> tuple[int, int]:
    if not cursor:
        return -1, 0
    try:
        kind, _sep, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        order, _dot, pk = value.partition(".")
        if kind != "order" or not order.isdigit() or not pk.isdigit() or len(value) > 40:
            raise ValueError(cursor)
        return int(order), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise BadCursor("invalid cursor") from error


def actions_queryset(queryset: QuerySet) -> QuerySet:
    return (
        queryset.select_related("mandate__municipality")
        .prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("name")))
        .annotate(last_update=Max("updates__date"), support_count=support_count_subquery())
    )


def section_titles(actions: list[Action]) -> dict[int, str]:
    ids = {int(pk) for action in actions for pk in action.section_path.strip("/").split("/") if pk}
    return dict(Section.objects.filter(pk__in=ids).values_list("pk", "title"))


def action_row(action: Action, titles: dict[int, str]) -> dict:
    path = [titles.get(int(pk), "") for pk in action.section_path.strip("/").split("/") if pk]
    return {
        "id": action.pk,
        "mandate_id": action.mandate_id,
        "section_id": action.section_id,
        "section_path": path,
        "parent_id": action.parent_id,
        "code": action.code,
        "title": action.title,
        "text": action.text,
        "areas": [area.name for area in action.areas.all()],
        "status": action.status,
        "progress": action.progress,
        "weight": float(action.weight),
        "due_date": action.due_date,
        "budget": float(action.budget) if action.budget is not None else None,
        "dup_mission": action.dup_mission,
        "dup_program": action.dup_program,
        "last_update": action.last_update,
        "supports": getattr(action, "support_count", 0),
        "url": action.get_absolute_url(),
    }


def action_rows(actions: list[Action]) -> list[dict]:
    titles = section_titles(actions)
    return [action_row(action, titles) for action in actions]


def updates_queryset(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("ledger_entry").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))
    )


def update_row(update: ProgressUpdate) -> dict:
    entry = getattr(update, "ledger_entry", None)
    return {
        "id": update.pk,
        "action_id": update.action_id,
        "date": update.date,
        "status": update.status,
        "progress": update.progress,
        "note": update.note,
        "spent_budget": float(update.spent_budget) if update.spent_budget is not None else None,
        "corrects_id": update.corrects_id,
        "from_indicators": update.from_indicators,
        "is_demo": update.is_demo,
        "created_at": update.created_at,
        "ledger_hash": entry.hash if entry else None,
        "evidence": list(update.evidence.all()),
    }
