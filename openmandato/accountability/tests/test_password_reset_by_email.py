"""Staff who forgot their password get a one-time link by e-mail (real SMTP server) and set a new one."""

import html

from django.core.cache import cache
from django.test import Client


def test_a_forgotten_password_is_reset_from_the_emailed_link(world, smtp_server):
    user = world.users["manager_a"]
    user.email = "anna@comune.borgo.it"
    user.save()
    client = Client()
    login = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password-reset/"' in login
    response = client.post("/accounts/password-reset/", {"email": "anna@comune.borgo.it"}, follow=True)
    assert "Controlla la posta" in response.content.decode()
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "anna@comune.borgo.it"
    assert message["Subject"] == "OpenMandato: reimposta la password"
    assert "manager_a" in smtp_server.body()
    link = smtp_server.link()
    form_page = client.get(link, follow=True)
    assert "Scegli una nuova password" in html.unescape(form_page.content.decode())
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Mandato-Borgo-2025!", "new_password2": "Mandato-Borgo-2025!"},
        follow=True,
    )
    assert "Password aggiornata" in done.content.decode()
    assert Client().login(username="manager_a", password="Mandato-Borgo-2025!")
    # The link is used up.
    again = client.get(link, follow=True).content.decode()
    assert "Link non più valido" in html.unescape(again)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(world, smtp_server):
    response = Client().post("/accounts/password-reset/", {"email": "nessuno@example.org"}, follow=True)
    assert "Controlla la posta" in response.content.decode()
    assert smtp_server.messages == []


def test_password_reset_requests_are_limited_so_nobody_floods_a_mailbox(world, smtp_server):
    cache.clear()  # the counters of earlier tests in this process
    user = world.users["admin"]
    user.email = "sindaca@comune.borgo.it"
    user.save()
    client = Client()
    answers = [
        client.post("/accounts/password-reset/", {"email": "sindaca@comune.borgo.it"}).status_code
        for _ in range(8)
    ]
    assert answers[:5] == [302] * 5
    assert answers[5:] == [429] * 3
    assert len(smtp_server.messages) == 5
