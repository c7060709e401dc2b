"""The back-office update page keeps working once an update carries an uploaded document."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openmandato.accountability.models import Evidence
from openmandato.tests.fixtures import PAST

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.mark.parametrize("who", ["admin", "manager_a"])
def test_the_update_page_opens_again_after_a_document_was_uploaded(world, who, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = Client()
    client.force_login(world.users[who])
    url = f"/backoffice/actions/{world.action_a.pk}/update/"
    response = client.post(
        url,
        {
            "date": PAST.isoformat(),
            "status": "partially_done",
            "progress": "60",
            "document": SimpleUploadedFile("delibera.pdf", PDF, content_type="application/pdf"),
        },
        follow=True,
    )
    assert response.status_code == 200
    evidence = Evidence.objects.get(update__action=world.action_a)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert f'href="/borgo/evidence/{evidence.pk}/"' in body
    assert "delibera.pdf" in body
