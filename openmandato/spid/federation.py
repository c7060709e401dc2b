"""OpenID Connect Federation, as AgID's SPID/CIE OIDC guidelines profile it, seen from a Relying Party.

- `entity_configuration()` is our self-signed statement, served at /.well-known/openid-federation.
- `resolve_provider()` builds the trust chain of an OpenID Provider up to a trust anchor whose keys we
  hold (pinned in settings, never fetched): the provider's entity configuration, verified with the keys
  its superior states for it; each superior's statement, fetched from its fetch endpoint and verified
  with the superior's own keys; the trust anchor's statement with the pinned keys. The superiors'
  metadata policies are applied, the required trust marks are checked (signature, subject, expiry and
  the issuer's status endpoint, which answers for revoked marks).

Every failure raises `FederationError` with a message fit for the person signing in.
"""

import hashlib
import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import requests
from cryptojwt.jwk.jwk import key_from_jwk_dict
from cryptojwt.jws.jws import JWS, factory
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from openmandato.spid.keys import RpKeys

MAX_DEPTH = 3  # provider, at most two intermediaries, trust anchor
MAX_BYTES = 256 * 1024


class FederationError(Exception):
    """A trust problem; the message is safe to show (it never echoes remote content)."""

    def __init__(self, message, detail: str = ""):
        super().__init__(str(message))
        self.message = message
        self.detail = detail


def well_known(entity_id: str) -> str:
    return entity_id.rstrip("/") + "/.well-known/openid-federation"


def sign(payload: dict, jwk: dict, typ: str) -> str:
    key = key_from_jwk_dict(jwk)
    return JWS(json.dumps(payload), alg="RS256", typ=typ).sign_compact([key])


def unverified_parts(token: str) -> tuple[dict, dict]:
    jws = factory(token)
    if jws is None:
        raise FederationError(
            _("Il fornitore d'identità ha risposto con un documento non valido."), token[:80]
        )
    return jws.jwt.headers, jws.jwt.payload()


def verify(token: str, jwks: dict) -> dict:
    """The payload of a JWS signed by one of jwks's keys (matched by kid), else FederationError."""
    try:
        headers, _payload = unverified_parts(token)
        keys = [key_from_jwk_dict(k) for k in jwks.get("keys", []) if k.get("kid") == headers.get("kid")]
        if not keys:
            raise ValueError(f"no key {headers.get('kid')!r}")
        payload = JWS(alg=headers.get("alg")).verify_compact(token, keys)
    except FederationError:
        raise
    except Exception as exc:  # cryptojwt raises many kinds; all mean "not signed by these keys"
        raise FederationError(
            _("La firma di un documento della federazione non è valida."), str(exc)
        ) from None
    if headers.get("alg") not in ("RS256", "RS512", "ES256", "ES512", "PS256", "PS512"):
        raise FederationError(_("La firma di un documento della federazione non è valida."), "alg")
    return payload


def http_get(url: str, params: dict | None = None) -> requests.Response:
    try:
        response = requests.get(url, params=params, timeout=settings.OIDCFED_HTTP_TIMEOUT, stream=True)
        body = response.raw.read(MAX_BYTES + 1, decode_content=True)
    except requests.RequestException as exc:
        raise FederationError(
            _("Il fornitore d'identità non risponde: riprova più tardi o scegline un altro."), str(exc)
        ) from None
    if len(body) > MAX_BYTES:
        raise FederationError(_("Il fornitore d'identità ha risposto con un documento non valido."), "size")
    response._content = body
    return response


def check_times(payload: dict, now: float) -> None:
    skew = settings.OIDCFED_CLOCK_SKEW
    if not isinstance(payload.get("exp"), int) or payload["exp"] < now - skew:
        raise FederationError(
            _("Un documento della federazione è scaduto: l'accesso è stato bloccato."), "exp"
        )
    if isinstance(payload.get("iat"), int) and payload["iat"] > now + skew:
        raise FederationError(_("Un documento della federazione non è ancora valido."), "iat")


def fetch_entity_configuration(entity_id: str, now: float) -> tuple[str, dict]:
    response = http_get(well_known(entity_id))
    if response.status_code != 200:
        raise FederationError(
            _("Il fornitore d'identità non risponde: riprova più tardi o scegline un altro."),
            f"HTTP {response.status_code}",
        )
    token = response.text.strip()
    _headers, payload = unverified_parts(token)
    if payload.get("iss") != entity_id or payload.get("sub") != entity_id:
        raise FederationError(
            _("Il fornitore d'identità ha risposto con un documento non valido."), "iss/sub"
        )
    verify(token, payload.get("jwks") or {})  # self-signed; trust comes from the superior's statement
    check_times(payload, max(now, time.time()))  # as it arrives: resolving a chain takes a few requests
    return token, payload


