"""Search and compare latency at national scale on PostgreSQL (issue 16, point 5).

Builds (once, in the database named by DATABASE_URL, default postgres://postgres@127.0.0.1:5432/om_bench_scale)
N comuni × M actions whose titles and texts are the sentences of the relevance set's programs (demo and
invented) with a place name and a number appended, loaded with COPY; then counts the vocabulary
(`rebuild_vocabulary`, once) and fills the neighbour table with synthetic rows (3 per action: 2.4
million rows) so the lookup runs against a full-size index. Then measures, in this process:

- the background task's work after an import, on a few comuni: one action edited (its save), then
  `refresh_vocabulary` and `refresh_neighbours` of that mandate, with their time and number of queries;
- the search service (`run_search`: analysis, bounded candidates, ranking, page load) over common, rare,
  multi-word and misspelt queries, nationally and within a region (one warm-up pass first);
- the compare lookup (`load_origin` + `similar_actions`).

    DATABASE_URL=postgres://... python bench/bench_search_scale.py [--comuni 8000] [--actions 100] [--runs 5]
Prints p50/p95 in ms and the load average. No test asserts on time."""

import argparse
import functools
import io
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/om_bench_scale")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openmandato.settings")
import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from openmandato.programs.models import Action, Mandate, Municipality, Section  # noqa: E402
from openmandato.programs.textsearch import document_terms  # noqa: E402

QUERIES = {
    "common": ["servizi", "scuola", "parchi", "lavoro"],
    "rare": ["telemedicina", "liuteria", "piscina"],
    "multi-word": [
        "asili nido",
        "piste ciclabili",
        "casa di riposo",
        "tassa sui rifiuti",
        "eventi per il commercio",
    ],
    "typo": ["telemedicna", "parchegi", "videosorvelianza", "viabilita"],
}
REGIONS = ["Piemonte", "Lombardia", "Toscana", "Puglia", "Sicilia", "Veneto", "Lazio", "Campania"]
PLACES = [
    f"{a}{b}"
    for a in ("Borgo", "Monte", "Valle", "Colle", "Riva", "Piano", "Castel", "Villa", "Porto", "Rocca")
    for b in ("verde", "alto", "basso", "fiore", "nuovo", "antico", "sereno", "chiaro", "grande", "bello")
]


def sentences() -> list[tuple[str, str, str]]:
    """(section, title, text) of the demo and invented programs."""
    import json

    from openmandato.demo.services import DATA_DIR

    found = []
    data = json.loads((ROOT / "openmandato/search/eval/programs.json").read_text())
    for program in data["programs"]:
        for section in program["sections"]:
            found += [(section["title"], a["title"], a["text"]) for a in section["actions"]]
    for path in sorted(DATA_DIR.glob("*.txt")):  # the demo programs' lines long enough to be actions
        for line in path.read_text(encoding="utf-8").splitlines():
            line = " ".join(line.split()).lstrip("-•*0123456789.) ")
            if len(line) >= 40:
                found.append(("Programma", line[:200], line))
    return found


