"""The relevance set (eval/*.json) and its measures: nDCG@10, recall@10 and MRR for search, precision
and recall of compare on the labelled pairs. Used by `make bench-search` and by the accuracy-floor test.

Three sets of compare pairs: pairs.json, on which THRESHOLD was first chosen (the tuning set);
pairs_heldout.json, written afterwards (the held-out set; most of its pairs involve the two comuni of
programs_heldout.json), since seen: TITLE_WEIGHT and THRESHOLD were chosen on both together; and
pairs_fresh.json, written blind after both had been seen (the fresh set; every pair involves one of
the three comuni of programs_fresh.json).
The search queries are evaluated without the comuni of the held-out and fresh sets, whose actions their
labels do not know."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from openmandato.programs.models import Action, Mandate, Municipality, Section

EVAL_DIR = Path(__file__).resolve().parent / "eval"
K = 10


def _load(name: str) -> dict:
    return json.loads((EVAL_DIR / name).read_text(encoding="utf-8"))


HELDOUT_PROGRAMS, FRESH_PROGRAMS = "programs_heldout.json", "programs_fresh.json"
TUNING_PAIRS, HELDOUT_PAIRS, FRESH_PAIRS = "pairs.json", "pairs_heldout.json", "pairs_fresh.json"


def unlabelled_slugs() -> list[str]:
    """The comuni of the held-out and fresh sets: the search queries' labels do not know their actions."""
    return [
        program["slug"] for name in (HELDOUT_PROGRAMS, FRESH_PROGRAMS) for program in _load(name)["programs"]
    ]


def load_synthetic_programs(name: str = "programs.json") -> list[Mandate]:
    """The small invented programs of eval/`name`, published and current."""
    mandates = []
    with transaction.atomic():
        for program in _load(name)["programs"]:
            municipality, _ = Municipality.objects.get_or_create(
                slug=program["slug"],
                defaults={
                    "name": program["name"],
                    "province": program["province"],
                    "region": program["region"],
                },
            )
            if municipality.mandates.exists():
                continue
            mandate = Mandate.objects.create(
                municipality=municipality, title="Programma di mandato", is_current=True, is_published=True
            )
            for s_pos, section_data in enumerate(program["sections"]):
                section = Section.objects.create(mandate=mandate, title=section_data["title"], position=s_pos)
                for a_pos, action in enumerate(section_data["actions"]):
                    mission, prog = action.get("dup", ["", ""])
                    Action.objects.create(
                        section=section,
                        position=a_pos,
                        code=f"{s_pos + 1}.{a_pos + 1}",
                        title=action["title"],
                        text=action["text"],
                        dup_mission=mission,
                        dup_program=prog,
                    )
            mandates.append(mandate)
    return mandates


def load_demo_texts() -> None:
    """The demo programs (Cremona, Valenza) as `load_demo_programs` imports them, without the invented
    history and indicators: search and compare read only the texts, and the history's thousand saves
    were most of the accuracy test's time."""
    from openmandato.demo.services import load_demo_programs

    load_demo_programs(with_history=False)


def load_world() -> None:
    """Demo programs (Cremona, Valenza), the invented ones (also the held-out and fresh sets'), then the
    search index as the task builds it."""
    from openmandato.search.similarity import refresh_all
    from openmandato.search.vocabulary import rebuild_vocabulary

    load_demo_texts()
    load_synthetic_programs()
    load_synthetic_programs(HELDOUT_PROGRAMS)
    load_synthetic_programs(FRESH_PROGRAMS)
    rebuild_vocabulary()
    refresh_all()


class References:
    """'comune-slug:start of the title' -> the one action it names, from one query."""

    def __init__(self) -> None:
        self.titles: dict[str, list[tuple[str, int]]] = {}
        rows = Action.objects.values_list("mandate__municipality__slug", "title", "pk")
        for slug, title, pk in rows:
            self.titles.setdefault(slug, []).append((title, pk))
        self.cache: dict[str, int] = {}

    def __call__(self, reference: str) -> int:
        if reference not in self.cache:
            slug, start = reference.split(":", 1)
            ids = [pk for title, pk in self.titles.get(slug, []) if title.startswith(start)]
            if len(ids) != 1:
                raise ValueError(f"{reference!r} names {len(ids)} actions")
            self.cache[reference] = ids[0]
        return self.cache[reference]


