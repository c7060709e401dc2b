"""Parse time of a 40-page program (about 500 actions): text -> blocks -> tree, and PDF extraction apart.

Run with `make bench`. Prints the median of several runs; no test asserts on time."""

import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's code
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openmandato.settings")
import django  # noqa: E402

django.setup()

from pypdf import PdfReader  # noqa: E402

from openmandato.importer.parsing import parse_blocks  # noqa: E402
from openmandato.importer.readers.text import read_text  # noqa: E402
from openmandato.importer.reading import read_bytes  # noqa: E402
from openmandato.importer.tests import corpus  # noqa: E402


def timed(function, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    themes = corpus.make_program(42, themes=8, per_theme=100)
    text = corpus.markdown_numbered(themes)
    actions = len(corpus.leaves(themes))
    blocks = read_text(text)
    parse_only = timed(lambda: parse_blocks(blocks), 7)
    whole = timed(lambda: parse_blocks(read_text(text)), 7)
    _name, pdf = corpus.RENDERERS["pdf"](themes)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    extraction = timed(lambda: read_bytes(pdf, "programma.pdf"), 3)
    print(f"document: {pages} A4 pages as PDF, {actions} leaf actions, {len(text) // 1024} KiB of text")
    print(f"parse (blocks -> tree):        {parse_only * 1000:7.1f} ms")
    print(f"read + parse (text -> tree):   {whole * 1000:7.1f} ms")
    print(f"PDF text extraction ({len(pdf) // 1024} KiB): {extraction * 1000:7.1f} ms (pdfplumber, apart)")
    sys.exit(0)


if __name__ == "__main__":
    main()
