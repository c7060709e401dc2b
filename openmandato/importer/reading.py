"""Turn a file on disk into text, refusing what is not a readable text document."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from openmandato.importer.errors import ImportRejected

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
BINARY_SIGNATURES = {
    b"%PDF": "PDF",
    b"PK\x03\x04": "ZIP/DOCX",
    b"\xd0\xcf\x11\xe0": "DOC/XLS",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
}


@dataclass(frozen=True)
class Document:
    filename: str
    text: str
    sha256: str


def read_document(path: str | Path) -> Document:
    path = Path(path)
    if not path.is_file():
        raise ImportRejected(_("File non trovato: %(path)s") % {"path": path})
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise ImportRejected(
            _("File troppo grande: %(mb)d MB (massimo 20 MB).") % {"mb": size // (1024 * 1024)}
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRejected(
            _("Impossibile leggere %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
        ) from exc
    return Document(filename=path.name, text=decode_text(data), sha256=hashlib.sha256(data).hexdigest())


def decode_text(data: bytes) -> str:
    """UTF-8 first (with or without BOM), then Windows-1252; anything else is refused."""
    if not data.strip():
        raise ImportRejected(_("Il file è vuoto."))
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise ImportRejected(
                _("Formato non ancora supportato (%(kind)s): importa un documento di testo.") % {"kind": kind}
            )
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
