import pytest

from openmandato.accountability.services import EvidenceInput, record_progress
from openmandato.core.models import Membership, Role
from openmandato.tests.fixtures import PAST, make_user


@pytest.fixture
def citizens(world):
    """Two citizens and a moderator of the world's comune."""
    moderator = make_user("moderatrice")
    Membership.objects.create(user=moderator, municipality=world.municipality, role=Role.MODERATOR)
    world.users["moderator"] = moderator
    world.users["citizen2"] = make_user("citizen2", staff=False)
    for username, name in [("citizen", "Carla"), ("citizen2", "Gianni")]:
        world.users[username].first_name = name
        world.users[username].save()
    return world


@pytest.fixture
def update(world):
    """A claim to contest: action A declared partially done, with an act as its source."""
    return record_progress(
        world.action_a,
        user=world.users["admin"],
        status="partially_done",
        progress=60,
        date=PAST,
        note="Piantati 60 alberi",
        evidence=[EvidenceInput(kind="act", act_kind="determina", act_number="12", act_date=PAST)],
    )


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def fresh_limits(process_local_cache):
    """Each test starts with no events counted against the abuse limits."""
    from django.core.cache import cache

    cache.clear()
