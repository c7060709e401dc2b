"""SPID/CIE settings as the rest of the code reads them (all from environment variables, see settings.py)."""

from django.conf import settings

METHODS = ("spid", "cie")
LEVELS = {"email": 0, "L1": 1, "L2": 2, "L3": 3}
SESSION_LEVEL = "om_loa"  # the level of the session's sign-in, set by the SPID/CIE callback


def enabled(method: str) -> bool:
    return method in settings.LOGIN_METHODS and bool(providers(method))


def providers(method: str) -> dict[str, str]:
    """entity id -> name, in the configured order."""
    return dict(settings.SPID_PROVIDERS if method == "spid" else settings.CIE_PROVIDERS)


def level_required(action: str) -> str:
    return settings.LEVEL_OF_ASSURANCE.get(action, "email")


def request_level(method: str) -> str:
    """The level asked of the provider: the highest any action needs (SPID L1 at least)."""
    wanted = max(settings.LEVEL_OF_ASSURANCE.values(), key=LEVELS.__getitem__, default="L1")
    return wanted if LEVELS[wanted] >= 1 else "L1"


def session_level(request) -> str:
    if not request.user.is_authenticated:
        return ""
    return request.session.get(SESSION_LEVEL, "email")


def allows(request, action: str) -> bool:
    """True when this session's sign-in is strong enough for the action (e.g. "proposal")."""
    have = session_level(request)
    return bool(have) and LEVELS[have] >= LEVELS[level_required(action)]
