"""Turn a file into blocks: plain text, Markdown, HTML, DOCX or PDF, refusing what cannot be read."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from openmandato.importer import limits
from openmandato.importer.blocks import Block
from openmandato.importer.errors import ImportRejected

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
FORMATS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
OTHER_BINARIES = {b"\xd0\xcf\x11\xe0": "DOC/XLS", b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF"}


@dataclass(frozen=True)
class Document:
    filename: str
    text: str
    sha256: str
    format: str = "text"
    blocks: list[Block] = field(default_factory=list, compare=False)


def read_document(path: str | Path) -> Document:
    path = Path(path)
    if not path.is_file():
        raise ImportRejected(_("File non trovato: %(path)s") % {"path": path})
    if path.stat().st_size > MAX_DOCUMENT_BYTES:
        raise ImportRejected(_("File troppo grande: il massimo è 20 MB."))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRejected(
            _("Impossibile leggere %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
        ) from exc
    return read_bytes(data, path.name)


@limits.deadline()
def read_bytes(data: bytes, filename: str) -> Document:
    from openmandato.importer.blocks import to_lines
    from openmandato.importer.readers.docx import read_docx
    from openmandato.importer.readers.html import read_html
    from openmandato.importer.readers.pdf import read_pdf
    from openmandato.importer.readers.text import read_text

    kind = check_upload(data, filename)
    if kind == "pdf":
        blocks = read_pdf(data)
    elif kind == "docx":
        try:
            limits.check_docx(data)
            blocks = read_docx(data)
        except (zipfile.BadZipFile, KeyError, ValueError) as error:
            raise ImportRejected(_("Il file DOCX è danneggiato o non leggibile.")) from error
    else:
        text = decode_text(data)
        blocks = read_html(text) if kind == "html" else read_text(text)
    text = "\n".join(to_lines(blocks))
    return Document(
        filename=filename, text=text, sha256=hashlib.sha256(data).hexdigest(), format=kind, blocks=blocks
    )


def check_upload(data: bytes, filename: str) -> str:
    """The checks that cost nothing (size, emptiness, type); returns the format."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ImportRejected(_("File troppo grande: il massimo è 20 MB."))
    if not data.strip():
        raise ImportRejected(_("Il file è vuoto."))
    return detect_format(data, filename)


def detect_format(data: bytes, filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            pass
        raise ImportRejected(
            _("Formato non supportato: carica un file PDF, DOCX, HTML, Markdown o di testo.")
        )
    for signature, kind in OTHER_BINARIES.items():
        if data.startswith(signature):
            raise ImportRejected(
                _("Formato non supportato (%(kind)s): carica un file PDF, DOCX, HTML, Markdown o di testo.")
                % {"kind": kind}
            )
    head = data[:2048].lstrip().lower()
    if FORMATS.get(suffix) == "html" or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if suffix in (".pdf", ".docx"):
        raise ImportRejected(_("Il file non è un %(kind)s valido.") % {"kind": suffix[1:].upper()})
    return FORMATS.get(suffix, "text")


def decode_text(data: bytes) -> str:
    """UTF-8 first (with or without BOM), then Windows-1252; anything else is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode_or_none(data, "utf-16")
    elif b"\x00" in data[:8192]:
        raise ImportRejected(_("Il file sembra binario, non un documento di testo."))
    else:
        text = _decode_or_none(data, "utf-8-sig") or _decode_or_none(data, "cp1252")
    if text is None:
        raise ImportRejected(_("Testo non decodificabile: il file non è né UTF-8 né Windows-1252."))
    if _looks_binary(text):
        raise ImportRejected(_("Il file sembra binario, non un documento di testo."))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_or_none(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\n\r\t\f")
    return "\x00" in sample or controls > len(sample) * 0.01
