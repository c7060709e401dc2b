"""The program's own order: sections by position, each with its actions (tree order) before its subsections.

Sorting by the materialised id path ("/12/34/") is not the program's order: ids follow insertion, and as
strings "/10/" sorts before "/9/". `tree_orders` numbers every section and action of a mandate depth-first
by position, and the roll-up stores those numbers in `tree_order`, so every list can `order_by("tree_order")`.
"""

from __future__ import annotations

from collections import defaultdict


def tree_orders(sections, actions) -> tuple[dict[int, int], dict[int, int]]:
    """Depth-first rank of each section and action of one mandate (objects need pk, parent_id, position)."""

    def key(node):
        return (node.position, node.pk)

    section_children, top_actions, action_children = defaultdict(list), defaultdict(list), defaultdict(list)
    action_ids = {action.pk for action in actions}
    for section in sections:
        section_children[section.parent_id].append(section)
    for action in actions:
        if action.parent_id in action_ids:
            action_children[action.parent_id].append(action)
        else:
            top_actions[action.section_id].append(action)
    section_rank: dict[int, int] = {}
    action_rank: dict[int, int] = {}
    counter = 0

    def visit_action(action):
        nonlocal counter
        if action.pk in action_rank:  # a cycle in bad data must not loop forever
            return
        counter += 1
        action_rank[action.pk] = counter
        for child in sorted(action_children[action.pk], key=key):
            visit_action(child)

    def visit_section(section):
        nonlocal counter
        counter += 1
        section_rank[section.pk] = counter
        for action in sorted(top_actions[section.pk], key=key):
            visit_action(action)
        for child in sorted(section_children[section.pk], key=key):
            visit_section(child)

    for section in sorted(section_children[None], key=key):
        visit_section(section)
    return section_rank, action_rank
