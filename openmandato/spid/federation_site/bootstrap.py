"""Set up the local federation: the trust anchor, the OpenID Provider (a subordinate with a trust mark),
OpenMandato onboarded as a Relying Party with its own trust mark, and test citizens at the provider.

Run with the federation's interpreter (Django 4.2):
    FEDERATION_URL=... FEDERATION_DB=... python -m openmandato.spid.federation_site.bootstrap \
        RP_ID RP_JWKS OUT
It writes OUT/trust-anchors.json (the anchor's public keys, as OpenMandato pins them) and
OUT/rp-trust-marks.json (OpenMandato's trust marks, as onboarding hands them over).

Also: `... bootstrap revoke ENTITY_ID` withdraws an entity's trust marks (the status endpoint then says so);
`... bootstrap intermediate OUT` (with FEDERATION_ANCHOR set) makes this process an intermediate with its own
OpenID Provider, and `... bootstrap add-subordinate ENTITY_ID JWKS` states it on the trust anchor.
"""

import json
import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openmandato.spid.federation_site.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from spid_cie_oidc.accounts.models import User  # noqa: E402
from spid_cie_oidc.authority.models import (  # noqa: E402
    FederationDescendant,
    FederationEntityAssignedProfile,
    FederationEntityProfile,
)
from spid_cie_oidc.entity.jwks import create_jwk, public_jwk_from_private_jwk  # noqa: E402
from spid_cie_oidc.entity.models import FederationEntityConfiguration  # noqa: E402

TA = settings.FEDERATION_URL
OP = TA + "oidc/op/"
RP_MARK = TA + "openid_relying_party/public/"
OP_MARK = TA + "openid_provider/public/"
CITIZENS = [
    # username, password, attributes (the provider copies those a Relying Party asks for by name)
    (
        "mario",
        "mario-password",
        {
            "given_name": "Mario",
            "family_name": "Rossi",
            "https://attributes.eid.gov.it/fiscal_number": "TINIT-RSSMRA80A01H501U",
            "email": "mario.rossi@example.org",
        },
    ),
    (
        "giulia",
        "giulia-password",
        {
            "given_name": "Giulia",
            "family_name": "Bianchi",
            "https://attributes.eid.gov.it/fiscal_number": "TINIT-BNCGLI85M41D969D",
            "email": "giulia.bianchi@example.org",
        },
    ),
]


def public(jwks: list) -> list:
    return [public_jwk_from_private_jwk(k) for k in jwks]


