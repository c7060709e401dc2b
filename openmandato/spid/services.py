"""Signing in with a national identity: find the one account it belongs to, or create it."""

import re
import secrets
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openmandato.citizens.models import Identity, Profile
from openmandato.core.models import Membership, Role
from openmandato.core.permissions import can_administer, require
from openmandato.programs.models import Municipality
from openmandato.spid import conf
from openmandato.spid.federation import FederationError
from openmandato.spid.models import FiscalCode, ResidentRule, VerifiedResident
from openmandato.spid.oidc import FISCAL_NUMBER

FISCAL_CODE = re.compile(
    r"^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPR-T][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$"
)
KEPT_CLAIMS = ("given_name", "family_name", "acr_level")


# the check character (DM 23/12/1976): values of the characters in odd and even positions, mod 26
_ODD = dict(
    zip(
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12]
        + [14, 16, 10, 22, 25, 24, 23],
        strict=True,
    )
)


def check_character(code: str) -> str:
    """The 16th character of an Italian fiscal code, computed from the first 15 (omocodia included)."""
    total = sum(
        _ODD[c] if i % 2 == 0 else (int(c) if c.isdigit() else ord(c) - ord("A"))
        for i, c in enumerate(code[:15])
    )
    return chr(ord("A") + total % 26)


def _cleaned(raw) -> str:
    if not isinstance(raw, str):
        return ""
    code = raw.strip().upper()
    return code[6:] if code.startswith("TINIT-") else code


def normalise_fiscal_code(raw) -> str:
    """The fiscal code in capitals without the TINIT- prefix, or "" when it is not a valid one."""
    code = _cleaned(raw)
    return code if FISCAL_CODE.match(code) and check_character(code) == code[15] else ""


def validate_fiscal_code(raw) -> str:
    """normalise_fiscal_code(), with a one-line reason (ValidationError) when the code is not valid."""
    code = _cleaned(raw)
    if len(code) != 16 or not FISCAL_CODE.match(code):
        raise ValidationError(
            _("Codice fiscale non valido: servono 16 caratteri, come RSSMRA80A01H501U."), code="fiscal_code"
        )
    if check_character(code) != code[15]:
        raise ValidationError(
            _("Codice fiscale non valido: l'ultimo carattere (di controllo) non corrisponde."),
            code="fiscal_code",
        )
    return code


