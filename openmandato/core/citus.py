"""How each table is placed on a Citus cluster sharded by comune (docs/deploy.md, "Sharding with Citus").

DISTRIBUTED  one comune's rows: each carries a non-null `municipality` foreign key (the distribution column
             `municipality_id`, all colocated with each other), and every unique constraint includes it.
REFERENCE    small tables read by every comune's pages and referenced by distributed rows: copied whole to
             every worker.
LOCAL        tables that stay on the coordinator: per-user or instance-wide state, read across comuni.

The core imports no app, so the tables are named by model label. A test (ops/tests/test_citus_ready.py)
checks that every model of the project is named here and that the distributed ones are shaped for it.
"""

from __future__ import annotations

DISTRIBUTED = "distributed"
REFERENCE = "reference"
LOCAL = "local"

PLACEMENT: dict[str, str] = {
    # programs
    "programs.municipality": REFERENCE,  # the tenant itself: 8,000 rows, referenced by every tenant row
    "programs.mandate": DISTRIBUTED,
    "programs.principle": DISTRIBUTED,
    "programs.area": DISTRIBUTED,
    "programs.section": DISTRIBUTED,
    "programs.action": DISTRIBUTED,
    "programs.sectionarea": DISTRIBUTED,  # Section.areas, a TenantLink
    "programs.actionarea": DISTRIBUTED,  # Action.areas
    # core
    "core.membership": DISTRIBUTED,
    "core.membershiparea": DISTRIBUTED,  # Membership.areas
    "core.auditentry": LOCAL,  # also records writes that belong to no comune (users, the instance)
    # importer
    "importer.programimport": DISTRIBUTED,
    # accountability
    "accountability.progressupdate": DISTRIBUTED,
    "accountability.evidence": DISTRIBUTED,
    "accountability.indicator": DISTRIBUTED,
    "accountability.measurement": DISTRIBUTED,
    "accountability.ledgerentry": DISTRIBUTED,
    "accountability.checkpoint": DISTRIBUTED,
    "accountability.checkpointtimestamp": DISTRIBUTED,
    "accountability.cosignature": DISTRIBUTED,
    # portal
    "portal.municipalitysummary": DISTRIBUTED,
    "portal.changemarker": LOCAL,  # one counter per comune and one for the site, keyed by text
    # search
    "search.searchword": REFERENCE,  # the national vocabulary, read by every search
    "search.searchterm": REFERENCE,
    "search.mandatevocabulary": LOCAL,  # bookkeeping of the national vocabulary; keeps deleted mandates
    "search.actionneighbour": DISTRIBUTED,  # by the action's comune; its neighbour is another comune's
    # participation
    "participation.comment": DISTRIBUTED,
    "participation.commentreport": DISTRIBUTED,
    "participation.support": DISTRIBUTED,
    "participation.proposal": DISTRIBUTED,
    "participation.proposalsupport": DISTRIBUTED,
    "participation.contest": DISTRIBUTED,
    # citizens: one person's account and follows, across comuni
    "citizens.profile": REFERENCE,
    "citizens.identity": REFERENCE,
    "citizens.follow": LOCAL,  # a user's follows of several comuni; a comune follow has no section/action
    # notifications: one person's inbox across comuni (reminders name no comune)
    "notifications.event": LOCAL,
    "notifications.notification": LOCAL,
    # spid
    "spid.fiscalcode": REFERENCE,
    "spid.verifiedresident": DISTRIBUTED,
    "spid.residentrule": DISTRIBUTED,
    # api
    "api.apitoken": REFERENCE,
}

# Whole third-party apps, by app label.
APP_PLACEMENT: dict[str, str] = {
    "auth": REFERENCE,  # users are authors and staff of every comune's rows
    "contenttypes": REFERENCE,
    "account": REFERENCE,  # allauth's e-mail addresses
    "admin": LOCAL,
    "sessions": LOCAL,
    "django_tasks_database": LOCAL,
}

# Foreign keys from coordinator-local tables to distributed ones: Citus cannot keep them, so they are
# dropped when the tables are distributed (the application deletes these rows with their targets).
DROPPED_FOREIGN_KEYS: frozenset[str] = frozenset(
    {
        "notifications.event.action",
        "citizens.follow.section",
        "citizens.follow.area",
        "citizens.follow.action",
    }
)


def placement(model) -> str | None:
    """Where a model's table goes (Django's automatic many-to-many tables are named like
    "app.owner_field"), or None when nobody has decided it yet."""
    label = model._meta.label_lower
    return PLACEMENT.get(label) or APP_PLACEMENT.get(model._meta.app_label)
