"""Documents that would cost too much are refused with one clear line: too many PDF pages, a DOCX zip
bomb (declared or real decompressed size), too many actions, too long to read."""

import io
import time
import zipfile

import pytest
from fpdf import FPDF

from openmandato.importer import limits
from openmandato.importer.errors import ImportRejected
from openmandato.importer.parsing import parse_blocks
from openmandato.importer.reading import read_bytes
from openmandato.importer.tests import corpus


def many_pages(count: int) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for number in range(count):
        pdf.add_page()
        pdf.cell(0, 10, f"{number + 1}. Azione numero {number + 1} del programma")
    return bytes(pdf.output())


def test_a_pdf_with_too_many_pages_is_refused_before_extraction(settings):
    settings.IMPORT_MAX_PAGES = 50
    data = many_pages(400)
    start = time.monotonic()
    with pytest.raises(ImportRejected, match="400 pagine: il massimo è 50"):
        read_bytes(data, "programma.pdf")
    assert time.monotonic() - start < 10  # 400 pages of layout analysis would take far longer


def docx_bomb(xml_bytes: int) -> bytes:
    themes = corpus.make_program(3, themes=2, per_theme=3)
    original = zipfile.ZipFile(io.BytesIO(corpus.docx_document(themes)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for entry in original.infolist():
            data = original.read(entry)
            if entry.filename == "word/document.xml":
                padding = b"<!--" + b"A" * xml_bytes + b"-->"
                data = data.replace(b"<w:body>", b"<w:body>" + padding, 1)
            bomb.writestr(entry.filename, data)
    return out.getvalue()


def test_a_docx_zip_bomb_is_refused_by_its_declared_size(settings):
    settings.IMPORT_MAX_UNZIPPED_MB = 5
    bomb = docx_bomb(45 * 1024 * 1024)
    assert len(bomb) < 200 * 1024  # a small upload...
    start = time.monotonic()
    with pytest.raises(ImportRejected, match="decompresso supera 5 MB"):
        read_bytes(bomb, "programma.docx")
    assert time.monotonic() - start < 5


def test_a_docx_that_lies_about_its_sizes_is_refused_while_inflating(settings):
    settings.IMPORT_MAX_UNZIPPED_MB = 5
    bomb = bytearray(docx_bomb(20 * 1024 * 1024))
    # rewrite every declared uncompressed size in the central directory to 1 byte
    position = 0
    while (position := bomb.find(b"PK\x01\x02", position)) != -1:
        bomb[position + 24 : position + 28] = (1).to_bytes(4, "little")
        position += 4
    with pytest.raises(ImportRejected, match="decompresso supera 5 MB|danneggiato"):
        read_bytes(bytes(bomb), "programma.docx")


def test_an_ordinary_docx_still_imports():
    themes = corpus.make_program(5, themes=3, per_theme=4)
    document = read_bytes(corpus.docx_document(themes), "programma.docx")
    tree = parse_blocks(document.blocks)
    assert sum(1 for section in tree.sections for _leaf in section.leaf_actions()) == len(
        corpus.leaves(themes)
    )


def test_too_many_actions_are_refused(settings):
    settings.IMPORT_MAX_ACTIONS = 20
    themes = corpus.make_program(7, themes=3, per_theme=10)
    blocks = read_bytes(corpus.markdown_numbered(themes).encode(), "programma.md").blocks
    with pytest.raises(ImportRejected, match="azioni: il massimo è 20"):
        parse_blocks(blocks)


def test_reading_stops_at_the_deadline():
    with pytest.raises(ImportRejected, match="supera 1 secondi"), limits.deadline(1):
        time.sleep(3)
