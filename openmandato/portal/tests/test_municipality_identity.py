"""A comune's identity on its site: stemma, official site, contacts and the pages a public body must have."""

import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from openmandato.programs.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def image_bytes(fmt="PNG", size=(40, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#0066cc").save(buffer, format=fmt)
    return buffer.getvalue()


def admin_form(municipality, **changes):
    data = {
        "name": municipality.name,
        "slug": municipality.slug,
        "province": municipality.province,
        "region": municipality.region,
        "istat_code": municipality.istat_code,
        "website": "",
        "email": "",
        "pec": "",
        "phone": "",
        "privacy_notice": "",
        "legal_notes": "",
        "accessibility_statement_url": "",
    }
    data.update(changes)
    return data


def post_settings(client, municipality, **changes):
    return client.post(
        f"/admin/programs/municipality/{municipality.pk}/change/", admin_form(municipality, **changes)
    )


def test_an_administrator_sets_the_identity_and_citizens_see_it(client, world):
    client.force_login(world.users["admin"])
    response = post_settings(
        client,
        world.municipality,
        logo=SimpleUploadedFile("stemma del comune.png", image_bytes(), content_type="image/png"),
        website="https://www.comune.borgo.it/",
        email="urp@comune.borgo.it",
        pec="protocollo@pec.comune.borgo.it",
        phone="+39 0131 123456",
        privacy_notice="Titolare: il Comune.\n<script>alert(1)</script>",
        accessibility_statement_url="https://form.agid.gov.it/view/abc-123",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    municipality = Municipality.objects.get(pk=world.municipality.pk)
    assert re.fullmatch(r"comuni/[0-9a-f]{32}\.png", municipality.logo.name)
    client.logout()
    body = client.get("/borgo/").content.decode()
    assert '<img class="brand-logo" src="/borgo/stemma/"' in body
    assert 'href="https://www.comune.borgo.it/">Sito istituzionale del Comune di Borgo</a>' in body
    assert 'href="mailto:urp@comune.borgo.it"' in body and "protocollo@pec.comune.borgo.it" in body
    assert 'href="tel:+390131123456"' in body
    assert '<a href="https://form.agid.gov.it/view/abc-123">Dichiarazione di accessibilità</a>' in body
    assert '<a href="/borgo/privacy/">Informativa privacy</a>' in body
    assert '<a href="/borgo/note-legali/">Note legali</a>' in body
    logo = client.get("/borgo/stemma/")
    assert logo["Content-Type"] == "image/png" and logo["X-Content-Type-Options"] == "nosniff"
    assert b"".join(logo.streaming_content) == image_bytes()
    privacy = client.get("/borgo/privacy/").content.decode()
    assert "Titolare: il Comune." in privacy
    assert "<script>alert(1)</script>" not in privacy and "&lt;script&gt;" in privacy


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("stemma.png", b"<html><script>alert(1)</script></html>", "non è un'immagine valida"),
        ("stemma.png", image_bytes("JPEG"), "non corrisponde alla sua estensione"),
        (
            "stemma.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "PNG, JPEG o WebP",
        ),
        ("stemma.png", image_bytes("PNG", (2001, 2001)), "al massimo 2000 × 2000 pixel"),
        ("stemma.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (600 * 1024), "512 KB"),
    ],
)
def test_a_bad_stemma_is_refused_with_a_clear_message_and_changes_nothing(
    client, world, name, content, message
):
    client.force_login(world.users["admin"])
    response = post_settings(
        client,
        world.municipality,
        logo=SimpleUploadedFile(name, content),
        website="https://www.comune.borgo.it/",
    )
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    municipality = Municipality.objects.get(pk=world.municipality.pk)
    assert not municipality.logo and municipality.website == ""
    assert client.get("/borgo/stemma/").status_code == 404


def test_the_accessibility_statement_must_be_on_the_agid_form_site(client, world):
    client.force_login(world.users["admin"])
    response = post_settings(client, world.municipality, accessibility_statement_url="https://evil.example/")
    assert response.status_code == 200 and "form.agid.gov.it" in response.content.decode()
    assert Municipality.objects.get(pk=world.municipality.pk).accessibility_statement_url == ""


def test_only_that_comunes_administrators_can_change_it(client, world):
    for role in ["other_admin", "manager_a", "editor"]:
        client.force_login(world.users[role])
        response = post_settings(client, world.municipality, website="https://evil.example/")
        assert response.status_code in (302, 403, 404), role
        assert Municipality.objects.get(pk=world.municipality.pk).website == "", role


def test_footer_pages_have_generic_text_when_the_comune_wrote_none(client, world):
    privacy = client.get("/borgo/privacy/").content.decode()
    assert (
        "<h1>Informativa privacy</h1>" in privacy
        and "Titolare del trattamento è il Comune di Borgo." in privacy
    )
    legal = client.get("/borgo/note-legali/").content.decode()
    assert "<h1>Note legali</h1>" in legal and "CC BY 4.0" in legal
    assert client.get("/nessuno/privacy/").status_code == 404
