"""With the defaults (`make run`) only e-mail accounts exist: no SPID/CIE button, no federation endpoint.
Configured, the sign-in page shows AgID's buttons, and e-mail sign-in can be switched off."""

import json
from pathlib import Path

import pytest
from cryptojwt.jwk.jwk import key_from_jwk_dict
from cryptojwt.jws.jws import JWS
from django.core.management import call_command
from django.urls import reverse

from openmandato.spid.keys import load_keys

pytestmark = pytest.mark.django_db
OP = "https://op.example.it/"


@pytest.fixture
def configured(settings, tmp_path):
    settings.SPID_KEYS_DIR = tmp_path / "keys"
    call_command("spid_keys")
    settings.LOGIN_METHODS = ["email", "spid", "cie"]
    settings.SPID_PROVIDERS = [(OP, "<b>Ente</b> di prova")]
    settings.CIE_PROVIDERS = [("https://cie.example.it/", "CIE")]
    settings.SPID_RP_ENTITY_ID = "https://comune.example.it/"
    settings.OIDCFED_AUTHORITY_HINTS = ["https://ta.example.it/"]
    return settings


def test_by_default_only_email_sign_in_is_offered(client):
    page = client.get(reverse("account_login")).content.decode()
    assert 'name="password"' in page
    assert "Entra con SPID" not in page and "Entra con CIE" not in page
    assert client.get("/.well-known/openid-federation").status_code == 404
    assert client.get(reverse("spid:begin", args=["spid"]), {"provider": OP}).status_code == 404


def test_configured_it_shows_the_spid_and_cie_buttons(client, configured):
    page = client.get(reverse("account_login")).content.decode()
    assert "Entra con SPID" in page and "Entra con CIE" in page
    assert "&lt;b&gt;Ente&lt;/b&gt; di prova" in page  # provider names are escaped
    assert 'name="password"' in page


def test_email_sign_in_can_be_switched_off(client, configured):
    configured.LOGIN_METHODS = ["spid", "cie"]
    page = client.get(reverse("account_login")).content.decode()
    assert "Entra con SPID" in page and 'name="password"' not in page


def test_the_entity_configuration_is_signed_with_the_federation_key(client, configured):
    response = client.get("/.well-known/openid-federation")
    assert response["Content-Type"] == "application/entity-statement+jwt"
    keys = load_keys()
    payload = JWS().verify_compact(response.content.decode(), [key_from_jwk_dict(keys.federation)])
    assert payload["iss"] == payload["sub"] == "https://comune.example.it/"
    assert payload["authority_hints"] == ["https://ta.example.it/"]
    rp = payload["metadata"]["openid_relying_party"]
    assert rp["redirect_uris"] == ["https://comune.example.it/accedi/oidc/callback/"]
    assert rp["token_endpoint_auth_method"] == "private_key_jwt"
    published = json.dumps(payload)
    assert '"d"' not in published and '"p"' not in published  # no private key material


def test_the_key_command_keeps_keys_unless_asked_to_rotate(configured, capsys):
    before = load_keys()
    call_command("spid_keys")
    assert load_keys() == before
    call_command("spid_keys", "--rotate")
    after = load_keys()
    assert after.federation["kid"] != before.federation["kid"]
    assert (configured.SPID_KEYS_DIR / "federation.jwks.old").exists()
    assert oct((configured.SPID_KEYS_DIR / "federation.jwks.json").stat().st_mode & 0o777) == "0o600"


def test_an_unknown_method_is_not_found(client, configured):
    assert client.get("/accedi/oidc/eidas/", {"provider": OP}).status_code == 404


def test_the_spid_button_uses_agids_vendored_icon_with_its_licence(client, configured):
    from django.contrib.staticfiles import finders

    page = client.get(reverse("account_login")).content.decode()
    icon = "spid/vendor/spid-smart-button/spid-ico-circle-bb.svg"
    assert f'/static/{icon}"' in page and "/static/spid/spid-buttons.css" in page
    assert 'class="italia-it-button spid-button"' in page and 'class="italia-it-button cie-button"' in page
    found = finders.find(icon)
    assert found and "<svg" in Path(found).read_text()
    licence = finders.find("spid/vendor/spid-smart-button/LICENSE.md")
    assert licence and "EUPL" in Path(licence).read_text()
    assert client.get(f"/static/{icon}").status_code == 200
    # the providers' list: every provider by name, then AgID's help links
    assert page.index("&lt;b&gt;Ente&lt;/b&gt; di prova") < page.index("Non hai SPID?")


def test_check_warns_when_a_level_asks_for_spid_that_is_not_configured(settings, configured):
    from openmandato.spid.checks import levels_need_spid_or_cie

    assert levels_need_spid_or_cie(None) == []  # SPID on: nothing to say
    configured.LOGIN_METHODS = ["email"]
    assert levels_need_spid_or_cie(None) == []  # every level "email" (the default)
    configured.LEVEL_OF_ASSURANCE = {**configured.LEVEL_OF_ASSURANCE, "proposal": "L2", "staff": "L2"}
    (warning,) = levels_need_spid_or_cie(None)
    assert warning.id == "spid.W001" and "LOA_PROPOSAL, LOA_STAFF" in warning.msg


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("/valenza/actions/1/#commenti", True),
        ("//evil.example/x", False),
        ("https://evil.example/", False),
        ("javascript:alert(1)", False),
        ("/\\evil.example", False),
        ("/" + "a" * 600, False),
    ],
)
def test_the_spid_cie_page_passes_on_only_a_path_of_this_site(client, configured, raw, kept):
    assert client.get(reverse("spid:sign_in"), {"next": raw}).status_code == 200
    page = client.get(reverse("spid:sign_in"), {"next": raw}).content.decode()
    buttons = page[page.index('<div class="spid-cie') :]
    buttons = buttons[: buttons.index("</main>") if "</main>" in buttons else None]
    assert "Entra con SPID" in buttons
    assert ("&amp;next=" in buttons) is kept  # passed on to the begin view
    assert "evil.example" not in buttons and "javascript" not in buttons


def test_the_spid_cie_page_is_not_found_while_spid_is_off(client):
    assert client.get(reverse("spid:sign_in"), {"next": "/"}).status_code == 404
