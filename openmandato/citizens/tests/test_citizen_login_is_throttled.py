"""Wrong passwords on the citizens' sign-in lock that e-mail and address out, with the same counters as
the staff login (openmandato/security/throttle.py)."""

import pytest

from openmandato.tests.citizens import PASSWORD, make_citizen

pytestmark = pytest.mark.django_db
LOGIN = "/area-personale/login/"


def test_five_wrong_passwords_lock_out_even_the_right_one(client, settings):
    settings.LOGIN_FAILURES_LIMIT = 5
    make_citizen("bruno")
    for _attempt in range(5):
        response = client.post(LOGIN, {"login": "bruno@example.org", "password": "sbagliata"})
        assert response.status_code == 200
    response = client.post(LOGIN, {"login": "BRUNO@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "Troppi tentativi" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_address_is_not_locked_out(client, settings):
    settings.LOGIN_FAILURES_LIMIT = 2
    user = make_citizen("carla")
    for _attempt in range(2):
        client.post(LOGIN, {"login": "carla@example.org", "password": "sbagliata"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(
        LOGIN, {"login": "carla@example.org", "password": PASSWORD}, REMOTE_ADDR="10.0.0.10"
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
