"""The permission matrix, generated from the URL conf: every named URL (portal, open data, back-office,
API operations) has a rule here, and each rule is checked for every role — anonymous, citizen, area
manager of the right and of another area, program editor, administrator of this and of another
municipality, superuser. A new view without a rule makes `test_every_url_has_a_rule` fail: add one
line to RULES.

Pages that show a municipality's data are checked on a *draft* mandate (non-public data): only its
staff may see them. Writes are checked with a real POST and the expected status."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver
from PIL import Image

from openmandato.accountability.services import EvidenceInput, record_progress
from openmandato.api.models import ApiToken
from openmandato.core.models import Membership, Role
from openmandato.participation import services as participation
from openmandato.tests.fixtures import PAST, make_user

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "citizen",
    "manager_a",
    "manager_b",
    "editor",
    "moderator",
    "admin",
    "other_admin",
    "superuser",
]
STAFF_HERE = {"manager_a", "manager_b", "editor", "moderator", "admin", "superuser"}


def expect(default: int, **by_role: int) -> dict[str, int]:
    return {role: by_role.get(role, default) for role in ROLES}


# Drafts: staff of the municipality (any role) and superusers see them; everybody else gets 404.
DRAFT = expect(404, **dict.fromkeys(STAFF_HERE, 200))
# Pages that never show a draft, to anybody (public lists, the API's public reads).
HIDDEN = expect(404)
LOGIN = 302  # anonymous visitors are sent to the login page


@dataclass(frozen=True)
class Rule:
    url: str  # formatted with the world's ids: {slug} {action} {section} {area} {evidence} {indicator} …
    expected: dict[str, int] | None  # None: public, shows nothing that is not public
    method: str = "GET"
    draft: bool = True
    data: dict = field(default_factory=dict)
    token: bool = False  # API write: the role's token instead of a session
    json: bool = False


PUBLIC = None
UPDATE = {"date": PAST.isoformat(), "status": "in_progress", "progress": "20", "note": "Matrice"}
MEASURE = {"date": PAST.isoformat(), "value": "30"}
INDICATOR = {
    "name": "Alberi piantati",
    "unit": "n",
    "baseline": "0",
    "baseline_date": "2020-01-01",
    "target": "100",
    "target_date": "2025-01-01",
    "direction": "up",
}

RULES: dict[str, Rule] = {
    "set_language": Rule("/i18n/setlang/", PUBLIC),
    "login": Rule("/accounts/login/", PUBLIC),
    "logout": Rule("/accounts/logout/", PUBLIC),
    "healthz": Rule("/healthz", PUBLIC),
    "portal:home": Rule("/", PUBLIC),
    "portal:search": Rule("/search/?q=alberi", PUBLIC),
    "portal:compare": Rule("/compare/?q=alberi", PUBLIC),
    "portal:set_language": Rule("/lang/en/", PUBLIC),
    "reports:catalog": Rule("/catalog.jsonld", PUBLIC),
    "portal:municipality": Rule("/{slug}/", DRAFT),
    "portal:municipality_search": Rule("/{slug}/search/?q=alberi", DRAFT),
    "portal:section": Rule("/{slug}/sections/{section}/", DRAFT),
    "portal:action_list": Rule("/{slug}/actions/", DRAFT),
    "portal:action": Rule("/{slug}/actions/{action}/", DRAFT),
    "portal:action_feed": Rule("/{slug}/actions/{action}/feed.atom", HIDDEN),  # feeds: public data only
    "portal:area": Rule("/{slug}/areas/{area}/", DRAFT),
    "portal:method": Rule("/{slug}/come-calcoliamo/", DRAFT),
    "portal:feed": Rule("/{slug}/feed.atom", HIDDEN),
    "portal:ledger": Rule("/{slug}/ledger.json", DRAFT),
    "portal:evidence": Rule("/{slug}/evidence/{evidence}/", DRAFT),
    "reports:export": Rule("/{slug}/export.csv", DRAFT),
    "reports:table": Rule("/{slug}/export-updates.csv", DRAFT),
    "reports:dictionary": Rule("/{slug}/dati-aperti/", DRAFT),
    "reports:report": Rule("/{slug}/report.pdf", DRAFT),
    # a signed-in citizen gets the (empty) list of the actions they may update
    "backoffice:my_actions": Rule("/backoffice/", expect(200, anonymous=LOGIN)),
    "backoffice:action_update": Rule(
        "/backoffice/actions/{action}/update/",
        expect(403, anonymous=LOGIN, manager_a=302, admin=302, superuser=302),
        method="POST",
        data=UPDATE,
        draft=False,
    ),
    "backoffice:measurement_add": Rule(
        "/backoffice/indicators/{indicator}/measurements/",
        expect(403, anonymous=LOGIN, manager_a=302, admin=302, superuser=302),
        method="POST",
        data=MEASURE,
        draft=False,
    ),
    "backoffice:audit_log": Rule("/backoffice/audit/", expect(200, anonymous=LOGIN, citizen=403)),
    # the form only (its choices are the user's municipalities); the upload itself is checked by role
    "backoffice:import_upload": Rule("/backoffice/import/", expect(200, anonymous=LOGIN)),
    "backoffice:import_preview": Rule("/backoffice/import/not-a-token/", expect(404, anonymous=LOGIN)),
    # staff management, areas and indicators in the back-office (administrators; editors for the program)
    "backoffice:staff": Rule(
        "/backoffice/staff/", expect(403, anonymous=LOGIN, admin=200, other_admin=200, superuser=200)
    ),
    "backoffice:areas": Rule(
        "/backoffice/areas/",
        expect(403, anonymous=LOGIN, editor=200, admin=200, other_admin=200, superuser=200),
    ),
    "backoffice:area_actions": Rule(
        "/backoffice/areas/{area}/", expect(403, anonymous=LOGIN, editor=200, admin=200, superuser=200)
    ),
    "backoffice:area_assign": Rule(
        "/backoffice/areas/{area}/assign/",
        expect(403, anonymous=LOGIN, editor=302, admin=302, superuser=302),
        method="POST",
        data={"actions": ["{action}"]},
        draft=False,
    ),
    "backoffice:indicator_add": Rule(
        "/backoffice/actions/{action}/indicators/",
        expect(403, anonymous=LOGIN, manager_a=302, admin=302, superuser=302),
        method="POST",
        data=INDICATOR,
        draft=False,
    ),
    # an import's draft mandate: its comune's staff see it; only administrators publish it
    "backoffice:import_mandate": Rule(
        "/backoffice/import/mandates/{mandate}/",
        expect(403, anonymous=LOGIN, editor=200, admin=200, superuser=200),
    ),
    "backoffice:import_publish": Rule(
        "/backoffice/import/mandates/{mandate}/publish/",
        expect(403, anonymous=LOGIN, admin=302, superuser=302),
        method="POST",
    ),
    "backoffice:import_edit": Rule(
        "/backoffice/import/not-a-token/edit/", expect(404, anonymous=LOGIN), method="POST"
    ),
    # password reset and invitations: public forms; a bad link says so
    "password_reset": Rule("/accounts/password-reset/", PUBLIC),
    "password_reset_done": Rule("/accounts/password-reset/sent/", PUBLIC),
    "password_reset_confirm": Rule("/accounts/reset/MQ/bad-token/", PUBLIC),
    "password_reset_complete": Rule("/accounts/reset/done/", PUBLIC),
    "invitation_accept": Rule("/accounts/invitation/MQ/bad-token/", PUBLIC),
    # the comune's own pages and widgets
    "portal:privacy": Rule("/{slug}/privacy/", DRAFT),
    "portal:legal_notes": Rule("/{slug}/note-legali/", DRAFT),
    "portal:municipality_logo": Rule("/{slug}/stemma/", DRAFT),
    "portal:municipality_embed": Rule("/{slug}/embed/", HIDDEN),  # embedded elsewhere: public data only
    "portal:action_embed": Rule("/{slug}/actions/{action}/embed/", HIDDEN),
    "portal:oembed": Rule("/oembed/?url=http://testserver/{slug}/", HIDDEN),
    # the transparency log: public reads of published mandates only
    "checkpoint_key": Rule("/checkpoint-key.txt", PUBLIC),
    "checkpoint": Rule("/{slug}/checkpoint.txt", HIDDEN),
    "checkpoints_json": Rule("/{slug}/checkpoints.json", HIDDEN),
    "checkpoints_feed": Rule("/{slug}/checkpoints.atom", HIDDEN),
    "api:get_key": Rule("/api/v1/tlog/key", PUBLIC),
    "api:get_checkpoint_note": Rule("/api/v1/tlog/{slug}/checkpoint", HIDDEN),
    "api:get_checkpoint": Rule("/api/v1/tlog/{slug}/checkpoint.json", HIDDEN),
    "api:list_checkpoints": Rule("/api/v1/tlog/{slug}/checkpoints", HIDDEN),
    "api:tlog_checkpoint": Rule("/api/v1/tlog/{slug}/checkpoints/1", HIDDEN),
    "api:list_entries": Rule("/api/v1/tlog/{slug}/entries", HIDDEN),
    "api:inclusion": Rule("/api/v1/tlog/{slug}/proof/inclusion?index=0", HIDDEN),
    "api:consistency": Rule("/api/v1/tlog/{slug}/proof/consistency?first=1&second=1", HIDDEN),
    # only witnesses listed in TLOG_WITNESSES may cosign, whoever is signed in
    "api:post_cosignature": Rule(
        "/api/v1/tlog/{slug}/checkpoints/1/cosignatures",
        expect(403),
        method="POST",
        data={"cosignature": "— witness.example AAAA"},
        json=True,
        draft=False,
    ),
    "api:openapi-json": Rule("/api/v1/openapi.json", PUBLIC),
    "api:openapi-view": Rule("/api/v1/docs", PUBLIC),
    "api:api-root": Rule("/api/v1/", expect(404)),
    "api:list_municipalities": Rule("/api/v1/municipalities", PUBLIC),
    "api:get_municipality": Rule("/api/v1/municipalities/{slug}", HIDDEN),
    "api:list_mandates": Rule("/api/v1/mandates", PUBLIC),
    "api:get_mandate": Rule("/api/v1/mandates/{mandate}", HIDDEN),
    "api:list_sections": Rule("/api/v1/mandates/{mandate}/sections", HIDDEN),
    "api:list_actions": Rule("/api/v1/actions", PUBLIC),
    "api:search": Rule("/api/v1/search?q=alberi", PUBLIC),
    "api:get_action": Rule("/api/v1/actions/{action}", HIDDEN),
    "api:list_action_updates": Rule("/api/v1/actions/{action}/updates", HIDDEN),
    "api:list_updates": Rule("/api/v1/updates", PUBLIC),
    "api:list_indicators": Rule("/api/v1/actions/{action}/indicators", HIDDEN),
    "api:get_ledger": Rule("/api/v1/mandates/{mandate}/ledger", HIDDEN),
    "api:post_update": Rule(
        "/api/v1/actions/{action}/updates",
        expect(403, anonymous=401, citizen=404, other_admin=404, manager_a=201, admin=201, superuser=201),
        method="POST",
        data={"date": PAST.isoformat(), "status": "in_progress", "progress": 20},
        token=True,
        json=True,
    ),
    "api:post_measurement": Rule(
        "/api/v1/indicators/{indicator}/measurements",
        expect(403, anonymous=401, citizen=404, other_admin=404, manager_a=201, admin=201, superuser=201),
        method="POST",
        data={"date": PAST.isoformat(), "value": 30},
        token=True,
        json=True,
    ),
    # citizens' accounts (django-allauth under /area-personale/), profile, follows and notifications
    "account_signup": Rule("/area-personale/signup/", PUBLIC),
    "account_login": Rule("/area-personale/login/", PUBLIC),
    "account_logout": Rule("/area-personale/logout/", PUBLIC),
    "account_inactive": Rule("/area-personale/inactive/", PUBLIC),
    "account_email_verification_sent": Rule("/area-personale/confirm-email/", PUBLIC),
    "account_confirm_email": Rule("/area-personale/confirm-email/bad-key/", PUBLIC),
    "account_confirm_login_code": Rule("/area-personale/login/code/confirm/", PUBLIC),
    "account_reset_password": Rule("/area-personale/password/reset/", PUBLIC),
    "account_reset_password_done": Rule("/area-personale/password/reset/done/", PUBLIC),
    "account_reset_password_from_key": Rule("/area-personale/password/reset/key/1-bad/", PUBLIC),
    "account_reset_password_from_key_done": Rule("/area-personale/password/reset/key/done/", PUBLIC),
    "account_change_password": Rule("/area-personale/password/change/", expect(200, anonymous=LOGIN)),
    "account_set_password": Rule("/area-personale/password/set/", expect(302)),
    "account_email": Rule("/area-personale/email/", expect(200, anonymous=LOGIN)),
    "account_reauthenticate": Rule("/area-personale/reauthenticate/", expect(200, anonymous=LOGIN)),
    "citizens:profile": Rule("/area-personale/", expect(200, anonymous=LOGIN), draft=False),
    "citizens:privacy": Rule("/area-personale/privacy/", PUBLIC),
    "citizens:export": Rule("/area-personale/i-miei-dati.json", expect(200, anonymous=LOGIN), draft=False),
    "citizens:delete": Rule("/area-personale/cancella-account/", expect(200, anonymous=LOGIN), draft=False),
    # nobody follows a draft, not even its staff
    "citizens:follow": Rule(
        "/area-personale/follow/action/{action}/",
        expect(404, anonymous=LOGIN),
        method="POST",
        data={"follow": "1"},
    ),
    "api_tokens:create": Rule("/area-personale/token/", expect(302), method="POST", draft=False),
    "api_tokens:revoke": Rule("/area-personale/token/999/revoca/", expect(302), method="POST", draft=False),
    "notifications:inbox": Rule("/area-personale/notifiche/", expect(200, anonymous=LOGIN), draft=False),
    "notifications:open": Rule(
        "/area-personale/notifiche/999999/", expect(404, anonymous=LOGIN), draft=False
    ),
    "notifications:mark_all_read": Rule(
        "/area-personale/notifiche/lette/", expect(302), method="POST", draft=False
    ),
    "notifications:unsubscribe": Rule("/area-personale/notifiche/disiscrivi/forged/", HIDDEN, method="POST"),
    # SPID/CIE are off until configured (LOGIN_METHODS): nothing there for anybody.
    "spid:entity_configuration": Rule("/.well-known/openid-federation", HIDDEN, draft=False),
    "spid:begin": Rule("/accedi/oidc/spid/?provider=https://idp.example/", HIDDEN, draft=False),
    "spid:callback": Rule("/accedi/oidc/callback/?code=x&state=y", HIDDEN, draft=False),
    "spid:sign_in": Rule("/accedi/spid-cie/?next=/", HIDDEN, draft=False),  # 404 until SPID/CIE is on
    "api:list_follows": Rule("/api/v1/follows", expect(200, anonymous=401), token=True, draft=False),
    "api:follow": Rule(
        "/api/v1/follows/action/{action}", expect(404, anonymous=401), method="PUT", token=True
    ),
    "api:unfollow": Rule(
        "/api/v1/follows/action/{action}", expect(404, anonymous=401), method="DELETE", token=True
    ),
    # participation: public pages of published comuni; writes need a signed-in citizen (else the login
    # page); moderation by moderators and administrators of the comune; answers by the responsible staff
    "participation:proposals": Rule("/{slug}/proposte/", DRAFT),
    "participation:proposal": Rule("/{slug}/proposte/{proposal}/", DRAFT),
    "participation:proposal_new": Rule("/{slug}/proposte/nuova/", DRAFT),
    "participation:contest": Rule("/{slug}/aggiornamenti/{update}/segnala/", DRAFT),
    "participation:contest_document": Rule("/{slug}/segnalazioni/{contest}/documento/", DRAFT),
    "participation:comment_edit": Rule(
        "/{slug}/commenti/{comment}/modifica/", expect(403, anonymous=LOGIN, citizen=200), draft=False
    ),
    "participation:comment_report": Rule(
        "/{slug}/commenti/{comment}/segnala/", expect(200, anonymous=LOGIN), draft=False
    ),
    "participation:comment_post": Rule(
        "/{slug}/actions/{action}/commenti/",
        expect(302),
        method="POST",
        data={"body": "Matrice"},
        draft=False,
    ),
    "participation:support": Rule(
        "/{slug}/actions/{action}/sostegno/", expect(302), method="POST", draft=False
    ),
    "participation:proposal_support": Rule(
        "/{slug}/proposte/{proposal}/sostegno/", expect(302, citizen=400), method="POST", draft=False
    ),
    "participation:moderation": Rule(
        "/backoffice/partecipazione/moderazione/",
        expect(403, anonymous=LOGIN, moderator=200, admin=200, other_admin=200, superuser=200),
    ),
    **{
        f"participation:comment_{verb}": Rule(
            f"/backoffice/partecipazione/commenti/{{comment}}/{path}/",
            expect(403, anonymous=LOGIN, moderator=302, admin=302, superuser=302),
            method="POST",
            data={"reason": "Matrice"},
            draft=False,
        )
        for verb, path in [("hide", "nascondi"), ("restore", "ripristina"), ("dismiss", "archivia")]
    },
    "participation:contests": Rule(
        "/backoffice/partecipazione/segnalazioni/", expect(200, anonymous=LOGIN, citizen=403)
    ),
    "participation:contest_answer": Rule(
        "/backoffice/partecipazione/segnalazioni/{contest}/risposta/",
        expect(403, anonymous=LOGIN, manager_b=302, admin=302, superuser=302),
        method="POST",
        data={"answer": "Matrice"},
        draft=False,
    ),
    "participation:bo_proposals": Rule(
        "/backoffice/partecipazione/proposte/",
        expect(403, anonymous=LOGIN, editor=200, admin=200, other_admin=200, superuser=200),
    ),
    "participation:proposal_answer": Rule(
        "/backoffice/partecipazione/proposte/{proposal}/risposta/",
        expect(403, anonymous=LOGIN, editor=302, admin=302, superuser=302),
        method="POST",
        data={"status": "evaluating"},
        draft=False,
    ),
    # verified residents and the comune's rule on proposals: the comune's administrators only
    "participation:residents_home": Rule(
        "/backoffice/partecipazione/residenti/",
        expect(403, anonymous=LOGIN, admin=302, other_admin=302, superuser=302),
    ),
    "participation:residents": Rule(
        "/backoffice/partecipazione/residenti/{slug}/",
        expect(403, anonymous=LOGIN, admin=200, superuser=200),
    ),
    "participation:resident_rule": Rule(
        "/backoffice/partecipazione/residenti/{slug}/regola/",
        expect(403, anonymous=LOGIN, admin=302, superuser=302),
        method="POST",
        data={"residents_only_proposals": "on"},
    ),
    "participation:resident_change": Rule(
        "/backoffice/partecipazione/residenti/{slug}/{participant}/",
        expect(403, anonymous=LOGIN, admin=302, superuser=302),
        method="POST",
        data={"mark": "1", "reason": "Matrice"},
    ),
    "api:list_action_comments": Rule("/api/v1/actions/{action}/comments", HIDDEN),
    "api:get_action_supports": Rule("/api/v1/actions/{action}/supports", HIDDEN),
    "api:list_proposals": Rule("/api/v1/proposals", PUBLIC),
    "api:get_proposal": Rule("/api/v1/proposals/{proposal}", HIDDEN),
    "api:list_contests": Rule("/api/v1/contests", PUBLIC),
}
# The Django admin: one rule for all its URLs, checked on every registered model below.
ADMIN_NAMESPACE = "admin"


def url_names(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if namespace and pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}"
            yield from url_names(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_has_a_rule():
    names = {name for name in url_names() if not name.startswith(ADMIN_NAMESPACE + ":")}
    missing = sorted(names - set(RULES))
    assert missing == [], f"add a rule to RULES for: {missing}"
    assert sorted(set(RULES) - names) == [], "rules for URLs that no longer exist"


@pytest.fixture
def ids(world, indicator):
    world.users["superuser"] = make_user("root", superuser=True)
    update = record_progress(
        world.action_b,
        user=world.users["admin"],
        status="in_progress",
        progress=10,
        date=PAST,
        evidence=[
            EvidenceInput(
                kind="document", title="Delibera", upload=SimpleUploadedFile("d.pdf", b"%PDF-1.4\nprova\n")
            )
        ],
    )
    world.users["moderator"] = make_user("moderatrice")
    Membership.objects.create(
        user=world.users["moderator"], municipality=world.municipality, role=Role.MODERATOR
    )
    citizen = world.users["citizen"]
    comment = participation.post_comment(world.action_a, user=citizen, body="Commento")
    participation.report_comment(comment, user=world.users["manager_b"], reason="Matrice")
    proposal = participation.submit_proposal(
        world.municipality, user=citizen, kind="new_action", title="Proposta", body="Testo"
    )
    contest = participation.contest_update(
        update,
        user=citizen,
        claim="status",
        reason="Contesto",
        document=SimpleUploadedFile("c.pdf", b"%PDF-1.4\ncontesto\n"),
    )
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(image, "PNG")
    world.municipality.logo.save("stemma.png", ContentFile(image.getvalue()))
    return {
        "slug": world.municipality.slug,
        "mandate": world.mandate.pk,
        "action": world.action_a.pk,
        "section": world.action_a.section_id,
        "area": world.area_a.pk,
        "evidence": update.evidence.get().pk,
        "indicator": indicator.pk,
        "update": update.pk,
        "comment": comment.pk,
        "proposal": proposal.pk,
        "contest": contest.pk,
        "participant": citizen.pk,
    }


def call(world, ids, rule: Rule, role: str) -> int:
    client = Client(raise_request_exception=False)
    headers = {}
    if rule.token:
        if role != "anonymous":
            headers["HTTP_AUTHORIZATION"] = "Bearer " + ApiToken.issue(world.users[role], "matrix")[1]
    elif role != "anonymous":
        client.force_login(world.users[role])
    url = rule.url.format(**ids)
    data = {
        key: [str(v).format(**ids) for v in value] if isinstance(value, list) else value
        for key, value in rule.data.items()
    }
    if rule.method == "GET":
        return client.get(url, **headers).status_code
    if rule.method in ("PUT", "DELETE"):
        return getattr(client, rule.method.lower())(url, **headers).status_code
    if rule.json:
        return client.post(url, data, content_type="application/json", **headers).status_code
    return client.post(url, data, **headers).status_code


@pytest.mark.parametrize("name", sorted(name for name, rule in RULES.items() if rule.expected is not None))
def test_the_rule_holds_for_every_role(world, ids, settings, name):
    settings.API_RATE_ANON = settings.API_RATE_TOKEN = "100000/m"
    settings.REPORT_RATE = "100000/m"
    rule = RULES[name]
    if rule.draft:
        world.mandate.is_published = False
        world.mandate.save()
    actual = {}
    for role in ROLES:  # each role starts from the same state: its writes are rolled back
        with transaction.atomic():
            actual[role] = call(world, ids, rule, role)
            transaction.set_rollback(True)
    assert actual == rule.expected


@pytest.mark.parametrize("name", sorted(name for name, rule in RULES.items() if rule.expected is None))
def test_public_urls_answer_everyone(world, ids, name):
    assert call(world, ids, RULES[name], "anonymous") < 500


def test_the_admin_is_closed_to_visitors_who_are_not_staff(world, ids):
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for role in ("anonymous", "citizen"):
            client = Client()
            if role != "anonymous":
                client.force_login(world.users[role])
            response = client.get(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], (url, role)