def resolve(reference: str) -> int:
    """'comune-slug:start of the title' -> the one action it names."""
    return References()(reference)


@dataclass
class SearchFigures:
    ndcg: float
    recall: float
    mrr: float
    queries: int
    by_kind: dict[str, float]
    worst: list[tuple[str, float]]


def evaluate_search() -> SearchFigures:
    from openmandato.search.engine import search
    from openmandato.search.vocabulary import searchable_actions

    resolve = References()
    queryset = searchable_actions().exclude(mandate__municipality__slug__in=unlabelled_slugs())
    ndcgs, recalls, rrs, by_kind = [], [], [], {}
    for query in _load("queries.json")["queries"]:
        gains = {resolve(r): 2 for r in query["first"]}
        gains.update({resolve(r): 1 for r in query["also"] if resolve(r) not in gains})
        ranked = [hit.pk for hit in search(queryset, query["q"]).hits[:K]]
        dcg = sum((2 ** gains.get(pk, 0) - 1) / math.log2(i + 2) for i, pk in enumerate(ranked))
        ideal = sorted(gains.values(), reverse=True)[:K]
        idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
        ndcg = dcg / idcg
        ndcgs.append(ndcg)
        recalls.append(len(set(ranked) & set(gains)) / len(gains))
        first = [i for i, pk in enumerate(ranked) if gains.get(pk) == 2]
        rrs.append(1 / (first[0] + 1) if first else 0.0)
        by_kind.setdefault(query["kind"], []).append(ndcg)
        query["ndcg"] = ndcg
    mean = lambda values: sum(values) / len(values)  # noqa: E731
    queries = _load("queries.json")["queries"]
    worst = sorted(((q["q"], n) for q, n in zip(queries, ndcgs, strict=True)), key=lambda x: x[1])[:8]
    return SearchFigures(
        ndcg=mean(ndcgs),
        recall=mean(recalls),
        mrr=mean(rrs),
        queries=len(ndcgs),
        by_kind={kind: mean(values) for kind, values in sorted(by_kind.items())},
        worst=worst,
    )


@dataclass
class CompareFigures:
    precision: float
    recall: float
    pairs: int
    threshold: float
    errors: list[tuple[str, str, bool, float]]


def pair_scores(name: str = TUNING_PAIRS) -> list[tuple[str, str, bool, float]]:
    """(a, b, labelled similar, stored score or 0) for every labelled pair of eval/`name` (two queries)."""
    from openmandato.search.models import ActionNeighbour

    resolve = References()
    pairs = [(p["a"], p["b"], p["similar"], resolve(p["a"]), resolve(p["b"])) for p in _load(name)["pairs"]]
    ids = {i for *_, a, b in pairs for i in (a, b)}
    stored = {
        (a, b): score
        for a, b, score in ActionNeighbour.objects.filter(
            action_id__in=ids, neighbour_id__in=ids
        ).values_list("action_id", "neighbour_id", "score")
    }
    return [(ra, rb, label, stored.get((a, b), 0.0)) for ra, rb, label, a, b in pairs]


def compare_figures(rows: list[tuple[str, str, bool, float]], threshold: float) -> CompareFigures:
    predicted = [(label, score >= threshold) for _a, _b, label, score in rows]
    tp = sum(1 for label, p in predicted if label and p)
    fp = sum(1 for label, p in predicted if not label and p)
    fn = sum(1 for label, p in predicted if label and not p)
    errors = [row for row, (label, p) in zip(rows, predicted, strict=True) if label != p]
    return CompareFigures(
        precision=tp / (tp + fp) if tp + fp else 1.0,
        recall=tp / (tp + fn) if tp + fn else 1.0,
        pairs=len(rows),
        threshold=threshold,
        errors=errors,
    )


def evaluate_compare(threshold: float | None = None, name: str = TUNING_PAIRS) -> CompareFigures:
    from openmandato.search.similarity import THRESHOLD

    return compare_figures(pair_scores(name), THRESHOLD if threshold is None else threshold)
