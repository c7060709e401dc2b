"""Staff management from the back-office: inviting a colleague by e-mail with a role in a municipality.

The invitation link is Django's password-reset token for the invitee: signed with the secret key, it
expires (PASSWORD_RESET_TIMEOUT) and is used up as soon as a password is set."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from openmandato.core.models import Membership, Role
from openmandato.core.permissions import can_administer, require
from openmandato.programs.models import Area, Municipality


def invitation_path(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("invitation_accept", args=[uid, default_token_generator.make_token(user)])


def _new_username(email: str) -> str:
    User = get_user_model()
    base = email[:140]
    username, suffix = base, 1
    while User.objects.filter(username__iexact=username).exists():
        suffix += 1
        username = f"{base}-{suffix}"
    return username


def invite_staff(
    municipality: Municipality,
    *,
    email: str,
    role: str,
    areas: list[Area] | tuple = (),
    invited_by,
    base_url: str,
) -> Membership:
    """Give `email` a role in `municipality`, creating the account if needed, and e-mail them.
    The mail is sent inside the transaction: if it cannot be sent nothing is created."""
    require(can_administer(invited_by, municipality.pk))
    email = email.strip().lower()
    validate_email(email)
    if role not in Role.values:
        raise ValidationError(_("Ruolo non valido."), code="role")
    areas = list(areas)
    if any(area.municipality_id != municipality.pk for area in areas):
        raise ValidationError(_("Le aree devono essere di questo comune."), code="areas")
    if role == Role.AREA_MANAGER and not areas:
        raise ValidationError(_("Un responsabile di area ha bisogno di almeno un'area."), code="areas")
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).order_by("pk").first()
        if user is None:
            user = User(username=_new_username(email), email=email)
            user.set_unusable_password()
            user.save()
        membership, _created = Membership.objects.get_or_create(
            user=user, municipality=municipality, role=role
        )
        if role == Role.AREA_MANAGER:
            membership.areas.add(*areas)
        membership.log_action(
            "invite",
            user=invited_by,
            after={"email": email, "role": role, "areas": sorted(area.name for area in areas)},
        )
        context = {
            "municipality": municipality,
            "role": Role(role).label,
            "areas": areas,
            "invited_by": invited_by.get_full_name() or invited_by.get_username(),
            "username": user.get_username(),
            "link": base_url
            + (invitation_path(user) if not user.has_usable_password() else reverse("login")),
            "has_password": user.has_usable_password(),
        }
        send_mail(
            _("OpenMandato: sei stato invitato nel Comune di %(name)s") % {"name": municipality.name},
            render_to_string("backoffice/email/invitation.txt", context),
            None,
            [email],
        )
    return membership
