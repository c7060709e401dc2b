"""A back-office import goes to the municipality the user was authorised for, whatever the document
prints, and never creates a municipality (issue 9, bug 2)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openmandato.core.models import AuditEntry, Membership
from openmandato.programs.models import Mandate, Municipality
from openmandato.tests.fixtures import make_user

pytestmark = pytest.mark.django_db

PROGRAM = """Comune di Samone
Programma di mandato 2024-2029

AMBIENTE
1. Piantare cento alberi nei parchi del paese
2. Aprire un centro del riuso presso l'ecocentro

SCUOLA
1. Rifare il tetto della scuola primaria
2. Avviare il servizio di pre-scuola per le famiglie
"""


def _confirm(client, location):
    body = client.get(location).content.decode()
    form = dict(re.findall(r'name="((?:[as]-\d+|csrfmiddlewaretoken|confirm))" value="([^"]*)"', body))
    form["confirm"] = "1"
    return client.post(location, form)


@pytest.fixture
def two_samone(tmp_path, settings):
    """Samone (TO) and Samone (TN) are two real comuni with the same name."""
    settings.VAR_DIR = tmp_path
    turin = Municipality.objects.create(name="Samone", province="TO", slug="samone")
    trento = Municipality.objects.create(name="Samone", province="TN", slug="samone-tn")
    user = make_user("redattrice")
    Membership.objects.create(user=user, municipality=trento, role="administrator")
    client = Client()
    client.force_login(user)
    return client, user, turin, trento


def test_an_import_lands_in_the_authorised_comune_even_when_another_has_the_same_name(two_samone):
    client, user, turin, trento = two_samone
    response = client.post(
        "/backoffice/import/",
        {"document": SimpleUploadedFile("samone.txt", PROGRAM.encode()), "municipality": trento.pk},
    )
    assert response.status_code == 302
    confirmed = _confirm(client, response["Location"])
    assert confirmed.status_code == 302
    assert Mandate.objects.filter(municipality=turin).count() == 0
    mandate = Mandate.objects.get(municipality=trento)
    assert mandate.actions.count() == 4
    assert Municipality.objects.count() == 2  # nothing created as a side effect


def test_the_import_is_audited_with_the_user_and_the_comune(two_samone):
    client, user, _turin, trento = two_samone
    response = client.post(
        "/backoffice/import/",
        {"document": SimpleUploadedFile("samone.txt", PROGRAM.encode()), "municipality": trento.pk},
    )
    _confirm(client, response["Location"])
    entry = AuditEntry.objects.get(verb="import")
    assert entry.user == user
    assert entry.municipality == trento
    assert entry.after["actions"] == 4
    assert entry.after["file"] == "samone.txt"


def test_a_document_naming_a_comune_that_does_not_exist_creates_none(two_samone):
    client, _user, _turin, trento = two_samone
    text = PROGRAM.replace("Comune di Samone", "Comune di Pontenuovo")
    response = client.post(
        "/backoffice/import/",
        {"document": SimpleUploadedFile("p.txt", text.encode()), "municipality": trento.pk},
    )
    _confirm(client, response["Location"])
    assert not Municipality.objects.filter(name="Pontenuovo").exists()
    assert Mandate.objects.get().municipality == trento
