import datetime

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from openmandato.accountability.models import ProgressUpdate
from openmandato.accountability.services import record_progress
from openmandato.programs.status import Status
from openmandato.programs.tests.factory import make_actions, make_mandate, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def action():
    return make_actions(make_section(make_mandate()), 1)[0]


def test_the_action_shows_its_latest_update(action):
    record_progress(action, status=Status.IN_PROGRESS, progress=30, date=datetime.date(2021, 3, 1))
    record_progress(action, status=Status.DONE, progress=100, date=datetime.date(2022, 5, 1))
    action.refresh_from_db()
    assert (action.status, action.progress) == (Status.DONE, 100)


def test_a_late_entry_for_an_earlier_date_does_not_override_the_latest(action):
    record_progress(action, status=Status.STALLED, progress=40, date=datetime.date(2023, 1, 1))
    record_progress(action, status=Status.IN_PROGRESS, progress=20, date=datetime.date(2021, 1, 1))
    action.refresh_from_db()
    assert (action.status, action.progress) == (Status.STALLED, 40)
    assert action.updates.count() == 2


def test_updates_cannot_be_changed_or_deleted_in_the_admin(action, admin_user):
    update = record_progress(action, status=Status.IN_PROGRESS, progress=10, date=datetime.date(2021, 1, 1))
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    model_admin = site._registry[ProgressUpdate]
    assert not model_admin.has_change_permission(request, update)
    assert not model_admin.has_delete_permission(request, update)
    assert not model_admin.has_add_permission(request)
