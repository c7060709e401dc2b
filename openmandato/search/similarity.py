""" "Chi altro lo ha promesso?": similar actions of other comuni, scored and precomputed.

The score (0–1) of a pair mixes: the cosine of their TF-IDF vectors (search terms of title, counted
twice, and text; IDF from the vocabulary), the overlap of their section titles, and — when both carry
them — their DUP missione and programma (same missione and programma 1, same missione 0.5, else 0);
then TITLE_WEIGHT of it is the cosine of the titles alone. The title states the promise, the text
its topic: two promises of one topic (a new pool, a new gym) share the text's words, not the title's.
Pairs under STORE_MIN are not kept; the compare page shows those at or above THRESHOLD and says
"nessun impegno simile" when none is.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from django.db import transaction

from openmandato.core.models import fill_municipality
from openmandato.programs.models import Action
from openmandato.search.engine import (
    Alternative,
    Analysis,
    Unit,
    _db_rank,
    _title_terms,
    matching_ids,
    synonym_groups,
)
from openmandato.search.vocabulary import searchable_actions

THRESHOLD = 0.2
TITLE_WEIGHT = 0.35
STORE_MIN = 0.1
PER_ACTION = 20
CANDIDATES = 200  # candidates scored in Python per action, the best by the database's rank
QUERY_TERMS = 10  # the heaviest items of an action's vector rank its candidates
POSTINGS = 500  # index entries the rarest of them may select, at most (plus the rarest one)
MATCH_LIMIT = 500  # matches read from the full-text index and ranked, at most


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


class Idf:
    """Inverse document frequencies of the terms asked for, from SearchTerm (no scan of the actions)."""

    def __init__(self, total: int | None = None) -> None:
        from openmandato.search.vocabulary import searchable_total

        self.total = searchable_total() if total is None else total
        self.documents: dict[str, int] = {}
        self.default = math.log(self.total + 1) + 1  # a term no searchable action holds: the rarest

    def load(self, terms: set[str]) -> None:
        """Read the document counts of `terms` not read yet: one query per BATCH of them."""
        from openmandato.search.models import SearchTerm
        from openmandato.search.vocabulary import BATCH

        missing = sorted(t for t in terms if t not in self.documents)
        for start in range(0, len(missing), BATCH):
            batch = missing[start : start + BATCH]
            self.documents.update(dict.fromkeys(batch, 0))
            self.documents.update(SearchTerm.objects.filter(term__in=batch).values_list("term", "documents"))

    def get(self, term: str, default: float | None = None) -> float:
        return math.log((self.total + 1) / (self.documents.get(term, 0) + 1)) + 1


def idf_table() -> tuple[Idf, float]:
    """Every term's IDF (the tests' small worlds and the evaluation)."""
    from openmandato.search.models import SearchTerm

    idf = Idf()
    idf.documents = dict(SearchTerm.objects.values_list("term", "documents"))
    return idf, idf.default


@lru_cache(maxsize=1)
def _groups_by_term() -> dict[str, list[int]]:
    """The synonym groups each term appears in (a group's entries may be phrases)."""
    index: dict[str, list[int]] = {}
    for number, group in enumerate(synonym_groups()):
        for entry in group:
            for term in entry:
                if number not in index.setdefault(term, []):
                    index[term].append(number)
    return index


def document_terms_of(doc: Doc) -> set[str]:
    return set((doc.document or "").split()) | _title_terms(doc.title)


@dataclass
class Vectors:
    whole: dict[str, float]  # title and text
    title: dict[str, float]


def vectors(doc: Doc, idf, default: float) -> Vectors:
    return Vectors(vector(doc, idf, default), vector(doc, idf, default, title_only=True))


def vector(doc: Doc, idf, default: float, title_only: bool = False) -> dict[str, float]:
    """Unit TF-IDF vector of the action's terms (title counted twice) plus one term per synonym group
    it mentions ("videosorveglianza" and "video sorveglianza" then share a term)."""
    text = "" if title_only else (doc.document or "")
    counts = Counter(t for t in text.split() if not t.isdigit())  # codes say nothing
    counts.update({t: 1 for t in _title_terms(doc.title) if not t.isdigit()})
    weights = {t: (1 + math.log(n)) * idf.get(t, default) for t, n in counts.items()}
    groups = synonym_groups()
    by_term = _groups_by_term()
    for number in sorted({g for t in counts for g in by_term.get(t, ())}):
        present = {t for entry in groups[number] if all(t in weights for t in entry) for t in entry}
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


def pair_score(a: Doc, b: Doc, va: Vectors, vb: Vectors) -> float:
    text, section = cosine(va.whole, vb.whole), overlap(a.section, b.section)
    if a.mission and b.mission:
        dup = (
            1.0
            if (a.mission, a.program) == (b.mission, b.program)
            else 0.5
            if a.mission == b.mission
            else 0.0
        )
        topic = 0.7 * text + 0.1 * section + 0.2 * dup
    else:
        topic = 0.85 * text + 0.15 * section
    return (1 - TITLE_WEIGHT) * topic + TITLE_WEIGHT * cosine(va.title, vb.title)


def _estimate(item: str, idf: Idf) -> int:
    """How many actions a vector item matches at most: a term's document count; a synonym group's, the
    sum over its entries of their rarest word's."""
    if not item.startswith("~"):
        return idf.documents.get(item, 0)
    return sum(min(idf.documents.get(t, 0) for t in entry) for entry in synonym_groups()[int(item[1:])])


def _unit(item: str) -> Unit:
    if item.startswith("~"):
        return Unit(item, [Alternative(entry, 1.0, item) for entry in synonym_groups()[int(item[1:])]])
    return Unit(item, [Alternative((item,), 1.0, item)])


def query_items(va: dict[str, float], idf: Idf) -> tuple[list[str], list[str]]:
    """(items that select the candidates, items that rank them) of an action's vector.

    Ranking uses its QUERY_TERMS heaviest items; the candidates come from the rarest of those only,
    as many as fit in POSTINGS (their document counts summed) and at least one: the database reads at
    most POSTINGS index entries, however common the action's other words are in the country."""
    top = sorted(va, key=lambda t: (-va[t], t))[:QUERY_TERMS]
    chosen, used = [], 0
    for item in sorted(top, key=lambda t: (_estimate(t, idf), -va[t], t)):
        estimate = _estimate(item, idf)
        if chosen and used + estimate > POSTINGS:
            break
        chosen.append(item)
        used += estimate
    return chosen, top


def candidate_query(doc: Doc, chosen: list[str], ranking: list[str]):
    """The other comuni's searchable actions matching any chosen item, at most MATCH_LIMIT of them read
    from the full-text index, ranked by the database on the ranking items: the best CANDIDATES."""
    others = searchable_actions().exclude(mandate__municipality_id=doc.municipality_id)
    bounded = matching_ids(Analysis([_unit(i) for i in chosen]), MATCH_LIMIT)
    return (
        others.filter(pk__in=bounded)
        .annotate(db_rank=_db_rank(Analysis([_unit(i) for i in ranking])))
        .order_by("-db_rank", "pk")
        .values_list(*FIELDS)[:CANDIDATES]
    )


def _group_terms(terms: set[str]) -> set[str]:
    """The words of the synonym groups `terms` belong to (their counts rank a group as a candidate source)."""
    groups, by_term = synonym_groups(), _groups_by_term()
    return {t for term in terms for g in by_term.get(term, ()) for entry in groups[g] for t in entry}


def neighbours(docs: list[Doc], idf: Idf) -> dict[int, list[tuple[int, float]]]:
    """For each of `docs`, the best other-comune actions at or above STORE_MIN, best first, at most
    PER_ACTION: one candidate query per action, then one query per BATCH of the candidates' terms."""
    terms = set().union(*(document_terms_of(d) for d in docs)) if docs else set()
    idf.load(terms | _group_terms(terms))
    found: dict[int, tuple[Vectors, list[Doc]]] = {}
    for doc in docs:
        va = vectors(doc, idf, idf.default)
        chosen, ranking = query_items(va.whole, idf)
        others = [Doc(*row) for row in candidate_query(doc, chosen, ranking)] if chosen else []
        found[doc.pk] = (va, others)
    idf.load(set().union(*(document_terms_of(o) for _va, others in found.values() for o in others)))
    seen: dict[int, Vectors] = {}
    result = {}
    for doc in docs:
        va, others = found[doc.pk]
        scored = []
        for other in others:
            if other.pk not in seen:
                seen[other.pk] = vectors(other, idf, idf.default)
            value = pair_score(doc, other, va, seen[other.pk])
            if value >= STORE_MIN:
                scored.append((other.pk, round(value, 4)))
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        result[doc.pk] = scored[:PER_ACTION]
    return result


def refresh_neighbours(mandate_id: int, idf: Idf | None = None) -> int:
    """Recompute the stored neighbours of one mandate's actions (both directions); return pairs kept."""
    from openmandato.search.models import ActionNeighbour

    docs = [Doc(*row) for row in searchable_actions().filter(mandate_id=mandate_id).values_list(*FIELDS)]
    pairs: dict[tuple[int, int], float] = {}
    if docs:
        for pk, found in neighbours(docs, idf or Idf()).items():
            for other, value in found:
                pairs[(pk, other)] = pairs[(other, pk)] = value
    mandate_actions = Action.objects.filter(mandate_id=mandate_id).values("pk")
    with transaction.atomic():
        ActionNeighbour.objects.filter(action_id__in=mandate_actions).delete()
        ActionNeighbour.objects.filter(neighbour_id__in=mandate_actions).delete()
        rows = [ActionNeighbour(action_id=a, neighbour_id=b, score=s) for (a, b), s in pairs.items()]
        fill_municipality(rows)
        ActionNeighbour.objects.bulk_create(
            rows,
            batch_size=2000,
            ignore_conflicts=True,
        )
    return len(pairs)


def refresh_all() -> int:
    from openmandato.search.models import ActionNeighbour

    ActionNeighbour.objects.all().delete()
    mandates = searchable_actions().order_by("mandate_id").values_list("mandate_id", flat=True).distinct()
    idf, _default = idf_table()  # read once for every mandate
    return sum(refresh_neighbours(m, idf) for m in list(mandates))
