"""Uploaded evidence is typed by its bytes, not by its name."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from openmandato.accountability.uploads import check_upload


def test_webp_needs_its_own_signature():
    wave = SimpleUploadedFile("suono.webp", b"RIFF\x24\x00\x00\x00WAVEfmt ")
    with pytest.raises(ValidationError):
        check_upload(wave)
    check_upload(SimpleUploadedFile("foto.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 "))
