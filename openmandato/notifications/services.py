"""Turning what happened into notifications, and notifications into e-mails.

Fan-out is one INSERT per 2,000 followers (bulk, ignoring rows that already exist), so re-running it
never duplicates; each e-mail is claimed in its own committed UPDATE before it is sent (see models.py).
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import uuid

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Case, CharField, F, Q, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from openmandato.citizens.models import EmailFrequency, Follow, Profile
from openmandato.notifications.models import EmailState, Event, EventKind, Notification
from openmandato.programs.status import Status

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "openmandato.notifications.unsubscribe"
BATCH = 2000
SEND_BATCH = 100
STUCK_AFTER = datetime.timedelta(hours=1)

STATE_FOR_FREQUENCY = {
    EmailFrequency.IMMEDIATE: EmailState.PENDING,
    EmailFrequency.DAILY: EmailState.DIGEST,
    EmailFrequency.WEEKLY: EmailState.DIGEST,
    EmailFrequency.NEVER: EmailState.NONE,
    None: EmailState.PENDING,  # no profile yet (staff): e-mails as they happen
}


# --- who is told --------------------------------------------------------------------------------------


def action_followers(action):
    """Follows that cover an action: the action (or the action it belongs to), its section or any section
    above it, one of its areas, or its comune."""
    section_ids = {
        action.section_id,
        *(int(part) for part in action.section_path.split("/") if part.isdigit()),
    }
    condition = Q(action_id=action.pk) | Q(section_id__in=section_ids)
    condition |= Q(municipality_id=action.mandate.municipality_id)
    if action.parent_id:
        condition |= Q(action_id=action.parent_id)
    area_ids = list(action.areas.values_list("pk", flat=True))
    if area_ids:
        condition |= Q(area_id__in=area_ids)
    return Follow.objects.filter(condition, user__is_active=True)


def with_frequency(user_ids) -> list[tuple[int, str | None]]:
    users = get_user_model().objects.filter(pk__in=list(user_ids), is_active=True)
    return list(users.values_list("pk", "citizen_profile__email_frequency"))


def staff_of_action(action) -> list[int]:
    """Who answers for an action: the managers of its areas, or the comune's administrators when no
    area manager covers it."""
    from openmandato.core.models import Membership, Role

    members = Membership.objects.filter(municipality_id=action.mandate.municipality_id, user__is_active=True)
    managers = set(
        members.filter(role=Role.AREA_MANAGER, areas__in=action.areas.all()).values_list("user_id", flat=True)
    )
    if managers:
        return sorted(managers)
    return sorted(set(members.filter(role=Role.ADMINISTRATOR).values_list("user_id", flat=True)))


def notify(event: Event, recipients, *, exclude=()) -> int:
    """Create the notifications of an event for (user id, e-mail frequency) pairs; existing pairs are
    left alone. Returns how many rows were offered."""
    excluded = {pk for pk in exclude if pk}
    rows = [
        Notification(
            user_id=user_id, event=event, email_state=STATE_FOR_FREQUENCY.get(frequency, EmailState.PENDING)
        )
        for user_id, frequency in recipients
        if user_id not in excluded
    ]
    for start in range(0, len(rows), BATCH):
        Notification.objects.bulk_create(rows[start : start + BATCH], ignore_conflicts=True)
    return len(rows)


def notify_followers(event: Event, follows, *, exclude=()) -> int:
    """Create the notifications of an event for everyone a Follow queryset names, in one
    INSERT … SELECT … ON CONFLICT DO NOTHING (the (user, event) constraint drops who already has it):
    the database does the work, whatever the number of followers. Returns the rows inserted."""
    frequency = "user__citizen_profile__email_frequency"
    state = Case(
        When(
            **{f"{frequency}__in": [EmailFrequency.DAILY, EmailFrequency.WEEKLY]},
            then=Value(EmailState.DIGEST),
        ),
        When(**{frequency: EmailFrequency.NEVER}, then=Value(EmailState.NONE)),
        default=Value(EmailState.PENDING),
        output_field=CharField(),
    )
    select = (
        follows.exclude(user_id__in=[pk for pk in exclude if pk])
        .annotate(state=state)
        .order_by()
        .values_list("user_id", "state")
        .distinct()
    )
    inner, params = select.query.sql_with_params()
    table = connection.ops.quote_name(Notification._meta.db_table)
    sql = (
        f"INSERT INTO {table} (user_id, email_state, event_id, created_at, email_attempts, email_claim, "  # noqa: S608 - the ORM's own SQL, values as parameters
        f"email_error) SELECT chosen.user_id, chosen.state, %s, %s, 0, '', '' FROM ({inner}) chosen "
        f"WHERE true ON CONFLICT (user_id, event_id) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (event.pk, timezone.now(), *params))
        return cursor.rowcount


def record_event(key: str, **fields) -> Event:
    event, _created = Event.objects.get_or_create(key=key, defaults=fields)
    return event


# --- what happened ----------------------------------------------------------------------------------


def event_for_update(update, previous_status: str | None) -> Event | None:
    action = update.action
    mandate = action.mandate
    if update.is_demo or update.from_indicators or not mandate.is_published:
        return None
    if update.corrects_id:
        kind = EventKind.CORRECTION
    elif previous_status is not None and previous_status != update.status:
        kind = EventKind.STATUS
    elif update.evidence.exists():
        kind = EventKind.EVIDENCE
    else:
        kind = EventKind.UPDATE
    return record_event(
        f"update:{update.pk}",
        kind=kind,
        municipality_id=mandate.municipality_id,
        action=action,
        url=reverse("portal:action", args=[mandate.municipality.slug, action.pk]) + f"#update-{update.pk}",
        data={
            "action": action.heading,
            "status": update.status,
            "previous_status": previous_status,
            "progress": update.progress,
            "date": update.date.isoformat(),
            "note": update.note[:300],
            "sources": update.evidence.count(),
        },
    )


def event_for_measurement(measurement) -> Event | None:
    indicator = measurement.indicator
    action = indicator.action
    mandate = action.mandate
    if measurement.is_demo or not mandate.is_published:
        return None
    return record_event(
        f"measurement:{measurement.pk}",
        kind=EventKind.MEASUREMENT,
        municipality_id=mandate.municipality_id,
        action=action,
        url=reverse("portal:action", args=[mandate.municipality.slug, action.pk]),
        data={
            "action": action.heading,
            "indicator": indicator.name,
            "value": f"{measurement.value.normalize():f}",
            "unit": indicator.unit,
            "date": measurement.date.isoformat(),
        },
    )


def fan_out_update(update_id: int, previous_status: str | None) -> int:
    from openmandato.accountability.models import ProgressUpdate

    update = (
        ProgressUpdate.objects.select_related("action__mandate__municipality").filter(pk=update_id).first()
    )
    event = event_for_update(update, previous_status) if update else None
    if event is None:
        return 0
    return notify_followers(event, action_followers(update.action), exclude=[update.author_id])


def fan_out_measurement(measurement_id: int) -> int:
    from openmandato.accountability.models import Measurement

    measurement = (
        Measurement.objects.select_related("indicator__action__mandate__municipality")
        .filter(pk=measurement_id)
        .first()
    )
    event = event_for_measurement(measurement) if measurement else None
    if event is None:
        return 0
    return notify_followers(
        event, action_followers(measurement.indicator.action), exclude=[measurement.author_id]
    )


# Participation objects are only known by convention (openmandato/participation/signals.py): an object
# with `action` (or `update.action`), `author` (or `user`), and for proposals `municipality`, `title` and
# `supporters`/`supports`.


def _author_id(obj):
    for name in ("author_id", "user_id", "proposer_id"):
        value = getattr(obj, name, None)
        if value:
            return value
    return None


def _action_of(obj):
    action = getattr(obj, "action", None)
    if action is None and getattr(obj, "update", None) is not None:
        action = obj.update.action
    return action


def _url_of(obj, action) -> str:
    if hasattr(obj, "get_absolute_url"):
        try:
            return obj.get_absolute_url()
        except Exception:  # noqa: BLE001 - a model of another app; fall back to the action page
            logger.exception("get_absolute_url failed for %r", obj)
    if action is not None:
        return reverse("portal:action", args=[action.mandate.municipality.slug, action.pk])
    return "/"


def _supporter_ids(obj) -> set[int]:
    ids: set[int] = set()
    supporters = getattr(obj, "supporters", None)
    if supporters is not None and hasattr(supporters, "values_list"):
        ids.update(supporters.values_list("pk", flat=True))
    supports = getattr(obj, "supports", None)
    if supports is not None and hasattr(supports, "values_list"):
        ids.update(supports.values_list("user_id", flat=True))
    return ids


PARTICIPATION_KINDS = {
    "comment_posted": EventKind.COMMENT,
    "official_answer_posted": EventKind.OFFICIAL_ANSWER,
    "proposal_answered": EventKind.PROPOSAL_ANSWERED,
    "contest_posted": EventKind.CONTEST,
    "contest_answered": EventKind.CONTEST_ANSWERED,
}


def fan_out_participation(signal_name: str, obj) -> int:
    kind = PARTICIPATION_KINDS[signal_name]
    if kind == EventKind.COMMENT and getattr(obj, "is_official", False):
        return 0  # staff's own official answer: told to followers as such (official_answer_posted)
    action = _action_of(obj)
    municipality = getattr(obj, "municipality", None) or (action.mandate.municipality if action else None)
    event = record_event(
        f"{signal_name}:{obj._meta.label_lower}:{obj.pk}",
        kind=kind,
        municipality=municipality,
        action=action,
        url=_url_of(obj, action),
        data={
            "action": action.heading if action else "",
            "title": str(getattr(obj, "title", "") or "")[:200],
        },
    )
    author_id = _author_id(obj)
    recipients: set[int] = set()
    if kind in (EventKind.COMMENT, EventKind.CONTEST) and action is not None:
        recipients.update(staff_of_action(action))  # staff: new comments and contests on their actions
    elif kind == EventKind.OFFICIAL_ANSWER and action is not None:
        recipients.update(action_followers(action).values_list("user_id", flat=True))
        parent = getattr(obj, "parent", None)
        if parent is not None:
            recipients.add(_author_id(parent))
    elif kind == EventKind.PROPOSAL_ANSWERED:
        recipients.add(author_id)
        recipients.update(_supporter_ids(obj))
        author_id = None  # the answer is staff's; the proposer is the one to tell
    elif kind == EventKind.CONTEST_ANSWERED:
        recipients.add(author_id)
        if action is not None:
            recipients.update(action_followers(action).values_list("user_id", flat=True))
        author_id = None
    recipients.discard(None)
    return notify(event, with_frequency(recipients), exclude=[author_id])


def remind_stale_actions(today: datetime.date | None = None) -> int:
    """One reminder per staff member per ISO week, listing their actions not updated for STALE_AFTER_DAYS."""
    from django.db.models import Max

    from openmandato.accountability.permissions import updatable_actions
    from openmandato.core.models import Role
    from openmandato.programs.status import FINISHED

    today = today or timezone.localdate()
    stale_before = today - datetime.timedelta(days=settings.STALE_AFTER_DAYS)
    year, week, _day = today.isocalendar()
    open_statuses = [status for status in Status if status not in FINISHED]
    staff = (
        get_user_model()
        .objects.filter(is_active=True, memberships__role__in=[Role.ADMINISTRATOR, Role.AREA_MANAGER])
        .distinct()
    )
    count = 0
    for user in staff:
        stale = (
            updatable_actions(user)
            .filter(
                mandate__is_current=True,
                archived_at__isnull=True,
                children__isnull=True,
                status__in=open_statuses,
            )
            .annotate(last_update=Max("updates__date"))
            .filter(Q(last_update__lt=stale_before) | Q(last_update__isnull=True))
            .select_related("mandate__municipality")
            .order_by("mandate__municipality__name", "tree_order", "pk")
        )
        actions = [
            {
                "title": action.heading,
                "municipality": action.mandate.municipality.name,
                "url": reverse("backoffice:action_update", args=[action.pk]),
            }
            for action in stale[:100]
        ]
        if not actions:
            continue
        event = record_event(
            f"stale:{user.pk}:{year}-W{week:02d}",
            kind=EventKind.STALE,
            url=reverse("backoffice:my_actions") + "?show=stale",
            data={"count": stale.count(), "actions": actions, "days": settings.STALE_AFTER_DAYS},
        )
        notify(event, [(user.pk, EmailFrequency.IMMEDIATE)])  # by e-mail whatever their digest choice
        count += 1
    return count


# --- how it reads -----------------------------------------------------------------------------------


def _status(code) -> str:
    try:
        return str(Status(code).label)
    except ValueError:
        return str(code or "")


def headline(event: Event) -> str:
    """One line in the reader's language (call inside translation.override)."""
    data = event.data
    action = data.get("action", "")
    kind = event.kind
    if kind == EventKind.STATUS:
        return _("«%(action)s»: lo stato è passato da %(old)s a %(new)s (%(progress)s%%)") % {
            "action": action,
            "old": _status(data.get("previous_status")),
            "new": _status(data.get("status")),
            "progress": data.get("progress"),
        }
    if kind == EventKind.CORRECTION:
        return _("«%(action)s»: un aggiornamento è stato corretto (ora %(status)s, %(progress)s%%)") % {
            "action": action,
            "status": _status(data.get("status")),
            "progress": data.get("progress"),
        }
    if kind == EventKind.EVIDENCE:
        return _("«%(action)s»: nuovo aggiornamento con una fonte (%(status)s, %(progress)s%%)") % {
            "action": action,
            "status": _status(data.get("status")),
            "progress": data.get("progress"),
        }
    if kind == EventKind.UPDATE:
        return _("«%(action)s»: nuovo aggiornamento (%(status)s, %(progress)s%%)") % {
            "action": action,
            "status": _status(data.get("status")),
            "progress": data.get("progress"),
        }
    if kind == EventKind.MEASUREMENT:
        return _("«%(action)s»: nuova misurazione di «%(indicator)s»: %(value)s %(unit)s") % {
            "action": action,
            "indicator": data.get("indicator", ""),
            "value": data.get("value", ""),
            "unit": data.get("unit", ""),
        }
    if kind == EventKind.OFFICIAL_ANSWER:
        return _("«%(action)s»: il Comune ha risposto ufficialmente") % {"action": action}
    if kind == EventKind.PROPOSAL_ANSWERED:
        return _("La proposta «%(title)s» ha ricevuto una risposta") % {"title": data.get("title", "")}
    if kind == EventKind.CONTEST_ANSWERED:
        return _("«%(action)s»: la segnalazione di inesattezza ha ricevuto una risposta") % {"action": action}
    if kind == EventKind.COMMENT:
        return _("«%(action)s»: nuovo commento da leggere") % {"action": action}
    if kind == EventKind.CONTEST:
        return _("«%(action)s»: nuova segnalazione di inesattezza da rispondere") % {"action": action}
    if kind == EventKind.STALE:
        return _("%(count)s azioni non aggiornate da %(days)s giorni") % {
            "count": data.get("count", 0),
            "days": data.get("days", settings.STALE_AFTER_DAYS),
        }
    return str(EventKind(kind).label)