# --- metadata policy (OpenID Federation 1.0, section 6.1) -------------------------------------


def apply_policy(metadata: dict, policy: dict) -> dict:
    result = dict(metadata)
    for claim, operators in (policy or {}).items():
        value = result.get(claim)
        if "value" in operators:
            value = operators["value"]
        if "add" in operators:
            value = list(dict.fromkeys([*(value or []), *operators["add"]]))
        if value is None and "default" in operators:
            value = operators["default"]
        if "one_of" in operators and value is not None and value not in operators["one_of"]:
            raise FederationError(_("I metadati del fornitore d'identità violano la policy."), claim)
        if "subset_of" in operators and value is not None:
            value = [v for v in value if v in operators["subset_of"]]
        if (
            "superset_of" in operators
            and value is not None
            and not set(operators["superset_of"]) <= set(value)
        ):
            raise FederationError(_("I metadati del fornitore d'identità violano la policy."), claim)
        if operators.get("essential") and value in (None, []):
            raise FederationError(_("I metadati del fornitore d'identità violano la policy."), claim)
        if value is None:
            result.pop(claim, None)
        else:
            result[claim] = value
    return result


# --- trust chain ------------------------------------------------------------------------------


@dataclass
class Provider:
    entity_id: str
    trust_anchor: str
    metadata: dict  # openid_provider, after policy
    exp: int
    trust_marks: list[str] = field(default_factory=list)

    @property
    def jwks(self) -> dict:
        return self.metadata.get("jwks") or {}


def trust_anchor_keys(anchor: str) -> dict:
    return settings.OIDCFED_TRUST_ANCHORS[anchor]


def subordinate_statement(superior_id: str, superior: dict, superior_jwks: dict, subject: str, now) -> dict:
    endpoint = (superior.get("metadata", {}).get("federation_entity", {}) or {}).get(
        "federation_fetch_endpoint"
    )
    if not endpoint:
        raise FederationError(_("La federazione non ha un punto di accesso valido."), "fetch endpoint")
    response = http_get(endpoint, {"sub": subject, "iss": superior_id})
    if response.status_code != 200:
        raise FederationError(
            _("Il fornitore d'identità non fa parte della federazione riconosciuta da questo sito."),
            f"fetch {response.status_code}",
        )
    statement = verify(response.text.strip(), superior_jwks)
    if statement.get("iss") != superior_id or statement.get("sub") != subject:
        raise FederationError(_("Un documento della federazione non è valido."), "statement iss/sub")
    check_times(statement, max(now, time.time()))
    return statement


def chain_to_anchor(
    entity_id: str, payload: dict, now: float, depth: int = 0
) -> tuple[dict, list[dict], int]:
    """Statements about entity_id from its superiors up to a pinned trust anchor; returns (the anchor's
    configuration, [statement about entity_id, ...superiors' statements], min exp). Tries every hint."""
    if depth >= MAX_DEPTH:
        raise FederationError(_("La catena di fiducia è troppo lunga."), "depth")
    last_error = None
    for hint in payload.get("authority_hints") or []:
        try:
            if hint in settings.OIDCFED_TRUST_ANCHORS:
                anchor_jwks = trust_anchor_keys(hint)
                _token, anchor_conf = fetch_entity_configuration(hint, now)
                verify(_token, anchor_jwks)  # the anchor's own configuration, with the pinned keys
                statement = subordinate_statement(hint, anchor_conf, anchor_jwks, entity_id, now)
                return anchor_conf, [statement], min(statement["exp"], anchor_conf["exp"])
            _token, superior = fetch_entity_configuration(hint, now)
            anchor, upper, exp = chain_to_anchor(hint, superior, now, depth + 1)
            # the superior's keys are the ones its own superior states for it
            verify(_token, upper[0].get("jwks") or {})
            statement = subordinate_statement(hint, superior, upper[0].get("jwks") or {}, entity_id, now)
            return anchor, [statement, *upper], min(exp, statement["exp"])
        except FederationError as exc:
            last_error = exc
    raise last_error or FederationError(
        _("Il fornitore d'identità non fa parte della federazione riconosciuta da questo sito."), "no hint"
    )


