"""Staff invited by fiscal code land in their role on their first SPID/CIE sign-in; the back-office can
require SPID/CIE; residents are flagged by staff or from the identity's address, and shown only as
"residente verificato"."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.urls import reverse

from openmandato.core.models import AuditEntry, Membership, Role
from openmandato.spid import services
from openmandato.spid.models import FiscalCode, VerifiedResident
from openmandato.tests.fixtures import make_user

pytestmark = pytest.mark.django_db
User = get_user_model()
CODE = "RSSMRA80A01H501U"


def claims(code=CODE, sub="pairwise-1", **extra):
    return {"sub": sub, "https://attributes.eid.gov.it/fiscal_number": f"TINIT-{code}", **extra}


@pytest.fixture
def comune():
    from openmandato.programs.models import Municipality

    return Municipality.objects.create(name="Valenza", slug="valenza")


@pytest.fixture
def admin(comune):
    user = make_user("sindaca")
    Membership.objects.create(user=user, municipality=comune, role=Role.ADMINISTRATOR)
    return user


def test_staff_invited_by_fiscal_code_get_their_role_at_the_first_spid_sign_in(comune, admin):
    membership = services.invite_staff_by_fiscal_code(
        comune, fiscal_code=" tinit-rssmra80a01h501u ", role=Role.EDITOR, invited_by=admin
    )
    assert FiscalCode.objects.get(code=CODE).verified_at is None
    user = services.sign_in_with_identity("spid", "https://op/", claims())
    assert user == membership.user
    assert Membership.objects.get(user=user).role == Role.EDITOR
    assert FiscalCode.objects.get(code=CODE).verified_at is not None
    entry = AuditEntry.objects.get(verb="invite")
    assert CODE not in str(entry.after)  # the audit never stores the whole fiscal code


def test_only_an_administrator_of_the_comune_invites_and_only_valid_codes(comune, admin):
    stranger = make_user("estraneo")
    with pytest.raises(PermissionDenied):
        services.invite_staff_by_fiscal_code(comune, fiscal_code=CODE, role=Role.EDITOR, invited_by=stranger)
    for bad in ["", "RSSMRA80A01H501", "<script>alert(1)</script>", "RSSMRA80A01H501U\x00", "9" * 400]:
        with pytest.raises(ValidationError):
            services.invite_staff_by_fiscal_code(comune, fiscal_code=bad, role=Role.EDITOR, invited_by=admin)
    assert not FiscalCode.objects.exists()


@pytest.mark.parametrize("raw", [None, 42, "", "TINIT-", "RSSMRA80A01H501U'; DROP", "x" * 10_000])
def test_an_identity_without_a_valid_fiscal_code_makes_no_account(raw):
    from openmandato.spid.federation import FederationError

    with pytest.raises(FederationError):
        services.sign_in_with_identity("spid", "https://op/", {"sub": "s", "fiscal_number": raw})
    assert not User.objects.exists()


def test_the_back_office_can_require_spid(client, settings, comune, admin):
    settings.LEVEL_OF_ASSURANCE = {**settings.LEVEL_OF_ASSURANCE, "staff": "L2"}
    client.force_login(admin)
    response = client.get("/backoffice/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("account_login")
    assert "accesso con SPID o CIE" in response.content.decode()
    client.force_login(admin)
    session = client.session
    session["om_loa"] = "L2"
    session.save()
    assert client.get("/backoffice/").status_code == 200


def test_by_default_the_back_office_takes_passwords(client, comune, admin):
    client.force_login(admin)
    assert client.get("/backoffice/").status_code == 200


def test_proposals_can_need_spid_l2_and_verified_residents(rf, settings, comune, admin):
    citizen = make_user("cittadino", staff=False)
    request = rf.get("/")
    request.user = citizen
    request.session = {"om_loa": "L1"}
    settings.LEVEL_OF_ASSURANCE = {**settings.LEVEL_OF_ASSURANCE, "proposal": "L2"}
    assert not services.may_propose(request, comune)
    request.session = {"om_loa": "L2"}
    assert services.may_propose(request, comune)
    settings.RESIDENTS_ONLY_PROPOSALS = True
    assert not services.may_propose(request, comune)
    services.mark_resident(citizen, comune, by=admin)
    assert services.may_propose(request, comune)
    request.session = {}  # a password session counts as "email"
    assert not services.may_propose(request, comune)


def test_residence_comes_from_the_address_only_on_an_exact_match(comune):
    services.sign_in_with_identity("spid", "https://op/", claims(address={"locality": "Valenza Po"}))
    assert not VerifiedResident.objects.exists()
    user = services.sign_in_with_identity("spid", "https://op/", claims(address={"locality": " valenza "}))
    assert VerifiedResident.objects.get(user=user, municipality=comune).source == "identity"


def test_the_badge_says_only_residente_verificato(comune, admin):
    citizen = make_user("cittadino", staff=False)
    citizen.last_name = "Rossi"
    citizen.save()
    services.mark_resident(citizen, comune, by=admin)
    residents = services.resident_ids(comune, [citizen.pk, admin.pk])
    html = Template("{% load spid %}{% resident_badge uid residents %}").render(
        Context({"uid": citizen.pk, "residents": residents})
    )
    assert "residente verificato" in html and "Rossi" not in html and "Valenza" not in html
    other = Template("{% load spid %}{% resident_badge uid residents %}").render(
        Context({"uid": admin.pk, "residents": residents})
    )
    assert "residente verificato" not in other


def test_only_staff_of_the_comune_mark_residents(comune):
    with pytest.raises(PermissionDenied):
        services.mark_resident(make_user("a"), comune, by=make_user("b"))
    assert not VerifiedResident.objects.exists()


def test_deleting_the_account_forgets_the_fiscal_code_and_the_flag(client, comune, admin):
    from openmandato.citizens.services import delete_account, export_personal_data

    user = services.sign_in_with_identity("spid", "https://op/", claims(address={"locality": "Valenza"}))
    assert export_personal_data(user)["spid"] == {"fiscal_code": CODE, "verified_resident_of": ["valenza"]}
    delete_account(user)
    assert not FiscalCode.objects.exists() and not VerifiedResident.objects.exists()
    # signing in again later is a new person to the site, not the deleted account
    again = services.sign_in_with_identity("spid", "https://op/", claims())
    assert again != user and not again.residences.exists()


def test_when_the_back_office_requires_spid_staff_tokens_need_it_too(client, settings, comune, admin):
    from django.contrib.messages import get_messages

    from openmandato.api.models import ApiToken

    settings.LEVEL_OF_ASSURANCE = {**settings.LEVEL_OF_ASSURANCE, "staff": "L2"}
    client.force_login(admin)  # a password session
    response = client.post(reverse("api_tokens:create"))
    assert "accesso con SPID o CIE" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert not ApiToken.objects.exists()
    session = client.session
    session["om_loa"] = "L2"
    session.save()
    client.post(reverse("api_tokens:create"))
    assert ApiToken.objects.filter(user=admin).count() == 1
    citizen = make_user("cittadina", staff=False)  # no role anywhere: a token as before
    client.force_login(citizen)
    client.post(reverse("api_tokens:create"))
    assert ApiToken.objects.filter(user=citizen).count() == 1
