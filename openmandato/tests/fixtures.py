"""Test data every app's tests share: users of every role, a world with two comuni, a mailbox."""

import datetime
import email
import email.policy
import re
import socket
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from openmandato.core.models import Membership, Role
from openmandato.programs.models import Action, Area, Mandate, Municipality
from openmandato.tests.factory import make_mandate, make_municipality, make_section

__all__ = [
    "PAST",
    "bearer",
    "post_update",
    "Mailbox",
    "World",
    "build_world",
    "free_port",
    "make_mandate",
    "make_municipality",
    "make_section",
    "make_user",
]

PAST = datetime.date(2023, 5, 10)


@dataclass
class World:
    municipality: Municipality
    mandate: Mandate
    area_a: Area
    area_b: Area
    action_a: Action
    action_b: Action
    other_municipality: Municipality
    users: dict


def make_user(username, *, staff=True, superuser=False):
    user = get_user_model().objects.create_user(username, password="pw-" + username)
    user.is_staff = staff
    user.is_superuser = superuser
    user.save()
    if staff:
        user.user_permissions.set(
            Permission.objects.filter(content_type__app_label__in=["core", "programs", "accountability"])
        )
    return user


def build_world() -> World:
    """Two comuni; the first with two areas, two actions and staff of every role, the second with its
    own administrator."""
    municipality = make_municipality("Borgo")
    mandate = make_mandate(municipality)
    section = make_section(mandate, "Ambiente")
    area_a = Area.objects.create(municipality=municipality, name="Area ambiente")
    area_b = Area.objects.create(municipality=municipality, name="Area cultura")
    action_a = Action.objects.create(section=section, title="Piantare alberi", code="1", position=0)
    action_a.areas.add(area_a)
    action_b = Action.objects.create(section=section, title="Aprire il teatro", code="2", position=1)
    action_b.areas.add(area_b)
    other = make_municipality("Altrove")
    make_mandate(other)
    users = {
        "citizen": make_user("citizen", staff=False),
        "manager_a": make_user("manager_a"),
        "manager_b": make_user("manager_b"),
        "other_admin": make_user("other_admin"),
        "editor": make_user("editor"),
        "admin": make_user("admin"),
    }
    Membership.objects.create(
        user=users["manager_a"], municipality=municipality, role=Role.AREA_MANAGER
    ).areas.add(area_a)
    Membership.objects.create(
        user=users["manager_b"], municipality=municipality, role=Role.AREA_MANAGER
    ).areas.add(area_b)
    Membership.objects.create(user=users["other_admin"], municipality=other, role=Role.ADMINISTRATOR)
    Membership.objects.create(user=users["editor"], municipality=municipality, role=Role.EDITOR)
    Membership.objects.create(user=users["admin"], municipality=municipality, role=Role.ADMINISTRATOR)
    return World(municipality, mandate, area_a, area_b, action_a, action_b, other, users)


class Mailbox:
    """Messages received by a real SMTP server (aiosmtpd) listening on a free local port."""

    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def body(self, index: int = -1) -> str:
        return self.messages[index].get_body(preferencelist=("plain",)).get_content()

    def link(self, index: int = -1) -> str:
        return re.search(r"https?://\S+", self.body(index)).group(0)


def bearer(world, who):
    """Authorization headers with a new API token of one of the world's users."""
    from openmandato.api.models import ApiToken

    _token, secret = ApiToken.issue(world.users[who], "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post_update(world, headers, **body):
    """POST a progress update on the world's first action through the API."""
    from django.test import Client

    payload = {"date": PAST.isoformat(), "status": "in_progress", "progress": 40, "note": "Via API"} | body
    return Client().post(
        f"/api/v1/actions/{world.action_a.pk}/updates", payload, content_type="application/json", **headers
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
