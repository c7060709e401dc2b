"""A comune's stemma or logo: checked on its bytes, bounded in size and pixels, stored under a random name."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_PIXELS = 2000 * 2000
# Raster images only: an SVG can carry script, and a logo does not need it.
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}
PILLOW_FORMATS = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}


def logo_upload_to(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"comuni/{uuid.uuid4().hex}{'.jpg' if suffix == '.jpeg' else suffix}"


def logo_content_type(name: str) -> str:
    return LOGO_TYPES.get(PurePath(name).suffix.lower(), "application/octet-stream")


def validate_logo(file) -> None:
    """The file must be a PNG, JPEG or WebP image whose bytes say so, within the size and pixel bounds."""
    from PIL import Image, UnidentifiedImageError

    if file.size > LOGO_MAX_BYTES:
        raise ValidationError(_("Lo stemma supera il limite di %(kb)d KB.") % {"kb": LOGO_MAX_BYTES // 1024})
    suffix = PurePath(file.name).suffix.lower()
    if suffix not in LOGO_TYPES:
        raise ValidationError(_("Carica lo stemma come immagine PNG, JPEG o WebP."))
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            width, height = image.size
            if width * height > LOGO_MAX_PIXELS:
                raise ValidationError(_("Lo stemma è troppo grande: al massimo 2000 × 2000 pixel."))
            detected = PILLOW_FORMATS.get(image.format or "")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_("Il file non è un'immagine valida.")) from error
    finally:
        file.seek(position)
    if detected is None or detected != (".jpg" if suffix == ".jpeg" else suffix):
        raise ValidationError(_("Il contenuto del file non corrisponde alla sua estensione."))