def absolute(path: str) -> str:
    return settings.SITE_URL + path if path.startswith("/") else path


# --- e-mail -----------------------------------------------------------------------------------------


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps(user_id, salt=UNSUBSCRIBE_SALT)


def user_id_from_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def unsubscribe(user_id: int) -> bool:
    """Stop every notification e-mail to this user (the inbox keeps working)."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return False
    with transaction.atomic():
        Profile.objects.update_or_create(user=user, defaults={"email_frequency": EmailFrequency.NEVER})
        Notification.objects.filter(
            user=user, email_state__in=[EmailState.PENDING, EmailState.DIGEST]
        ).update(email_state=EmailState.NONE)
    return True


def _message(user, address: str, subject: str, body: str) -> EmailMessage:
    link = absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user.pk)]))
    headers = {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address], headers=headers)


def _language(user) -> str:
    profile = getattr(user, "citizen_profile", None) if _has_profile(user) else None
    return profile.language if profile else settings.LANGUAGE_CODE


def _has_profile(user) -> bool:
    try:
        user.citizen_profile  # noqa: B018 - a reverse one-to-one raises when missing
    except Profile.DoesNotExist:
        return False
    return True


def compose(notification: Notification, address: str) -> EmailMessage:
    user = notification.user
    with translation.override(_language(user)):
        line = headline(notification.event)
        subject = f"[OpenMandato] {line}"[:200]
        body = render_to_string(
            "notifications/email/notification.txt",
            {
                "headline": line,
                "event": notification.event,
                "link": absolute(notification.event.url),
                "settings_link": absolute(reverse("citizens:profile")),
                "unsubscribe_link": absolute(
                    reverse("notifications:unsubscribe", args=[unsubscribe_token(user.pk)])
                ),
            },
        )
    return _message(user, address, subject, body)


def compose_digest(user, notifications: list[Notification], address: str) -> EmailMessage:
    with translation.override(_language(user)):
        items = [(headline(n.event), absolute(n.event.url)) for n in notifications]
        subject = _("[OpenMandato] %(count)s novità da ciò che segui") % {"count": len(items)}
        body = render_to_string(
            "notifications/email/digest.txt",
            {
                "items": items,
                "settings_link": absolute(reverse("citizens:profile")),
                "unsubscribe_link": absolute(
                    reverse("notifications:unsubscribe", args=[unsubscribe_token(user.pk)])
                ),
            },
        )
    return _message(user, address, subject, body)


def addresses(user_ids) -> dict[int, str]:
    """Each user's verified e-mail address (primary first); staff without one get their account's."""
    found: dict[int, str] = {}
    rows = (
        EmailAddress.objects.filter(user_id__in=list(user_ids), verified=True, user__is_active=True)
        .order_by("user_id", "-primary", "pk")
        .values_list("user_id", "email")
    )
    for user_id, email in rows:
        found.setdefault(user_id, email)
    missing = set(user_ids) - set(found)
    if missing:
        staff = (
            get_user_model().objects.filter(pk__in=missing, is_staff=True, is_active=True).exclude(email="")
        )
        found.update(staff.values_list("pk", "email"))
    return found


class DeliveryFailed(Exception):
    """The SMTP server refused or could not be reached (the task is retried with backoff)."""


def _failed(queryset, attempts: int, error: Exception) -> None:
    """Put a claimed notification back for the retry, or mark it failed after the last attempt."""
    message = f"{type(error).__name__}: {error}"[:300]
    state = EmailState.FAILED if attempts >= settings.TASK_MAX_ATTEMPTS else EmailState.PENDING
    queryset.update(email_state=state, email_error=message, email_claim="")


def _mark_sent(claims: dict[int, str]) -> None:
    """Record as sent the e-mails the SMTP server accepted (one UPDATE for the lot). Until then they stay
    "sending", which is never sent again: batching this write cannot cause a second e-mail."""
    if claims:
        Notification.objects.filter(pk__in=list(claims), email_claim__in=list(claims.values())).update(
            email_state=EmailState.SENT, email_sent_at=timezone.now(), email_claim=""
        )
        claims.clear()


def send_pending() -> int:
    """Send every pending notification e-mail, each at most once, on one SMTP connection. Returns how
    many were sent; raises DeliveryFailed when the SMTP server fails (the task's retry sends the rest)."""
    sent = 0
    accepted: dict[int, str] = {}  # notification id → claim, sent but not yet recorded
    connection = get_connection()
    try:
        while True:
            ids = list(
                Notification.objects.filter(email_state=EmailState.PENDING)
                .order_by("pk")
                .values_list("pk", flat=True)[:SEND_BATCH]
            )
            if not ids:
                return sent
            batch = Notification.objects.filter(pk__in=ids).select_related("event", "user__citizen_profile")
            found = addresses({n.user_id for n in batch})
            for notification in batch:
                # The claim is committed on its own before the e-mail leaves: whoever wins it sends it.
                claim = uuid.uuid4().hex
                claimed = Notification.objects.filter(
                    pk=notification.pk, email_state=EmailState.PENDING
                ).update(
                    email_state=EmailState.SENDING,
                    email_claim=claim,
                    email_claimed_at=timezone.now(),
                    email_attempts=F("email_attempts") + 1,
                )
                if not claimed:
                    continue  # another worker took it, or the user unsubscribed meanwhile
                mine = Notification.objects.filter(pk=notification.pk, email_claim=claim)
                address = found.get(notification.user_id)
                if address is None:
                    mine.update(email_state=EmailState.SKIPPED, email_claim="")
                    continue
                try:
                    connection.open()  # once: later calls reuse the open connection
                    connection.send_messages([compose(notification, address)])
                except (smtplib.SMTPException, OSError) as error:
                    _failed(mine, notification.email_attempts + 1, error)
                    raise DeliveryFailed(str(error)) from error
                accepted[notification.pk] = claim
                sent += 1
            _mark_sent(accepted)
    finally:
        _mark_sent(accepted)
        connection.close()


def send_digests(frequency: str) -> int:
    """One e-mail per user gathering their waiting notifications (daily or weekly, as they chose)."""
    frequencies = [frequency]
    if frequency == EmailFrequency.DAILY:
        frequencies.append(EmailFrequency.IMMEDIATE)  # left waiting when the user switched to immediate
    waiting = Notification.objects.filter(email_state=EmailState.DIGEST)
    Notification.objects.filter(
        email_state=EmailState.DIGEST, user__citizen_profile__email_frequency=EmailFrequency.NEVER
    ).update(email_state=EmailState.NONE)
    user_ids = list(
        waiting.filter(user__citizen_profile__email_frequency__in=frequencies)
        .values_list("user_id", flat=True)
        .distinct()
    )
    found = addresses(user_ids)
    sent = 0
    connection = get_connection()
    try:
        for user_id in user_ids:
            claim = uuid.uuid4().hex
            Notification.objects.filter(user_id=user_id, email_state=EmailState.DIGEST).update(
                email_state=EmailState.SENDING,
                email_claim=claim,
                email_claimed_at=timezone.now(),
                email_attempts=F("email_attempts") + 1,
            )
            mine = Notification.objects.filter(user_id=user_id, email_claim=claim)
            claimed = list(
                mine.select_related("event", "user__citizen_profile").order_by("created_at", "pk")[:200]
            )
            if not claimed:
                continue
            if user_id not in found:
                mine.update(email_state=EmailState.SKIPPED, email_claim="")
                continue
            try:
                connection.send_messages([compose_digest(claimed[0].user, claimed, found[user_id])])
            except (smtplib.SMTPException, OSError) as error:
                mine.update(email_state=EmailState.DIGEST, email_claim="", email_error=str(error)[:300])
                raise DeliveryFailed(str(error)) from error
            mine.update(email_state=EmailState.SENT, email_sent_at=timezone.now(), email_claim="")
            sent += 1
    finally:
        connection.close()
    return sent


def sweep_stuck() -> int:
    """Claims older than an hour belong to a worker that died between claim and answer: whether the
    e-mail left is unknown, so it is not sent again; it is marked failed for staff to see."""
    cutoff = timezone.now() - STUCK_AFTER
    return Notification.objects.filter(email_state=EmailState.SENDING, email_claimed_at__lt=cutoff).update(
        email_state=EmailState.FAILED, email_error="worker stopped while sending", email_claim=""
    )


def schedule_send() -> None:
    from openmandato.notifications.tasks import send_notification_emails

    send_notification_emails.enqueue()


# --- the inbox ----------------------------------------------------------------------------------------


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user, ids=None) -> int:
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())


def personal_data(sender, user, **kwargs):
    rows = Notification.objects.filter(user=user).select_related("event").order_by("created_at", "pk")
    return "notifications", [
        {
            "event": n.event.kind,
            "text": headline(n.event),
            "url": n.event.url,
            "created_at": n.created_at.isoformat(),
            "read_at": n.read_at.isoformat() if n.read_at else None,
            "email": n.email_state,
        }
        for n in rows
    ]


def forget_user(sender, user, **kwargs):
    Notification.objects.filter(user=user).delete()
    Event.objects.filter(key__startswith=f"stale:{user.pk}:").delete()
