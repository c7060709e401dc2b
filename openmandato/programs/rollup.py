"""Roll-up: a section's and the mandate's progress are the weighted means of their children.

Each level divides its share among its children in proportion to their weights (default 1, so
equal shares); a leaf action's share of the whole mandate is the product of those fractions along
its path and is stored in `Action.rollup_share`. Then, for any section or for the mandate,

    progress = Σ(share × p) / Σ(share)   over the leaf actions below it,

which equals the weighted mean of weighted means, and is a single SQL aggregate. An abandoned action
counts as p = 0 (`counted_progress`, and its SQL twin `effective_progress`); archived actions, children
with weight 0 and subtrees without actions take no share. `weighted_progress` is the one Python
implementation of the formula, for rows already loaded (the portal's trees, the report as of a date).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from contextlib import contextmanager
from typing import NamedTuple

from django.db.models import Case, F, FloatField, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Cast

from openmandato.programs.models import Action, Mandate, Section
from openmandato.programs.ordering import tree_orders
from openmandato.programs.status import Status

_state = threading.local()


def counted_progress(status: str, progress) -> float:
    """An action's progress as the roll-up counts it (abandoned counts as 0)."""
    return 0.0 if status in Status.COUNTS_AS_ZERO else float(progress)


def effective_progress(prefix: str = ""):
    """SQL twin of `counted_progress`."""
    return Case(
        When(**{f"{prefix}status__in": sorted(Status.COUNTS_AS_ZERO)}, then=Value(0.0)),
        default=Cast(F(f"{prefix}progress"), FloatField()),
        output_field=FloatField(),
    )


def _weighted_mean(queryset, group_by: str):
    return Subquery(
        queryset.filter(rollup_share__gt=0)
        .order_by()
        .values(group_by)
        .annotate(mean=Sum(F("rollup_share") * effective_progress()) / Sum("rollup_share"))
        .values("mean")[:1],
        output_field=FloatField(),
    )


def with_section_progress(sections):
    """Annotate sections with `progress` (None when nothing below them counts)."""
    return sections.annotate(
        progress=_weighted_mean(
            Action.objects.filter(mandate=OuterRef("mandate"), section_path__startswith=OuterRef("path")),
            "mandate",
        )
    )


def with_mandate_progress(mandates):
    return mandates.annotate(
        progress=_weighted_mean(Action.objects.filter(mandate=OuterRef("pk")), "mandate")
    )


def with_current_progress(municipalities):
    actions = Action.objects.filter(mandate__municipality=OuterRef("pk"), mandate__is_current=True)
    return municipalities.annotate(progress=_weighted_mean(actions, "mandate"))


def mandate_progress(mandate: Mandate) -> float | None:
    return with_mandate_progress(Mandate.objects.filter(pk=mandate.pk)).values_list("progress", flat=True)[0]


@contextmanager
def deferred():
    """Suspend recomputation (e.g. during an import); the caller recomputes once at the end."""
    previous = getattr(_state, "deferred", False)
    _state.deferred = True
    try:
        yield
    finally:
        _state.deferred = previous


def is_deferred() -> bool:
    return getattr(_state, "deferred", False)


def recompute_shares(mandate_id: int) -> None:
    """Recompute every section path and leaf share of a mandate (three queries plus the changed rows)."""
    sections = list(
        Section.objects.filter(mandate_id=mandate_id).only(
            "id", "parent_id", "position", "weight", "path", "tree_order"
        )
    )
    actions = list(
        Action.objects.filter(mandate_id=mandate_id).only(
            "id",
            "section_id",
            "parent_id",
            "position",
            "weight",
            "archived_at",
            "section_path",
            "rollup_share",
            "tree_order",
        )
    )
    section_rank, action_rank = tree_orders(sections, actions)
    section_children, action_children, top_actions = defaultdict(list), defaultdict(list), defaultdict(list)
    for section in sections:
        section_children[section.parent_id].append(section)
    for action in actions:
        if action.archived_at is None:
            (
                action_children[action.parent_id] if action.parent_id else top_actions[action.section_id]
            ).append(action)

    paths: dict[int, str] = {}

    def assign_paths(parent_id, prefix):
        for section in section_children[parent_id]:
            paths[section.pk] = f"{prefix}{section.pk}/"
            assign_paths(section.pk, paths[section.pk])

    assign_paths(None, "/")
    shares: dict[int, float] = {}

    def children_of(kind, node):
        if kind == "section":
            return [("section", s) for s in section_children[node.pk]] + [
                ("action", a) for a in top_actions[node.pk]
            ]
        return [("action", a) for a in action_children[node.pk]]

    def counts(kind, node) -> bool:
        """Does this subtree hold at least one leaf action that takes a share?"""
        kids = children_of(kind, node)
        if kind == "action" and not kids:
            return node.weight > 0
        return any(child.weight > 0 and counts(child_kind, child) for child_kind, child in kids)

    def distribute(kids, share):
        kids = [(kind, node) for kind, node in kids if node.weight > 0 and counts(kind, node)]
        total = sum(float(node.weight) for _kind, node in kids)
        for kind, node in kids:
            node_share = share * float(node.weight) / total
            sub = children_of(kind, node)
            if kind == "action" and not sub:
                shares[node.pk] = node_share
            else:
                distribute(sub, node_share)

    distribute([("section", s) for s in section_children[None]], 1.0)

    changed_sections = [
        s for s in sections if (s.path, s.tree_order) != (paths.get(s.pk, ""), section_rank.get(s.pk, 0))
    ]
    for section in changed_sections:
        section.path, section.tree_order = paths.get(section.pk, ""), section_rank.get(section.pk, 0)
    Section.objects.bulk_update(changed_sections, ["path", "tree_order"])
    changed_actions = []
    for action in actions:
        path, share = paths.get(action.section_id, ""), shares.get(action.pk, 0.0)
        order = action_rank.get(action.pk, 0)
        if (
            action.section_path != path
            or abs(action.rollup_share - share) > 1e-12
            or action.tree_order != order
        ):
            action.section_path, action.rollup_share, action.tree_order = path, share, order
            changed_actions.append(action)
    Action.objects.bulk_update(
        changed_actions, ["section_path", "rollup_share", "tree_order"], batch_size=500
    )


def weighted_progress(actions) -> float | None:
    """Σ(share × counted progress) / Σ(share) over leaf actions already loaded; None if none counts."""
    total = value = 0.0
    for action in actions:
        if action.rollup_share > 0:
            total += action.rollup_share
            value += action.rollup_share * counted_progress(action.status, action.progress)
    return value / total if total else None


class TreeProgress(NamedTuple):
    sections: dict[int, float]
    actions: dict[int, float]
    mandate: float | None


def tree_progress(sections: list[Section], actions: list[Action]) -> TreeProgress:
    """Progress of every section, parent action and the mandate from rows already loaded (no queries).

    Reads each action's `status` and `progress` as set on the row: the stored ones, or those as of a date.
    """
    below_section, below_action = defaultdict(list), defaultdict(list)
    by_id = {action.pk: action for action in actions}
    for action in actions:
        if action.rollup_share <= 0:
            continue
        for section_id in filter(None, action.section_path.split("/")):
            below_section[int(section_id)].append(action)
        parent = by_id.get(action.parent_id)
        while parent is not None:
            below_action[parent.pk].append(action)
            parent = by_id.get(parent.parent_id)
    return TreeProgress(
        sections={pk: weighted_progress(leaves) for pk, leaves in below_section.items()},
        actions={pk: weighted_progress(leaves) for pk, leaves in below_action.items()},
        mandate=weighted_progress(actions),
    )
