"""How a participant is named in public: never an e-mail address (nor the username a sign-up may derive
from one); "utente cancellato" once the account was deleted (the account row is kept, anonymised, so
comments keep their place).

Citizens choose a public name in their profile (the `citizen_profile` relation, when the accounts app
is installed); querysets load it with `author_paths()` so naming costs no query per comment."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

PROFILE = "citizen_profile"


def author_paths(prefix: str = "author") -> list[str]:
    """select_related() paths for a user relation and, when it exists, the user's public profile."""
    try:
        get_user_model()._meta.get_field(PROFILE)
    except FieldDoesNotExist:
        return [prefix]
    return [prefix, f"{prefix}__{PROFILE}"]


def _loaded_profile(user):
    state = getattr(user, "_state", None)
    return state.fields_cache.get(PROFILE) if state is not None else None


def display_name(user) -> str:
    if user is None:
        return _("utente cancellato")
    profile = _loaded_profile(user)
    if profile is not None and getattr(profile, "deleted_at", None) is not None:
        return _("utente cancellato")
    full = f"{user.first_name} {user.last_name}".strip()
    if not user.is_active and not full:
        return _("utente cancellato")
    if profile is not None and getattr(profile, "display_name", ""):
        return profile.display_name
    if full:
        return full
    if user.is_staff and "@" not in user.get_username():
        return user.get_username()
    return _("Cittadino")
