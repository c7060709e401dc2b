"""The relevance set (eval/*.json) and its measures: nDCG@10, recall@10 and MRR for search, precision
and recall of compare on the labelled pairs. Used by `make bench-search` and by the accuracy-floor test."""

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


def load_synthetic_programs() -> list[Mandate]:
    """The small invented programs of eval/programs.json, published and current."""
    mandates = []
    with transaction.atomic():
        for program in _load("programs.json")["programs"]:
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


def load_world() -> None:
    """Demo programs (Cremona, Valenza), the invented ones, then the search index as the task builds it."""
    from openmandato.demo.services import load_demo_programs
    from openmandato.search.similarity import refresh_all
    from openmandato.search.vocabulary import rebuild_vocabulary

    load_demo_programs()
    load_synthetic_programs()
    rebuild_vocabulary()
    refresh_all()


def resolve(reference: str, cache: dict[str, int] | None = None) -> int:
    """'comune-slug:start of the title' -> the one action it names."""
    slug, start = reference.split(":", 1)
    ids = list(
        Action.objects.filter(mandate__municipality__slug=slug, title__startswith=start).values_list(
            "pk", flat=True
        )
    )
    if len(ids) != 1:
        raise ValueError(f"{reference!r} names {len(ids)} actions")
    return ids[0]


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

    ndcgs, recalls, rrs, by_kind = [], [], [], {}
    for query in _load("queries.json")["queries"]:
        gains = {resolve(r): 2 for r in query["first"]}
        gains.update({resolve(r): 1 for r in query["also"] if resolve(r) not in gains})
        ranked = [hit.pk for hit in search(searchable_actions(), query["q"]).hits[:K]]
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


def pair_scores() -> list[tuple[str, str, bool, float]]:
    """(a, b, labelled similar, stored score or 0) for every labelled pair."""
    from openmandato.search.models import ActionNeighbour

    rows = []
    for pair in _load("pairs.json")["pairs"]:
        a, b = resolve(pair["a"]), resolve(pair["b"])
        stored = (
            ActionNeighbour.objects.filter(action_id=a, neighbour_id=b)
            .values_list("score", flat=True)
            .first()
        )
        rows.append((pair["a"], pair["b"], pair["similar"], stored or 0.0))
    return rows


def evaluate_compare(threshold: float | None = None) -> CompareFigures:
    from openmandato.search.similarity import THRESHOLD

    threshold = THRESHOLD if threshold is None else threshold
    rows = pair_scores()
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