def check_trust_marks(entity_id, payload, anchor_conf: dict, anchor_jwks: dict, required, now) -> list:
    valid = []
    for mark in payload.get("trust_marks") or []:
        token = mark.get("trust_mark") if isinstance(mark, dict) else None
        if not token:
            continue
        try:
            tm = verify(token, anchor_jwks)
        except FederationError:
            continue
        mark_id = tm.get("trust_mark_type") or tm.get("trust_mark_id") or tm.get("id")
        if tm.get("sub") != entity_id or mark_id not in required:
            continue
        if isinstance(tm.get("exp"), int) and tm["exp"] < now:
            continue
        valid.append((mark_id, token))
    if required and not valid:
        raise FederationError(
            _("Il fornitore d'identità non ha un marchio di fiducia valido."), "no trust mark"
        )
    if not required:
        return []
    # the issuer may have revoked it since: ask its status endpoint
    fed = anchor_conf.get("metadata", {}).get("federation_entity", {})
    endpoint = fed.get("federation_trust_mark_status_endpoint")
    if not endpoint:
        raise FederationError(_("La federazione non ha un punto di accesso valido."), "status endpoint")
    active = []
    for mark_id, token in valid:
        response = http_get(endpoint, {"trust_mark": token})
        if response.status_code == 200:
            status = verify(response.text.strip(), anchor_jwks)
            if status.get("status") == "active" or status.get("active") is True:
                active.append(mark_id)
    if not active:
        raise FederationError(
            _("Il marchio di fiducia del fornitore d'identità è stato revocato."), "revoked"
        )
    return active


def resolve_provider(entity_id: str, required_trust_marks=()) -> Provider:
    """The provider's trust chain, resolved at most once per OIDCFED_CHAIN_CACHE_SECONDS (and never past
    its expiry), as the guidelines let a Relying Party keep it."""
    key = (
        "om_spid:chain:" + hashlib.sha256(f"{entity_id} {sorted(required_trust_marks)}".encode()).hexdigest()
    )
    provider = cache.get(key)
    if provider is None:
        provider = _resolve_provider(entity_id, required_trust_marks)
        ttl = min(settings.OIDCFED_CHAIN_CACHE_SECONDS, int(provider.exp - time.time()))
        if ttl > 0:
            cache.set(key, provider, ttl)
    return provider


def _resolve_provider(entity_id: str, required_trust_marks=()) -> Provider:
    now = time.time()
    _token, payload = fetch_entity_configuration(entity_id, now)
    anchor_conf, statements, exp = chain_to_anchor(entity_id, payload, now)
    anchor = anchor_conf["sub"]
    verify(_token, statements[0].get("jwks") or {})  # the provider's keys, as its superior states them
    metadata = (payload.get("metadata") or {}).get("openid_provider")
    if not metadata:
        raise FederationError(_("Il fornitore d'identità non è un OpenID Provider."), "metadata")
    for statement in reversed(statements):  # the anchor's policy first
        policy = (statement.get("metadata_policy") or {}).get("openid_provider")
        if policy:
            metadata = apply_policy(metadata, policy)
    marks = check_trust_marks(
        entity_id, payload, anchor_conf, trust_anchor_keys(anchor), required_trust_marks, now
    )
    return Provider(entity_id, anchor, metadata, min(exp, payload["exp"]), marks)


# --- our own entity configuration -------------------------------------------------------------


def entity_id() -> str:
    return settings.SPID_RP_ENTITY_ID


def callback_url() -> str:
    return entity_id().rstrip("/") + "/accedi/oidc/callback/"


def entity_configuration(keys: RpKeys) -> str:
    now = int(time.time())
    sub = entity_id()
    rp = {
        "application_type": "web",
        "client_id": sub,
        "client_registration_types": ["automatic"],
        "client_name": settings.SPID_RP_ORGANIZATION,
        "organization_name": settings.SPID_RP_ORGANIZATION,
        "contacts": settings.SPID_RP_CONTACTS,
        "jwks": keys.core_jwks,
        "grant_types": ["authorization_code", "refresh_token"],
        "redirect_uris": [callback_url()],
        "response_types": ["code"],
        "subject_type": "pairwise",
        "token_endpoint_auth_method": "private_key_jwt",
        "id_token_signed_response_alg": "RS256",
        "userinfo_signed_response_alg": "RS256",
        "userinfo_encrypted_response_alg": "RSA-OAEP",
        "userinfo_encrypted_response_enc": "A256CBC-HS512",
    }
    payload = {
        "iss": sub,
        "sub": sub,
        "iat": now,
        "exp": now + settings.SPID_RP_STATEMENT_LIFETIME,
        "jwks": keys.federation_jwks,
        "authority_hints": list(settings.OIDCFED_AUTHORITY_HINTS),
        "metadata": {
            "openid_relying_party": rp,
            "federation_entity": {
                "organization_name": settings.SPID_RP_ORGANIZATION,
                "homepage_uri": settings.SITE_URL,
                "contacts": settings.SPID_RP_CONTACTS,
            },
        },
    }
    if settings.SPID_RP_TRUST_MARKS:
        payload["trust_marks"] = settings.SPID_RP_TRUST_MARKS
    return sign(payload, keys.federation, "entity-statement+jwt")


def url_with(endpoint: str, params: dict) -> str:
    return endpoint + ("&" if "?" in endpoint else "?") + urlencode(params)
