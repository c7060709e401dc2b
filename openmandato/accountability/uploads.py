"""Evidence uploads: size and type limits, checked on the file's own bytes, not only its name."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
ALLOWED_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".webp": ("image/webp", (b"RIFF",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (ZIP,)),
    ".odt": ("application/vnd.oasis.opendocument.text", (ZIP,)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (ZIP,)),
    ".doc": ("application/msword", (OLE,)),
    ".xls": ("application/vnd.ms-excel", (OLE,)),
}
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/webp"}


@dataclass(frozen=True)
class CheckedUpload:
    upload: UploadedFile
    storage_name: str
    original_name: str
    content_type: str
    size: int
    sha256: str


def check_upload(upload: UploadedFile) -> CheckedUpload:
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Il file «%(name)s» supera il limite di %(mb)d MB.")
            % {"name": upload.name, "mb": limit // 2**20}
        )
    if upload.size == 0:
        raise ValidationError(_("Il file «%(name)s» è vuoto.") % {"name": upload.name})
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in ALLOWED_TYPES:
        raise ValidationError(
            _("Tipo di file non ammesso (%(suffix)s): carica PDF, immagini o documenti d'ufficio.")
            % {"suffix": suffix or "?"}
        )
    content_type, signatures = ALLOWED_TYPES[suffix]
    upload.seek(0)
    head = upload.read(16)
    if not head.startswith(signatures) or (suffix == ".webp" and head[8:12] != b"WEBP"):
        raise ValidationError(
            _("Il contenuto di «%(name)s» non corrisponde a un file %(suffix)s.")
            % {"name": upload.name, "suffix": suffix}
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    original = get_valid_filename(PurePath(upload.name).name)[:200] or f"file{suffix}"
    return CheckedUpload(
        upload, f"{uuid.uuid4().hex}{suffix}", original, content_type, upload.size, digest.hexdigest()
    )
