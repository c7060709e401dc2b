""" "Chi altro lo ha promesso?": similar actions of other comuni, scored and precomputed.

The score (0–1) of a pair mixes: the cosine of their TF-IDF vectors (search terms of title, counted
twice, and text; IDF from the vocabulary), the overlap of their section titles, and — when both carry
them — their DUP missione and programma (same missione and programma 1, same missione 0.5, else 0).
Pairs under STORE_MIN are not kept; the compare page shows those at or above THRESHOLD and says
"nessun impegno simile" when none is.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from openmandato.programs.models import Action
from openmandato.search.engine import Alternative, Analysis, Unit, _title_terms, matching, synonym_groups
from openmandato.search.vocabulary import searchable_actions

THRESHOLD = 0.15
STORE_MIN = 0.1
PER_ACTION = 20
CANDIDATES = 200
QUERY_TERMS = 10


@dataclass
class Doc:
    pk: int
    municipality_id: int
    title: str
    document: str
    section: str
    mission: str
    program: str


FIELDS = (
    "pk",
    "mandate__municipality_id",
    "title",
    "search_document",
    "section__title",
    "dup_mission",
    "dup_program",
)


def idf_table() -> tuple[dict[str, float], float]:
    from openmandato.search.models import SearchWord

    total = searchable_actions().count()
    table = {
        term: math.log((total + 1) / (documents + 1)) + 1
        for term, documents in SearchWord.objects.values_list("term", "documents").distinct()
    }
    return table, math.log(total + 1) + 1  # unknown terms count as the rarest


def vector(doc: Doc, idf: dict[str, float], default: float) -> dict[str, float]:
    """Unit TF-IDF vector of the action's terms (title counted twice) plus one term per synonym group
    it mentions ("videosorveglianza" and "video sorveglianza" then share a term)."""
    counts = Counter(t for t in (doc.document or "").split() if not t.isdigit())  # codes say nothing
    counts.update({t: 1 for t in _title_terms(doc.title) if not t.isdigit()})
    weights = {t: (1 + math.log(n)) * idf.get(t, default) for t, n in counts.items()}
    for number, group in enumerate(synonym_groups()):
        present = {t for entry in group if all(t in weights for t in entry) for t in entry}
        if present:  # the group's words become one term, so that synonyms count as the same word
            weights[f"~{number}"] = max(weights.pop(t) for t in present)
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def overlap(a: str, b: str) -> float:
    ta, tb = _title_terms(a), _title_terms(b)
    return len(ta & tb) / math.sqrt(len(ta) * len(tb)) if ta and tb else 0.0


def pair_score(a: Doc, b: Doc, va: dict[str, float], vb: dict[str, float]) -> float:
    text, section = cosine(va, vb), overlap(a.section, b.section)
    if a.mission and b.mission:
        dup = (
            1.0
            if (a.mission, a.program) == (b.mission, b.program)
            else 0.5
            if a.mission == b.mission
            else 0.0
        )
        return 0.7 * text + 0.1 * section + 0.2 * dup
    return 0.85 * text + 0.15 * section


def neighbours_of(doc: Doc, idf: dict[str, float], default: float) -> list[tuple[int, float]]:
    """The best other-comune actions for `doc`: [(id, score)] at or above STORE_MIN, best first."""
    va = vector(doc, idf, default)
    top = sorted(va, key=va.get, reverse=True)[:QUERY_TERMS]
    if not top:
        return []
    groups = synonym_groups()
    analysis = Analysis(
        [
            Unit(t, [Alternative(entry, 1.0, t) for entry in groups[int(t[1:])]])
            if t.startswith("~")
            else Unit(t, [Alternative((t,), 1.0, t)])
            for t in top
        ]
    )
    others = searchable_actions().exclude(mandate__municipality_id=doc.municipality_id)
    bounded = matching(others, analysis).order_by().values("pk")[:CANDIDATES]
    found = []
    for row in Action.objects.filter(pk__in=bounded).values_list(*FIELDS):
        other = Doc(*row)
        value = pair_score(doc, other, va, vector(other, idf, default))
        if value >= STORE_MIN:
            found.append((other.pk, round(value, 4)))
    found.sort(key=lambda pair: (-pair[1], pair[0]))
    return found[:PER_ACTION]


def refresh_neighbours(mandate_id: int) -> int:
    """Recompute the stored neighbours of one mandate's actions (both directions); return pairs kept."""
    from openmandato.search.models import ActionNeighbour

    ids = list(Action.objects.filter(mandate_id=mandate_id).values_list("pk", flat=True))
    docs = [Doc(*row) for row in searchable_actions().filter(mandate_id=mandate_id).values_list(*FIELDS)]
    idf, default = idf_table() if docs else ({}, 1.0)
    pairs: dict[tuple[int, int], float] = {}
    for doc in docs:
        for other, value in neighbours_of(doc, idf, default):
            pairs[(doc.pk, other)] = pairs[(other, doc.pk)] = value
    with transaction.atomic():
        ActionNeighbour.objects.filter(Q(action_id__in=ids) | Q(neighbour_id__in=ids)).delete()
        ActionNeighbour.objects.bulk_create(
            [ActionNeighbour(action_id=a, neighbour_id=b, score=s) for (a, b), s in pairs.items()],
            batch_size=2000,
            ignore_conflicts=True,
        )
    return len(pairs)


def refresh_all() -> int:
    from openmandato.search.models import ActionNeighbour

    ActionNeighbour.objects.all().delete()
    mandates = searchable_actions().values_list("mandate_id", flat=True).distinct()
    return sum(refresh_neighbours(m) for m in list(mandates))
