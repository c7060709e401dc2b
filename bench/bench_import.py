"""Accuracy of the importer on the real corpus in ../shared/corpus (beside the repository).

Run with `make bench-import`: every document is read and parsed as `import_program --dry-run --format
json` would, then scored with the corpus's own `score.py` against its gold tree. Prints a Markdown table
(leaf precision, recall, F1, sections found, attribute checks) and the mean leaf F1."""

import importlib.util
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's code, not whichever one is installed
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openmandato.settings")
import django  # noqa: E402

django.setup()

from openmandato.importer.errors import ImportRejected  # noqa: E402
from openmandato.importer.parsing import parse_blocks  # noqa: E402
from openmandato.importer.reading import read_document  # noqa: E402

CORPUS = Path(os.environ.get("OPENMANDATO_CORPUS", ROOT.parent / "shared" / "corpus"))

SOURCE_SUFFIXES = (".pdf", ".html", ".htm", ".docx", ".txt", ".md")


def load_scorer(corpus: Path):
    spec = importlib.util.spec_from_file_location("corpus_score", corpus / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score


def documents(corpus: Path) -> list[tuple[str, Path, Path]]:
    found = []
    for gold in sorted(corpus.glob("*.gold.json")):
        slug = gold.name.removesuffix(".gold.json")
        sources = [p for p in corpus.glob(f"{slug}.*") if p.suffix in SOURCE_SUFFIXES]
        if sources:
            found.append((slug, sources[0], gold))
    return found


def run(corpus: Path = CORPUS) -> list[dict]:
    score = load_scorer(corpus)
    results = []
    for slug, source, gold_path in documents(corpus):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        start = time.perf_counter()
        try:
            tree = parse_blocks(read_document(source).blocks).to_dict()
        except ImportRejected:
            tree = {"sections": []}
        seconds = time.perf_counter() - start
        results.append({"document": slug, **score(tree, gold), "seconds": seconds})
    return results


def main() -> None:
    if not CORPUS.is_dir():
        sys.exit(f"bench-import: no corpus at {CORPUS} (clone shared/ beside the repository)")
    results = run()
    print("| document | leaf P | leaf R | leaf F1 | leaves pred/gold | sections | attrs | read+parse |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['document']} | {r['leaf_p']:.3f} | {r['leaf_r']:.3f} | {r['leaf_f1']:.3f} "
            f"| {r['pred_leaves']}/{r['gold_leaves']} | {r['sections_found']} | {r['attrs']} "
            f"| {r['seconds']:.2f} s |"
        )
    mean = sum(r["leaf_f1"] for r in results) / len(results)
    print(f"| **mean** | | | **{mean:.3f}** | | | | |")
    if "-v" in sys.argv:
        for r in results:
            print(r["document"], r["attr_fails"])


if __name__ == "__main__":
    main()
