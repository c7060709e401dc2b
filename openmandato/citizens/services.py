"""Profiles, following, and the citizen's rights over their data (export, deletion)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openmandato.citizens.models import TARGET_FIELDS, TARGET_MODELS, Follow, Identity, Profile
from openmandato.citizens.signals import personal_data_requested, user_deleted
from openmandato.programs.models import Municipality


def create_profile_on_signup(sender, request, user, **kwargs):
    language = getattr(request, "LANGUAGE_CODE", "it") if request is not None else "it"
    Profile.objects.get_or_create(user=user, defaults={"language": language})


def profile_for(user) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


def touch_profile(user) -> None:
    """Mark that what the user sees changed (follow buttons): pages' ETags include this time."""
    updated = Profile.objects.filter(user=user).update(changed_at=timezone.now())
    if not updated:
        Profile.objects.get_or_create(user=user)


def public_targets(kind: str):
    """What may be followed: only what the public can see (published mandates)."""
    if kind not in TARGET_MODELS:
        raise ValidationError(_("Non si può seguire questo elemento."), code="kind")
    manager = TARGET_MODELS[kind].objects
    if kind == "municipality":
        return Municipality.objects.public()
    if kind == "area":
        return manager.filter(municipality__in=Municipality.objects.public())
    return manager.filter(mandate__is_published=True)


def find_target(kind: str, pk) -> object:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise ValidationError(_("Elemento non trovato."), code="missing") from None
    target = public_targets(kind).filter(pk=pk).first() if 0 < pk < 2**63 else None
    if target is None:
        raise ValidationError(_("Elemento non trovato."), code="missing")
    return target


def follow(user, kind: str, target) -> Follow:
    field = TARGET_FIELDS[kind]
    try:
        with transaction.atomic():
            found, _created = Follow.objects.get_or_create(user=user, **{field: target})
    except IntegrityError:  # a double click racing past get_or_create
        found = Follow.objects.get(user=user, **{field: target})
    touch_profile(user)
    return found


def unfollow(user, kind: str, target) -> bool:
    deleted, _rows = Follow.objects.filter(user=user, **{TARGET_FIELDS[kind]: target}).delete()
    touch_profile(user)
    return bool(deleted)


def is_following(user, kind: str, target) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(user=user, **{TARGET_FIELDS[kind]: target}).exists()


def target_label(follow: Follow) -> str:
    target = follow.target
    return str(getattr(target, "heading", None) or target)


def target_url(follow: Follow) -> str:
    from django.urls import reverse

    target = follow.target
    if follow.kind == "municipality":
        return reverse("portal:municipality", args=[target.slug])
    if follow.kind == "area":
        return reverse("portal:area", args=[target.municipality.slug, target.pk])
    slug = target.mandate.municipality.slug
    return reverse(f"portal:{follow.kind}", args=[slug, target.pk])


def export_personal_data(user) -> dict:
    """Everything we hold about the user, as JSON-safe data (GDPR art. 15 and 20)."""
    profile = profile_for(user)
    data = {
        "account": {
            "username": user.get_username(),
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "identities": [
            {"provider": i.provider, "subject": i.subject, "verified_at": i.verified_at.isoformat()}
            for i in Identity.objects.filter(user=user).order_by("pk")
        ],
        "profile": {
            "display_name": profile.display_name,
            "email_frequency": profile.email_frequency,
            "language": profile.language,
        },
        "follows": [
            {
                "kind": item.kind,
                "id": item.target_id,
                "title": target_label(item),
                "url": target_url(item),
                "since": item.created_at.isoformat(),
            }
            for item in Follow.objects.filter(user=user).select_related(
                "municipality",
                "section__mandate__municipality",
                "area__municipality",
                "action__mandate__municipality",
            )
        ],
    }
    for _receiver, part in personal_data_requested.send(sender=Profile, user=user):
        if part:
            key, value = part
            data[key] = value
    return data


def delete_account(user) -> None:
    """Erase the person, keep their contributions as "utente cancellato": the User row stays (so that
    comments and other rows pointing at it keep their place) but holds nothing personal and can never
    sign in again."""
    if user.is_staff or user.is_superuser:
        raise ValidationError(
            _("Gli account dello staff si chiudono dall'amministratore del comune."), code="staff"
        )
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        EmailAddress.objects.filter(user=user).delete()
        Identity.objects.filter(user=user).delete()
        Follow.objects.filter(user=user).delete()
        user.api_tokens.all().delete()
        user_deleted.send(sender=Profile, user=user)
        user.username = f"deleted-{user.pk}"
        user.email = user.first_name = user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        Profile.objects.update_or_create(
            user=user, defaults={"display_name": "", "deleted_at": timezone.now(), "email_frequency": "never"}
        )
