"""A user may hold several verified identities (SPID, CIE…); one identity belongs to one user."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from openmandato.citizens.models import Identity
from openmandato.tests.citizens import make_citizen

pytestmark = pytest.mark.django_db


def test_one_user_holds_several_identities_and_each_names_one_person():
    gina, ugo = make_citizen("gina"), make_citizen("ugo")
    now = timezone.now()
    Identity.objects.create(user=gina, provider="spid", subject="TINIT-GNIXXX", verified_at=now)
    Identity.objects.create(user=gina, provider="cie", subject="TINIT-GNIXXX", verified_at=now)
    assert gina.identities.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Identity.objects.create(user=ugo, provider="spid", subject="TINIT-GNIXXX", verified_at=now)