def build(comuni: int, per_mandate: int, seed: int = 16) -> None:
    if Action.objects.filter(mandate__municipality__slug="scala-00000").exists():
        print("Data set already there: reusing it")
        return
    Municipality.objects.filter(slug__startswith="scala-").delete()  # a build that stopped halfway
    rng = random.Random(seed)
    corpus = sentences()
    started = time.perf_counter()
    Municipality.objects.bulk_create(
        Municipality(
            name=f"Scala {i:05d}",
            slug=f"scala-{i:05d}",
            region=REGIONS[i % len(REGIONS)],
            province=f"P{i % 107}",
        )
        for i in range(comuni)
    )
    municipalities = list(Municipality.objects.filter(slug__startswith="scala-").order_by("pk"))
    Mandate.objects.bulk_create(
        Mandate(municipality=m, title="Programma di mandato", is_current=True, is_published=True)
        for m in municipalities
    )
    mandates = list(Mandate.objects.filter(municipality__slug__startswith="scala-").order_by("pk"))
    Section.objects.bulk_create(
        (Section(mandate=m, title=f"Sezione {s + 1}", position=s) for m in mandates for s in range(5)),
        batch_size=5000,
    )
    sections: dict[int, list[int]] = {}
    for pk, mandate_id in Section.objects.filter(mandate__in=mandates).values_list("pk", "mandate_id"):
        sections.setdefault(mandate_id, []).append(pk)
    print(f"comuni, mandates, sections: {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    now = timezone.now().isoformat()
    columns = (
        "mandate_id, section_id, position, code, title, text, status, progress, weight, dup_mission, "
        "dup_program, progress_from_indicators, section_path, rollup_share, tree_order, search_document, "
        "created_at, updated_at"
    )
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY programs_action ({columns}) FROM STDIN") as copy,
    ):
        for mandate in mandates:
            buffer = io.StringIO()
            for position in range(per_mandate):
                base = rng.randrange(len(corpus))
                section_title, title, text = corpus[base]
                place = rng.choice(PLACES)
                number = rng.randint(1, 999)
                title = f"{title[:140]} a {place}"
                text = f"{text} Intervento {number} a {place}."
                section_id = sections[mandate.pk][position % 5]
                # the same terms as document_terms() of the whole, computed once per sentence
                document = " ".join(
                    [str(position + 1), terms(base, corpus), terms_of("Intervento"), str(number)]
                    + [terms_of(place), terms_of(section_title)]
                )
                mission = f"{rng.randint(1, 19):02d}" if rng.random() < 0.3 else ""
                row = [
                    mandate.pk,
                    section_id,
                    position,
                    str(position + 1),
                    title,
                    text,
                    "not_started",
                    0,
                    1,
                    mission,
                    "01" if mission else "",
                    "f",
                    f"/{section_id}/",
                    0,
                    position,
                    document,
                    now,
                    now,
                ]
                buffer.write("\t".join(_copy_value(v) for v in row) + "\n")
            copy.write(buffer.getvalue())
    print(f"{comuni * per_mandate} actions by COPY: {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@functools.cache
def terms_of(text: str) -> str:
    return document_terms(text)


def terms(base: int, corpus) -> str:
    _section, title, text = corpus[base]
    return terms_of(title[:140] + " " + text)


def _copy_value(value) -> str:
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")


def percentiles(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return f"p50 {statistics.median(samples) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms (n={len(samples)})"


def refresh_after_an_import(mandates: list[int]) -> None:
    """Edit one action of each mandate as an import would, then run what the background task runs."""
    from django.test.utils import CaptureQueriesContext

    from openmandato.search.similarity import refresh_neighbours
    from openmandato.search.vocabulary import refresh_vocabulary

    for mandate_id in mandates:
        action = Action.objects.filter(mandate_id=mandate_id).order_by("pk").first()
        action.title = f"{action.title.split(' (rev')[0][:120]} (rev {int(time.time())})"
        action.text = action.text + " Telemedicina e assistenza domiciliare."
        action.save()
        with CaptureQueriesContext(connection) as vocabulary_queries:
            started = time.perf_counter()
            refresh_vocabulary(mandate_id)
            vocabulary = time.perf_counter() - started
        with CaptureQueriesContext(connection) as neighbour_queries:
            started = time.perf_counter()
            pairs = refresh_neighbours(mandate_id)
            neighbours = time.perf_counter() - started
        print(
            f"refresh of mandate {mandate_id} after an edit: vocabulary {vocabulary:.2f} s "
            f"({len(vocabulary_queries)} queries), neighbours {neighbours:.1f} s "
            f"({len(neighbour_queries)} queries, {pairs} pairs)"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comuni", type=int, default=8000)
    parser.add_argument("--actions", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--refresh", type=int, default=3, help="comuni whose refresh is timed")
    options = parser.parse_args()
    assert connection.vendor == "postgresql", "this benchmark is for PostgreSQL"
    now = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"{now}, {platform.machine()}, {os.cpu_count()} cores, load {load()}")
    call_command("migrate", verbosity=0)
    build(options.comuni, options.actions)
    from openmandato.search.models import ActionNeighbour, MandateVocabulary
    from openmandato.search.services import Filters, load_origin, run_search, similar_actions
    from openmandato.search.vocabulary import rebuild_vocabulary

    total = Action.objects.count()
    print(f"{total} actions in {Mandate.objects.count()} mandates")
    if not MandateVocabulary.objects.exists():
        started = time.perf_counter()
        words = rebuild_vocabulary()
        print(f"vocabulary counted from scratch: {words} words in {time.perf_counter() - started:.0f} s")
    if ActionNeighbour.objects.count() < total:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_actionneighbour (action_id, neighbour_id, score) "
                "SELECT a.id, b.id, 0.1 + random() * 0.5 FROM programs_action a "
                "CROSS JOIN generate_series(1, 3) k "
                "JOIN programs_action b ON b.id = (a.id + k * 7919) %% %s + 1 "
                "ON CONFLICT DO NOTHING",
                [total],
            )
            cursor.execute("ANALYZE search_actionneighbour")
    print(f"neighbour rows: {ActionNeighbour.objects.count()}")
    step = max(1, Mandate.objects.count() // (options.refresh + 1))
    sample = list(Mandate.objects.order_by("pk").values_list("pk", flat=True)[step::step][: options.refresh])
    refresh_after_an_import(sample)
    print(f"load {load()}")
    for query in [q for group in QUERIES.values() for q in group]:  # warm-up
        run_search(query, Filters())
    national: dict[str, list[float]] = {kind: [] for kind in QUERIES}
    regional: dict[str, list[float]] = {kind: [] for kind in QUERIES}
    rng = random.Random(5)
    for _ in range(options.runs):
        for kind, queries in QUERIES.items():
            for query in queries:
                started = time.perf_counter()
                run_search(query, Filters())
                national[kind].append(time.perf_counter() - started)
                region = rng.choice(REGIONS)
                started = time.perf_counter()
                run_search(query, Filters(region=region))
                regional[kind].append(time.perf_counter() - started)
    for kind in QUERIES:
        print(f"search {kind:10}: national {percentiles(national[kind])}")
        print(f"search {kind:10}: one region {percentiles(regional[kind])}")
    every_national = [t for times in national.values() for t in times]
    every_regional = [t for times in regional.values() for t in times]
    print(f"search, all national: {percentiles(every_national)}")
    print(f"search, all regional: {percentiles(every_regional)}")
    print(f"search, all: {percentiles(every_national + every_regional)}")
    origins = list(Action.objects.filter(mandate__in=sample).values_list("pk", flat=True))
    lookups = []
    for _ in range(options.runs):
        for pk in origins:
            started = time.perf_counter()
            origin = load_origin(pk)
            similar_actions(origin, Filters())
            lookups.append(time.perf_counter() - started)
    print(f"compare lookup (origin + neighbours): {percentiles(lookups)}")
    print(f"load {load()}")


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
