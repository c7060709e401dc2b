"""A back-office import lands in the municipality the user chose and is authorised for, whatever
the document says."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openmandato.programs.models import Mandate, Municipality
from openmandato.tests.factory import make_mandate


def test_an_upload_goes_to_the_chosen_municipality_whatever_the_document_says(
    world, valenza_path, tmp_path, settings
):
    settings.VAR_DIR = tmp_path
    valenza = Municipality.objects.create(name="Valenza")
    make_mandate(valenza, title="Programma elettorale 2020-2025")
    client = Client()
    client.force_login(world.users["editor"])  # editor of Borgo only
    response = client.post(
        "/backoffice/import/",
        {
            "document": SimpleUploadedFile("valenza.txt", valenza_path.read_bytes()),
            "municipality": world.municipality.pk,
        },
    )
    preview = response["Location"]
    body = client.get(preview).content.decode()
    assert "Revisione" not in body  # Valenza's mandate is not touched, not even shown as a revision
    form = dict(re.findall(r'name="([as]-\d+)" value="([^"]*)"', body))
    client.post(preview, form)
    assert Mandate.objects.filter(
        municipality=world.municipality, title="Programma elettorale 2020-2025"
    ).exists()
    assert valenza.mandates.get().actions.count() == 0
