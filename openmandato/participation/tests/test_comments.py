"""Comments through the test client: post, reply (one level), edit within 15 minutes, report, hide with
a reason shown in place, official answers by staff only, hostile Markdown."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from openmandato.accountability.models import AuditEntry
from openmandato.participation.models import Comment, CommentReport

pytestmark = pytest.mark.django_db


def page(world, client=None):
    client = client or Client()
    return client.get(world.action_a.get_absolute_url()).content.decode()


def post(client, world, body, **extra):
    url = f"/{world.municipality.slug}/actions/{world.action_a.pk}/commenti/"
    return client.post(url, {"body": body, **extra})


def test_a_citizen_comments_and_everyone_reads_it(citizens):
    client = Client()
    client.force_login(citizens.users["citizen"])
    response = post(client, citizens, "Servono **più alberi** in via Roma")
    comment = Comment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    html = page(citizens)
    assert "<strong>più alberi</strong>" in html and "Carla" in html
    assert "Commenti (1)" in html
    assert AuditEntry.objects.filter(verb="comment", object_id=str(comment.pk)).exists()


def test_it_rejects_anonymous_comment(citizens):
    response = post(Client(), citizens, "Anonimo")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Comment.objects.exists()


def test_replies_have_one_level_only(citizens):
    client = Client()
    client.force_login(citizens.users["citizen"])
    post(client, citizens, "Primo")
    first = Comment.objects.get()
    post(client, citizens, "Risposta", parent=first.pk)
    reply = Comment.objects.latest("pk")
    post(client, citizens, "Risposta alla risposta", parent=reply.pk)
    deeper = Comment.objects.latest("pk")
    assert reply.parent_id == first.pk and deeper.parent_id == first.pk


def test_script_and_javascript_links_are_removed(citizens):
    client = Client()
    client.force_login(citizens.users["citizen"])
    post(
        client,
        citizens,
        "<script>alert(1)</script> [clic](javascript:alert(2)) <img src=x onerror=alert(3)> # Titolo",
    )
    comment = Comment.objects.get()
    html = page(citizens)
    assert "<script>alert(1)" not in html and "javascript:" not in comment.body_html
    assert "onerror" not in comment.body_html and "<img" not in comment.body_html
    assert "<h1>" not in comment.body_html


def test_nul_bytes_and_huge_parent_ids_are_a_form_error(citizens):
    client = Client()
    client.force_login(citizens.users["citizen"])
    assert post(client, citizens, "ciao\x00mondo").status_code == 400
    response = post(client, citizens, "ciao", parent=str(2**70))
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_the_author_edits_within_15_minutes_and_not_after(citizens):
    client = Client()
    client.force_login(citizens.users["citizen"])
    post(client, citizens, "Prima versione")
    comment = Comment.objects.get()
    url = f"/{citizens.municipality.slug}/commenti/{comment.pk}/modifica/"
    assert client.post(url, {"body": "Seconda versione"}).status_code == 302
    assert "Seconda versione" in page(citizens) and "modificato" in page(citizens)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=16))
    response = client.post(url, {"body": "Terza versione"})
    assert response.status_code == 403 and "15 minuti" in response.content.decode()
    assert Comment.objects.get().body == "Seconda versione"
    other = Client()
    other.force_login(citizens.users["citizen2"])
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now())
    assert other.post(url, {"body": "Non mio"}).status_code == 403


def test_a_report_reaches_the_queue_and_a_moderator_hides_with_a_reason(citizens):
    author, reporter = Client(), Client()
    author.force_login(citizens.users["citizen"])
    reporter.force_login(citizens.users["citizen2"])
    post(author, citizens, "Insulto gratuito")
    comment = Comment.objects.get()
    slug = citizens.municipality.slug
    reporter.post(f"/{slug}/commenti/{comment.pk}/segnala/", {"reason": "Offensivo"})
    assert CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).count() == 1
    moderator = Client()
    moderator.force_login(citizens.users["moderator"])
    queue = moderator.get("/backoffice/partecipazione/moderazione/").content.decode()
    assert "Insulto gratuito" in queue and "Offensivo" in queue
    response = moderator.post(
        f"/backoffice/partecipazione/commenti/{comment.pk}/nascondi/", {"reason": "Linguaggio offensivo"}
    )
    assert response.status_code == 302
    html = page(citizens)
    assert "Insulto gratuito" not in html
    assert "Commento nascosto dalla moderazione." in html and "Linguaggio offensivo" in html
    assert CommentReport.objects.get().resolved_at is not None
    assert "Insulto gratuito" not in moderator.get("/backoffice/partecipazione/moderazione/").content.decode()


def test_only_moderators_and_administrators_of_this_comune_hide(citizens):
    client = Client()
    client.force_login(citizens.users["citizen"])
    post(client, citizens, "Da non nascondere")
    comment = Comment.objects.get()
    url = f"/backoffice/partecipazione/commenti/{comment.pk}/nascondi/"
    for role in ("citizen2", "manager_a", "editor", "other_admin"):
        other = Client()
        other.force_login(citizens.users[role])
        assert other.post(url, {"reason": "no"}).status_code == 403, role
    assert Comment.objects.get().hidden_at is None


def test_official_answers_are_staffs_and_marked(citizens):
    client = Client()
    client.force_login(citizens.users["citizen"])
    post(client, citizens, "Quando?")
    question = Comment.objects.get()
    post(client, citizens, "Mi rispondo da solo", parent=question.pk, official="1")
    assert not Comment.objects.filter(is_official=True).exists()
    staff = Client()
    staff.force_login(citizens.users["manager_a"])  # manages the action's area
    post(staff, citizens, "Entro marzo.", parent=question.pk, official="1")
    answer = Comment.objects.get(is_official=True)
    assert answer.parent_id == question.pk
    assert "Risposta ufficiale del Comune" in page(citizens)
    other = Client()
    other.force_login(citizens.users["manager_b"])
    post(other, citizens, "Non è la mia area", official="1")
    assert Comment.objects.filter(is_official=True).count() == 1


def test_a_deleted_account_shows_as_utente_cancellato(citizens):
    client = Client()
    client.force_login(citizens.users["citizen"])
    post(client, citizens, "Resto qui")
    user = citizens.users["citizen"]
    user.is_active, user.first_name, user.last_name, user.username = False, "", "", "deleted-1"
    user.save()
    html = page(citizens)
    assert "utente cancellato" in html and "Resto qui" in html


def test_the_back_office_links_to_the_queues_each_role_may_open(citizens):
    def links(role):
        client = Client()
        client.force_login(citizens.users[role])
        return client.get("/backoffice/").content.decode()

    moderator, editor, citizen = links("moderator"), links("editor"), links("citizen")
    assert "/backoffice/partecipazione/moderazione/" in moderator
    assert "/backoffice/partecipazione/proposte/" not in moderator
    assert "/backoffice/partecipazione/proposte/" in editor and "/moderazione/" not in editor
    assert "/backoffice/partecipazione/" not in citizen


def test_an_email_or_a_username_is_never_shown_for_a_citizen(citizens):
    from openmandato.tests.fixtures import make_user

    user = make_user("anna.rossi@example.org", staff=False)
    client = Client()
    client.force_login(user)
    post(client, citizens, "Senza nome pubblico")
    html = page(citizens)
    assert "Senza nome pubblico" in html and "anna.rossi" not in html and "Cittadino" in html
