"""'Segnala un'inesattezza': a citizen contests an update with a reason and optionally a link or a
document; the update shows 'contestata (N)'; staff answer publicly; both are in the transparency log,
which still verifies; the dashboard lists contests unanswered for more than 30 days."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from openmandato.accountability import ledger
from openmandato.participation.models import Contest

pytestmark = pytest.mark.django_db


def logged(user):
    client = Client()
    client.force_login(user)
    return client


def contest(client, world, update, **data):
    fields = {"claim": "progress", "reason": "Gli alberi piantati sono 20, non 60."}
    return client.post(f"/{world.municipality.slug}/aggiornamenti/{update.pk}/segnala/", {**fields, **data})


def test_a_contest_is_public_logged_and_answered(citizens, update):
    response = contest(
        logged(citizens.users["citizen"]), citizens, update, link="https://albo.example/atto/12"
    )
    item = Contest.objects.get()
    assert response.status_code == 302
    html = Client().get(citizens.action_a.get_absolute_url()).content.decode()
    assert "contestata (1)" in html and "sono 20, non 60" in html and "In attesa di risposta" in html
    data = json.loads(item.ledger_entry.body)
    assert data["event"] == "contested_claim" and data["update"] == update.pk and data["claim"] == "progress"
    assert "Carla" not in item.ledger_entry.body  # no personal data in a log that cannot be erased
    url = f"/backoffice/partecipazione/segnalazioni/{item.pk}/risposta/"
    assert logged(citizens.users["manager_b"]).post(url, {"answer": "No"}).status_code == 403
    assert (
        logged(citizens.users["manager_a"]).post(url, {"answer": "Verificato: sono 60."}).status_code == 302
    )
    item.refresh_from_db()
    answer = json.loads(item.answer_ledger_entry.body)
    assert answer["event"] == "official_answer" and answer["contest"] == item.pk
    html = Client().get(citizens.action_a.get_absolute_url()).content.decode()
    assert "Verificato: sono 60." in html and "Risposta ufficiale del Comune" in html
    assert ledger.verify(citizens.mandate, check_files=False).ok
    assert logged(citizens.users["manager_a"]).post(url, {"answer": "Di nuovo"}).status_code == 400


def test_a_document_is_checked_on_its_bytes_and_served_sandboxed(citizens, update):
    client = logged(citizens.users["citizen"])
    fake = SimpleUploadedFile("atto.pdf", b"MZ not a pdf")
    assert contest(client, citizens, update, document=fake).status_code == 400
    pdf = SimpleUploadedFile("atto.pdf", b"%PDF-1.4\nverbale\n")
    assert contest(client, citizens, update, document=pdf).status_code == 302
    item = Contest.objects.get()
    assert json.loads(item.ledger_entry.body)["document_sha256"] == item.document_sha256
    response = Client().get(f"/{citizens.municipality.slug}/segnalazioni/{item.pk}/documento/")
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_bad_input_changes_nothing(citizens, update):
    client = logged(citizens.users["citizen"])
    assert contest(client, citizens, update, claim="everything").status_code == 400
    assert contest(client, citizens, update, reason="").status_code == 400
    assert contest(client, citizens, update, link="javascript:alert(1)").status_code == 400
    assert contest(client, citizens, update, reason="a\x00b").status_code == 400
    assert client.get(f"/{citizens.municipality.slug}/aggiornamenti/{2**70}/segnala/").status_code == 400
    assert not Contest.objects.exists()
    assert contest(Client(), citizens, update).status_code == 302  # to the login page
    assert not Contest.objects.exists()


def test_the_dashboard_lists_contests_unanswered_for_more_than_30_days(citizens, update):
    client = logged(citizens.users["citizen"])
    contest(client, citizens, update, reason="Vecchia")
    contest(client, citizens, update, reason="Recente")
    Contest.objects.filter(reason="Vecchia").update(created_at=timezone.now() - datetime.timedelta(days=31))
    html = Client().get(f"/{citizens.municipality.slug}/").content.decode()
    assert "Segnalazioni senza risposta da più di 30 giorni (1)" in html
    assert f"#contest-{Contest.objects.get(reason='Vecchia').pk}" in html
    assert f"#contest-{Contest.objects.get(reason='Recente').pk}" not in html


def test_contest_and_moderation_texts_are_escaped(citizens, update):
    xss = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    contest(logged(citizens.users["citizen"]), citizens, update, reason=xss)
    client = logged(citizens.users["citizen2"])
    client.post(f"/{citizens.municipality.slug}/actions/{citizens.action_a.pk}/commenti/", {"body": "Ciao"})
    comment = citizens.action_a.comments.get()
    logged(citizens.users["moderator"]).post(
        f"/backoffice/partecipazione/commenti/{comment.pk}/nascondi/", {"reason": xss}
    )
    html = Client().get(citizens.action_a.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") == 2