def op_metadata(core_public: list) -> dict:
    algs = ["RS256", "RS512", "ES256"]
    enc_algs, enc_encs = ["RSA-OAEP", "RSA-OAEP-256"], ["A128CBC-HS256", "A256CBC-HS512"]
    return {
        "openid_provider": {
            "issuer": OP,
            "organization_name": "Local test SPID provider",
            "op_name": "Local test SPID provider",
            "authorization_endpoint": OP + "authorization",
            "token_endpoint": OP + "token",
            "userinfo_endpoint": OP + "userinfo",
            "introspection_endpoint": OP + "introspection",
            "revocation_endpoint": OP + "revocation",
            "jwks": {"keys": core_public},
            "scopes_supported": ["openid", "offline_access"],
            "response_types_supported": ["code"],
            "response_modes_supported": ["query", "form_post"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "acr_values_supported": [
                "https://www.spid.gov.it/SpidL1",
                "https://www.spid.gov.it/SpidL2",
                "https://www.spid.gov.it/SpidL3",
            ],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": algs,
            "id_token_encryption_alg_values_supported": enc_algs,
            "id_token_encryption_enc_values_supported": enc_encs,
            "userinfo_signing_alg_values_supported": algs,
            "userinfo_encryption_alg_values_supported": enc_algs,
            "userinfo_encryption_enc_values_supported": enc_encs,
            "request_object_signing_alg_values_supported": algs,
            "request_object_encryption_alg_values_supported": enc_algs,
            "request_object_encryption_enc_values_supported": enc_encs,
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": algs,
            "claims_parameter_supported": True,
            "request_parameter_supported": True,
            "authorization_response_iss_parameter_supported": True,
            "claims_supported": [
                "given_name",
                "family_name",
                "email",
                "https://attributes.eid.gov.it/fiscal_number",
            ],
        }
    }


def bootstrap(rp_id: str, rp_jwks_path: str, out: Path) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    ta = FederationEntityConfiguration.objects.create(
        sub=TA,
        entity_type="federation_entity",
        metadata={
            "federation_entity": {
                "organization_name": "Local test trust anchor",
                "homepage_uri": TA,
                "contacts": ["ops@example.org"],
                "federation_fetch_endpoint": TA + "fetch",
                "federation_resolve_endpoint": TA + "resolve",
                "federation_list_endpoint": TA + "list",
                "federation_trust_mark_status_endpoint": TA + "trust_mark_status",
            }
        },
        trust_mark_issuers={RP_MARK: [TA], OP_MARK: [TA]},
        constraints={"max_path_length": 1},
        is_active=True,
    )
    op = FederationEntityConfiguration(
        sub=OP, entity_type="openid_provider", authority_hints=[TA], is_active=True
    )
    op.jwks_core = [{**create_jwk(), "use": "sig"}, {**create_jwk(), "use": "enc"}]
    op.metadata = op_metadata(public(op.jwks_core))
    op.save()

    rp_keys = json.loads(Path(rp_jwks_path).read_text())["keys"]
    rp = FederationDescendant.objects.create(
        name="OpenMandato", sub=rp_id, type="openid_relying_party", jwks=rp_keys, is_active=True
    )
    opd = FederationDescendant.objects.create(
        name="Local OP", sub=OP, type="openid_provider", jwks=public(op.jwks_fed), is_active=True
    )
    rp_profile = FederationEntityProfile.objects.create(
        name="RP public", profile_category="openid_relying_party", profile_id=RP_MARK
    )
    op_profile = FederationEntityProfile.objects.create(
        name="OP public", profile_category="openid_provider", profile_id=OP_MARK
    )
    rp_mark = FederationEntityAssignedProfile.objects.create(descendant=rp, profile=rp_profile, issuer=ta)
    op_mark = FederationEntityAssignedProfile.objects.create(descendant=opd, profile=op_profile, issuer=ta)
    op.trust_marks = [op_mark.trust_mark]
    op.save()
    for username, password, attributes in CITIZENS:
        user = User.objects.create_user(username=username, password=password, email=attributes["email"])
        user.attributes = attributes
        user.save()
    out.mkdir(parents=True, exist_ok=True)
    (out / "trust-anchors.json").write_text(json.dumps({TA: {"keys": public(ta.jwks_fed)}}))
    (out / "rp-trust-marks.json").write_text(json.dumps([rp_mark.trust_mark]))


def bootstrap_intermediate(out: Path) -> None:
    """This process as an intermediate: a federation entity whose superior is FEDERATION_ANCHOR, with its
    own OpenID Provider below it (the same test citizens). Writes OUT/intermediate-jwks.json, the
    intermediate's public federation keys, for `add-subordinate` on the trust anchor's side."""
    call_command("migrate", verbosity=0, interactive=False)
    anchor = settings.FEDERATION_ANCHOR
    FederationEntityConfiguration.objects.create(
        sub=TA,
        entity_type="federation_entity",
        authority_hints=[anchor],
        metadata={
            "federation_entity": {
                "organization_name": "Local test intermediate",
                "homepage_uri": TA,
                "contacts": ["ops@example.org"],
                "federation_fetch_endpoint": TA + "fetch",
                "federation_list_endpoint": TA + "list",
            }
        },
        is_active=True,
    )
    intermediate = FederationEntityConfiguration.objects.get(sub=TA)
    op = FederationEntityConfiguration(
        sub=OP, entity_type="openid_provider", authority_hints=[TA], is_active=True
    )
    op.jwks_core = [{**create_jwk(), "use": "sig"}, {**create_jwk(), "use": "enc"}]
    op.metadata = op_metadata(public(op.jwks_core))
    op.save()
    FederationDescendant.objects.create(
        name="Local OP below the intermediate",
        sub=OP,
        type="openid_provider",
        jwks=public(op.jwks_fed),
        is_active=True,
    )
    for username, password, attributes in CITIZENS:
        user = User.objects.create_user(username=username, password=password, email=attributes["email"])
        user.attributes = attributes
        user.save()
    out.mkdir(parents=True, exist_ok=True)
    (out / "intermediate-jwks.json").write_text(json.dumps({"keys": public(intermediate.jwks_fed)}))


def add_subordinate(entity_id: str, jwks_path: str) -> None:
    """On the trust anchor: state an intermediate (a federation entity) with its public keys."""
    FederationDescendant.objects.create(
        name="Intermediate",
        sub=entity_id,
        type="federation_entity",
        jwks=json.loads(Path(jwks_path).read_text())["keys"],
        is_active=True,
    )


def restore() -> None:
    """Undo revoke/impostor/expire: the provider (and, in an intermediate, the intermediate) as bootstrap
    left them."""
    for entity in FederationEntityConfiguration.objects.filter(sub__in=[OP, TA]):
        stash = genuine_keys(entity.sub)
        if stash.exists():
            entity.jwks_fed = json.loads(stash.read_text())
            stash.unlink()
        entity.default_exp = 2880
        entity.save()
    if settings.FEDERATION_ANCHOR != TA:
        return  # an intermediate assigns no trust marks
    ta = FederationEntityConfiguration.objects.get(sub=TA)
    for descendant in FederationDescendant.objects.all():
        profile = FederationEntityProfile.objects.filter(profile_category=descendant.type).first()
        if profile is None:
            continue  # an intermediate: no trust mark was assigned to it
        FederationEntityAssignedProfile.objects.get_or_create(
            descendant=descendant, profile=profile, issuer=ta
        )


def genuine_keys(entity_id: str) -> Path:
    """Where impostor() keeps an entity's genuine keys for restore(): beside the database, not published."""
    name = "".join(c if c.isalnum() else "_" for c in entity_id)
    return Path(settings.DATABASES["default"]["NAME"]).parent / f"genuine-{name}.json"


def impostor(entity_id: str = OP) -> None:
    """The entity's statements signed with a key its superior never stated (a tampered statement); for an
    intermediate that is its configuration and every statement it issues about its subordinates."""
    entity = FederationEntityConfiguration.objects.get(sub=entity_id)
    stash = genuine_keys(entity_id)
    if not stash.exists():
        stash.write_text(json.dumps(entity.jwks_fed))
    entity.jwks_fed = [create_jwk()]
    entity.save()


def expire(entity_id: str = OP) -> None:
    """The entity's configuration expires as soon as it is issued."""
    FederationEntityConfiguration.objects.filter(sub=entity_id).update(default_exp=0)


def revoke(entity_id: str) -> None:
    """Withdraw the entity's trust marks (it stays in the federation)."""
    FederationEntityAssignedProfile.objects.filter(descendant__sub=entity_id).delete()


if __name__ == "__main__":
    if sys.argv[1] == "revoke":
        revoke(sys.argv[2])
    elif sys.argv[1] in ("restore", "impostor", "expire"):
        globals()[sys.argv[1]](*sys.argv[2:])
    elif sys.argv[1] == "intermediate":
        bootstrap_intermediate(Path(sys.argv[2]))
    elif sys.argv[1] == "add-subordinate":
        add_subordinate(sys.argv[2], sys.argv[3])
    else:
        bootstrap(sys.argv[1], sys.argv[2], Path(sys.argv[3]))
