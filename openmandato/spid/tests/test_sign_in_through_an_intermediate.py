"""A trust chain of three: the provider's superior is an intermediate (a second spid-cie-oidc `authority`),
whose superior is the trust anchor we pin. Sign-in works through it; an expired or tampered intermediate
breaks the chain with a clear message and no account. The intermediate's process is started only here."""

import time
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse

from openmandato.spid import federation
from openmandato.spid.tests.conftest import FEDERATION_URL, INTERMEDIATE_URL, OP_BELOW_INTERMEDIATE

pytestmark = pytest.mark.django_db
User = get_user_model()


def begin(client):
    cache.clear()  # resolved trust chains
    return client.get(reverse("spid:begin", args=["spid"]), {"provider": OP_BELOW_INTERMEDIATE})


def refused_with(response, text: str) -> bool:
    said = " ".join(unescape(str(m)) for m in get_messages(response.wsgi_request))
    return response["Location"] == reverse("account_login") and text in said


def test_sign_in_through_an_intermediate_and_its_failures(
    client, spid_on, intermediate, provider_login, settings
):
    settings.SPID_PROVIDERS = [(OP_BELOW_INTERMEDIATE, "SPID attraverso un intermediario")]
    settings.OIDCFED_REQUIRED_TRUST_MARKS = []  # its provider holds none
    settings.OIDCFED_CLOCK_SKEW = 0
    try:
        # the chain really has three links: provider <- intermediate <- trust anchor
        _token, payload = federation.fetch_entity_configuration(OP_BELOW_INTERMEDIATE, time.time())
        anchor, statements, _exp = federation.chain_to_anchor(OP_BELOW_INTERMEDIATE, payload, time.time())
        assert [(s["iss"], s["sub"]) for s in statements] == [
            (INTERMEDIATE_URL, OP_BELOW_INTERMEDIATE),
            (FEDERATION_URL, INTERMEDIATE_URL),
        ]
        assert anchor["sub"] == FEDERATION_URL

        start = begin(client)
        assert start["Location"].startswith(OP_BELOW_INTERMEDIATE + "authorization?")
        back = urlsplit(provider_login(start["Location"], "mario", "mario-password", INTERMEDIATE_URL))
        landed = client.get(f"{back.path}?{back.query}")
        assert landed["Location"] == reverse("citizens:profile")
        assert User.objects.get().fiscal_code.code == "RSSMRA80A01H501U"
        client.logout()

        intermediate.run("expire", INTERMEDIATE_URL)
        assert refused_with(begin(client), "Un documento della federazione è scaduto")
        intermediate.run("restore")

        intermediate.run("impostor", INTERMEDIATE_URL)  # keys the anchor never stated
        assert refused_with(begin(client), "La firma di un documento della federazione non è valida")
        intermediate.run("restore")
        assert begin(client)["Location"].startswith(OP_BELOW_INTERMEDIATE)  # and back to a working chain
        assert User.objects.count() == 1
    finally:
        intermediate.run("restore")
