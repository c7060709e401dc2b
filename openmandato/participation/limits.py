"""Abuse limits: per signed-in user and per client address, counted in the shared cache (Redis or the
database) so every worker process sees the same count. Rates come from PARTICIPATION_RATE_USER and
PARTICIPATION_RATE_IP ("comment=10/h,support=60/h,…"; units s, m, h, d)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from openmandato.security.throttle import hit

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
KINDS = ("comment", "support", "proposal", "contest", "report")


class TooMany(ValidationError):
    """Refused by an abuse limit; `wait` is the number of seconds until the window ends."""

    def __init__(self, wait: int):
        super().__init__(
            _("Hai fatto troppe operazioni di questo tipo: riprova tra %(minutes)d minuti.")
            % {"minutes": max(1, -(-wait // 60))},
            code="too_many",
        )
        self.wait = wait


def parse_rates(text: str) -> dict[str, tuple[int, int]]:
    rates = {}
    for item in text.split(","):
        kind, _sep, rate = item.strip().partition("=")
        count, _slash, unit = rate.partition("/")
        if kind and count.isdigit() and unit[:1] in PERIODS:
            rates[kind.strip()] = (int(count), PERIODS[unit[:1]])
    return rates


def check(kind: str, user, ip: str | None) -> None:
    """Count one `kind` event for the user and the address; raise TooMany over either limit."""
    per_user = parse_rates(settings.PARTICIPATION_RATE_USER).get(kind)
    per_ip = parse_rates(settings.PARTICIPATION_RATE_IP).get(kind)
    if per_user and getattr(user, "pk", None):
        allowed, wait = hit(f"part-{kind}-user", str(user.pk), *per_user)
        if not allowed:
            raise TooMany(wait)
    if per_ip and ip:
        allowed, wait = hit(f"part-{kind}-ip", ip, *per_ip)
        if not allowed:
            raise TooMany(wait)