def verified_email(method: str, claims: dict) -> str:
    """SPID providers verify the e-mail attribute; CIE says so with email_verified."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or len(email) > 254:
        return ""
    if method == "cie" and claims.get("email_verified") is not True:
        return ""
    return email.strip().lower()


@transaction.atomic
def sign_in_with_identity(method: str, provider: str, claims: dict):
    """The user this identity belongs to: the same subject, else the same fiscal code, else the same
    verified e-mail; otherwise a new account. An e-mail account already tied to another fiscal code
    is never merged (FederationError)."""
    subject = claims.get("sub")
    code = normalise_fiscal_code(claims.get(FISCAL_NUMBER) or claims.get("fiscal_number"))
    if not isinstance(subject, str) or not subject or not code:
        raise FederationError(_("Il fornitore d'identità non ha comunicato il codice fiscale."), "claims")
    now = timezone.now()
    kept = {k: claims[k] for k in KEPT_CLAIMS if isinstance(claims.get(k), str)}
    identity = Identity.objects.select_related("user").filter(provider=method, subject=subject).first()
    user = identity.user if identity else None
    if user is None:
        known = FiscalCode.objects.select_related("user").filter(code=code).first()
        user = known.user if known else None
    email = verified_email(method, claims)
    if user is None and email:
        address = (
            EmailAddress.objects.select_related("user").filter(email__iexact=email, verified=True).first()
        )
        if address:
            other = FiscalCode.objects.filter(user=address.user).exclude(code=code).exists()
            if other:
                raise FederationError(
                    _("Questa e-mail appartiene già a un account legato a un'altra identità."), "email clash"
                )
            user = address.user
    if user is None:
        user = get_user_model().objects.create_user(username=f"id-{secrets.token_hex(8)}", email=email or "")
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Profile.objects.get_or_create(user=user)
        if email and not EmailAddress.objects.filter(email__iexact=email).exists():
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    else:
        mine = FiscalCode.objects.filter(user=user).first()
        if mine and mine.code != code:
            raise FederationError(_("Questo account è legato a un'altra identità."), "code clash")
    FiscalCode.objects.update_or_create(user=user, defaults={"code": code, "verified_at": now})
    Identity.objects.update_or_create(
        provider=method, subject=subject, defaults={"user": user, "verified_at": now, "claims": kept}
    )
    resident_from_address(user, claims)
    return user


@transaction.atomic
def invite_staff_by_fiscal_code(municipality, *, fiscal_code: str, role: str, invited_by, areas=()):
    """Give the person with this fiscal code a role in the municipality. They need no e-mail or password:
    their first SPID/CIE sign-in with that fiscal code lands in this account (reunification by code)."""
    require(can_administer(invited_by, municipality.pk))
    code = validate_fiscal_code(fiscal_code)
    if role not in Role.values:
        raise ValidationError(_("Ruolo non valido."), code="role")
    areas = list(areas)
    if any(area.municipality_id != municipality.pk for area in areas):
        raise ValidationError(_("Le aree devono essere di questo comune."), code="areas")
    if role == Role.AREA_MANAGER and not areas:
        raise ValidationError(_("Un responsabile di area ha bisogno di almeno un'area."), code="areas")
    known = FiscalCode.objects.select_related("user").filter(code=code).first()
    if known:
        user = known.user
    else:
        user = get_user_model().objects.create_user(username=f"id-{secrets.token_hex(8)}")
        user.set_unusable_password()
        user.save(update_fields=["password"])
        FiscalCode.objects.create(user=user, code=code, verified_at=None)
    membership, _created = Membership.objects.get_or_create(user=user, municipality=municipality, role=role)
    if areas:
        membership.areas.add(*areas)
    membership.log_action(
        "invite",
        user=invited_by,
        after={
            "fiscal_code": code[:6] + "…",
            "role": role,
            "areas": sorted(area.name for area in areas),
            "by": "fiscal_code",
        },
    )  # the audit keeps only the part of the code that is not personal data on its own
    return membership


MAX_REASON = 200


def _staff_reason(reason) -> str:
    """The short reason staff give for marking or unmarking a resident: one line, kept in the audit."""
    text = " ".join(str(reason or "").split())
    if not text:
        raise ValidationError(_("Scrivi il motivo."), code="reason")
    if len(text) > MAX_REASON or "\x00" in text:
        raise ValidationError(
            _("Il motivo è troppo lungo o contiene caratteri non validi (al massimo %(max)s caratteri).")
            % {"max": MAX_REASON},
            code="reason",
        )
    return text


@transaction.atomic
def mark_resident(user, municipality, *, by=None, source=VerifiedResident.Source.STAFF, reason=None):
    """Flag `user` as a verified resident of `municipality` (by an administrator of that municipality,
    with a reason when given, or from the identity's address)."""
    if by is not None:
        require(can_administer(by, municipality.pk))
    after = {"source": source, "participant": user.pk}
    if reason is not None:
        after["reason"] = _staff_reason(reason)
    resident, created = VerifiedResident.objects.get_or_create(
        user=user, municipality=municipality, defaults={"source": source, "verified_by": by}
    )
    if created:
        resident.log_action("create", user=by, after=after)
    return resident


@transaction.atomic
def unmark_resident(user, municipality, *, by, reason) -> bool:
    """An administrator of the municipality takes the flag away, with a reason (kept in the audit).
    False when the user was not flagged. A flag that came from the identity's address comes back at the
    next SPID/CIE sign-in that carries the same address."""
    require(can_administer(by, municipality.pk))
    reason = _staff_reason(reason)
    resident = (
        VerifiedResident.objects.select_for_update().filter(user=user, municipality=municipality).first()
    )
    if resident is None:
        return False
    resident.log_action(
        "delete",
        user=by,
        before={"source": resident.source},
        after={"participant": user.pk, "reason": reason},
    )
    resident.delete()
    return True


def residents_only_proposals(municipality) -> bool:
    """The comune's rule, or the instance default (RESIDENTS_ONLY_PROPOSALS) while it has set none."""
    rule = ResidentRule.objects.filter(municipality=municipality).values_list(
        "residents_only_proposals", flat=True
    )
    chosen = rule.first()
    return settings.RESIDENTS_ONLY_PROPOSALS if chosen is None else chosen


@transaction.atomic
def set_residents_only_proposals(municipality, value: bool, *, by) -> ResidentRule:
    """An administrator of the comune sets whether its proposals need a verified resident; audited."""
    require(can_administer(by, municipality.pk))
    before = residents_only_proposals(municipality)
    rule, _created = ResidentRule.objects.select_for_update().get_or_create(
        municipality=municipality, defaults={"residents_only_proposals": before}
    )
    value = bool(value)
    if rule.residents_only_proposals != value or _created:
        rule.residents_only_proposals = value
        rule.save()
        rule.log_action(
            "change",
            user=by,
            before={"residents_only_proposals": before},
            after={"residents_only_proposals": value},
        )
    return rule


def resident_from_address(user, claims: dict) -> None:
    """SPID/CIE may give the address: its locality names the comune of residence. Only an exact,
    unambiguous match (one municipality of that name) sets the flag."""
    address = claims.get("address")
    if not isinstance(address, dict) or not isinstance(address.get("locality"), str):
        return
    matches = list(Municipality.objects.filter(name__iexact=address["locality"].strip())[:2])
    if len(matches) == 1:
        mark_resident(user, matches[0], source=VerifiedResident.Source.IDENTITY)


def resident_ids(municipality, user_ids) -> set[int]:
    """Which of these users are verified residents of the municipality: one query for a whole page."""
    return set(
        VerifiedResident.objects.filter(municipality=municipality, user_id__in=list(user_ids)).values_list(
            "user_id", flat=True
        )
    )


@dataclass(frozen=True)
class Refusal:
    """Why this session may not do a participation action: one line, and whether signing in with SPID/CIE
    (at the level the action needs) would help."""

    message: str
    sign_in: bool


def _level_message(action: str, level: str) -> str:
    number = level[1:]
    messages = {
        "comment": _("Per commentare serve l'accesso con SPID o CIE di livello %(level)s."),
        "support": _("Per sostenere serve l'accesso con SPID o CIE di livello %(level)s."),
        "proposal": _("Per fare una proposta serve l'accesso con SPID o CIE di livello %(level)s."),
        "contest": _("Per segnalare un'inesattezza serve l'accesso con SPID o CIE di livello %(level)s."),
    }
    return messages[action] % {"level": number}


def refusal(request, action: str, municipality=None) -> Refusal | None:
    """None when this signed-in session may do `action` ("comment", "support", "proposal", "contest") in
    the municipality: its sign-in is at the level LEVEL_OF_ASSURANCE asks for, and, for proposals in a
    comune that takes them from verified residents only (residents_only_proposals), the user is one."""
    if not request.user.is_authenticated:
        return Refusal(_("Accedi per partecipare."), sign_in=True)
    if not conf.allows(request, action):
        national = any(conf.enabled(method) for method in conf.METHODS)
        return Refusal(_level_message(action, conf.level_required(action)), sign_in=national)
    if (
        action == "proposal"
        and municipality is not None
        and residents_only_proposals(municipality)
        and not resident_ids(municipality, [request.user.pk])
    ):
        return Refusal(
            _("Le proposte di questo comune sono riservate ai residenti verificati."), sign_in=False
        )
    return None


def may_propose(request, municipality) -> bool:
    """The comune's rule for proposals: the level of assurance, and verified residents only if it wants."""
    return refusal(request, "proposal", municipality) is None


def forget_level(sender, request, user, **kwargs) -> None:
    """Any sign-in starts at the e-mail level: only the SPID/CIE callback, right after login(), sets the
    level its provider attested (a password sign-in never inherits an earlier session's SPID level)."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(conf.SESSION_LEVEL, None)


def forget_user(sender, user, **kwargs) -> None:
    """A deleted account keeps no fiscal code and no residence flag."""
    FiscalCode.objects.filter(user=user).delete()
    VerifiedResident.objects.filter(user=user).delete()


def personal_data(sender, user, **kwargs):
    """What "download my data" shows of SPID/CIE: the fiscal code and the residence flags."""
    code = FiscalCode.objects.filter(user=user).values_list("code", flat=True).first()
    residences = VerifiedResident.objects.filter(user=user).order_by("pk")
    return "spid", {
        "fiscal_code": code,
        "verified_resident_of": [r.municipality.slug for r in residences.select_related("municipality")],
    }
