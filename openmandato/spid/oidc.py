"""The SPID/CIE OpenID Connect exchange: a signed request object with PKCE (S256), state and nonce;
the code exchanged with a private_key_jwt client assertion; the ID token checked (issuer, audience,
nonce, expiry, signature with the keys of the trust chain); the userinfo decrypted with our key and
verified with the provider's."""

import base64
import hashlib
import secrets
import time

from cryptojwt.jwe.jwe import factory as jwe_factory
from cryptojwt.jwk.jwk import key_from_jwk_dict
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from openmandato.spid import federation
from openmandato.spid.federation import FederationError, Provider

ACR = {
    "L1": "https://www.spid.gov.it/SpidL1",
    "L2": "https://www.spid.gov.it/SpidL2",
    "L3": "https://www.spid.gov.it/SpidL3",
}
LEVEL_OF_ACR = {v: k for k, v in ACR.items()}
FISCAL_NUMBER = "https://attributes.eid.gov.it/fiscal_number"
CLAIMS = {
    "spid": {
        "userinfo": {
            "given_name": None,
            "family_name": None,
            "email": None,
            "address": None,  # the comune of residence, for the "residente verificato" flag; not kept
            FISCAL_NUMBER: {"essential": True},
        }
    },
    "cie": {
        "userinfo": {
            "given_name": None,
            "family_name": None,
            "email": None,
            "email_verified": None,
            "address": None,
            FISCAL_NUMBER: {"essential": True},
        }
    },
}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def authorization_request(provider: Provider, keys, method: str, level: str) -> tuple[str, dict]:
    """The URL to send the browser to, and what the callback must find in the session."""
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    challenge = b64(hashlib.sha256(verifier.encode()).digest())
    endpoint = provider.metadata.get("authorization_endpoint")
    if not endpoint:
        raise FederationError(
            _("Il fornitore d'identità non è un OpenID Provider."), "authorization_endpoint"
        )
    client_id = federation.entity_id()
    now = int(time.time())
    request_object = {
        "iss": client_id,
        "aud": [provider.entity_id, endpoint],
        "iat": now,
        "exp": now + 120,
        "jti": secrets.token_urlsafe(16),
        "client_id": client_id,
        "response_type": "code",
        "scope": ["openid"],
        "redirect_uri": federation.callback_url(),
        "state": state,
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "acr_values": [ACR[level]],
        "claims": CLAIMS[method],
        "prompt": "consent login",
        "ui_locales": ["it"],
    }
    signed = federation.sign(request_object, keys.signing, "JWT")
    url = federation.url_with(
        endpoint,
        {
            "client_id": client_id,
            "response_type": "code",
            "scope": "openid",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "request": signed,
        },
    )
    pending = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "provider": provider.entity_id,
        "method": method,
        "level": level,
        "started": now,
    }
    return url, pending


def client_assertion(keys, audience: str) -> str:
    now = int(time.time())
    client_id = federation.entity_id()
    payload = {
        "iss": client_id,
        "sub": client_id,
        "aud": [audience],
        "iat": now,
        "exp": now + 60,
        "jti": secrets.token_urlsafe(16),
    }
    return federation.sign(payload, keys.signing, "JWT")


def post(url: str, data: dict):
    import requests

    try:
        response = requests.post(url, data=data, timeout=settings.OIDCFED_HTTP_TIMEOUT)
    except requests.RequestException as exc:
        raise FederationError(
            _("Il fornitore d'identità non risponde: riprova più tardi o scegline un altro."), str(exc)
        ) from None
    return response


def exchange_code(provider: Provider, keys, pending: dict, code: str) -> dict:
    """The verified claims: ID token and userinfo, merged (userinfo wins for attributes)."""
    token_endpoint = provider.metadata.get("token_endpoint")
    response = post(
        token_endpoint,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": federation.callback_url(),
            "client_id": federation.entity_id(),
            "code_verifier": pending["verifier"],
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": client_assertion(keys, token_endpoint),
        },
    )
    if response.status_code != 200:
        raise FederationError(_("Il fornitore d'identità ha rifiutato l'accesso."), response.text[:200])
    try:
        tokens = response.json()
        id_token, access_token = tokens["id_token"], tokens["access_token"]
    except (ValueError, KeyError, TypeError):
        raise FederationError(
            _("Il fornitore d'identità ha risposto con un documento non valido."), "tokens"
        ) from None
    claims = federation.verify(id_token, provider.jwks)
    now = time.time()
    audience = claims.get("aud")
    audience = audience if isinstance(audience, list) else [audience]
    if claims.get("iss") != provider.entity_id or federation.entity_id() not in audience:
        raise FederationError(
            _("Il fornitore d'identità ha risposto con un documento non valido."), "iss/aud"
        )
    if claims.get("nonce") != pending["nonce"]:
        raise FederationError(_("La risposta non corrisponde alla richiesta di accesso: riprova."), "nonce")
    federation.check_times(claims, now)
    acr = claims.get("acr")
    level = LEVEL_OF_ACR.get(acr)
    if level is None or level < pending["level"]:  # "L1" < "L2" < "L3"
        raise FederationError(_("Il livello di sicurezza dell'accesso non è sufficiente."), f"acr {acr}")
    userinfo = fetch_userinfo(provider, keys, access_token)
    if userinfo.get("sub") != claims.get("sub"):
        raise FederationError(_("Il fornitore d'identità ha risposto con un documento non valido."), "sub")
    return {**claims, **userinfo, "acr_level": level}


def fetch_userinfo(provider: Provider, keys, access_token: str) -> dict:
    import requests

    endpoint = provider.metadata.get("userinfo_endpoint")
    try:
        response = requests.get(
            endpoint,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=settings.OIDCFED_HTTP_TIMEOUT,
        )
    except requests.RequestException as exc:
        raise FederationError(
            _("Il fornitore d'identità non risponde: riprova più tardi o scegline un altro."), str(exc)
        ) from None
    if response.status_code != 200:
        raise FederationError(
            _("Il fornitore d'identità ha rifiutato l'accesso."), f"userinfo {response.status_code}"
        )
    token = response.text.strip()
    try:
        decrypter = jwe_factory(token, alg="RSA-OAEP", enc="A256CBC-HS512")
        signed = decrypter.decrypt(token, [key_from_jwk_dict(keys.encryption)])
        signed = signed.decode() if isinstance(signed, bytes) else signed
    except Exception as exc:
        raise FederationError(
            _("Il fornitore d'identità ha risposto con un documento non valido."), f"jwe {exc}"
        ) from None
    return federation.verify(signed, provider.jwks)
