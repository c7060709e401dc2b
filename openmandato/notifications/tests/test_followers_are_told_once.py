"""A progress update reaches, by e-mail through a real SMTP server and in the inbox, everyone who follows
the action, its section, one of its areas or its comune — once each, however often the work is re-run."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail  # noqa: F401 - the SMTP backend is real: see the smtp_server fixture

from openmandato.accountability.services import EvidenceInput, add_measurement, record_progress
from openmandato.citizens.models import Follow
from openmandato.notifications import services, tasks
from openmandato.notifications.models import EmailState, Event, Notification
from openmandato.tests.citizens import make_citizen

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def followers(world):
    people = {
        "of_action": make_citizen("azione"),
        "of_section": make_citizen("sezione"),
        "of_area": make_citizen("area"),
        "of_comune": make_citizen("comune"),
        "of_other_action": make_citizen("altra"),
    }
    Follow.objects.create(user=people["of_action"], action=world.action_a)
    Follow.objects.create(user=people["of_section"], section=world.action_a.section)
    Follow.objects.create(user=people["of_area"], area=world.area_a)
    Follow.objects.create(user=people["of_comune"], municipality=world.municipality)
    Follow.objects.create(user=people["of_other_action"], action=world.action_b)
    # Following through several paths is still one notification.
    Follow.objects.create(user=people["of_action"], municipality=world.municipality)
    return people


def post_update(world, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return record_progress(
            world.action_a,
            user=world.users["manager_a"],
            **{
                "status": "in_progress",
                "progress": 30,
                "date": TODAY,
                "note": "Piantati i primi 30 alberi.",
                **fields,
            },
        )


def recipients(mailbox) -> list[str]:
    return sorted(message["To"] for message in mailbox.messages)


def test_every_follower_gets_one_email_and_one_inbox_entry(
    world, followers, smtp_server, django_capture_on_commit_callbacks
):
    update = post_update(world, django_capture_on_commit_callbacks)
    assert recipients(smtp_server) == [
        "area@example.org",
        "azione@example.org",
        "comune@example.org",
        "sezione@example.org",
    ]
    message = smtp_server.messages[0]
    assert "«Piantare alberi»" in message["Subject"]
    body = smtp_server.body(0)
    assert (
        f"http://127.0.0.1:8000/{world.municipality.slug}/actions/{world.action_a.pk}/#update-{update.pk}"
        in body
    )
    assert "Piantati i primi 30 alberi." in body
    link = str(message["List-Unsubscribe"]).strip().strip("<>")
    assert link.startswith("http://127.0.0.1:8000/area-personale/notifiche/disiscrivi/")
    assert link in body
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.filter(email_state=EmailState.SENT).count() == 4
    assert not Notification.objects.filter(user=followers["of_other_action"]).exists()
    assert not Notification.objects.filter(user=world.users["manager_a"]).exists()  # the author

    # Re-running the fan-out and the sending changes nothing.
    tasks.fan_out_update.enqueue(update.pk, None)
    tasks.send_notification_emails.enqueue()
    assert len(smtp_server.messages) == 4
    assert Notification.objects.count() == 4
    assert Event.objects.count() == 1


def test_the_email_tells_what_changed(world, followers, smtp_server, django_capture_on_commit_callbacks):
    from openmandato.programs.status import Status

    post_update(world, django_capture_on_commit_callbacks)
    stalled = post_update(world, django_capture_on_commit_callbacks, status="stalled", progress=30)
    expected = f"lo stato è passato da {Status.IN_PROGRESS.label} a {Status.STALLED.label}"
    assert expected in smtp_server.messages[-1]["Subject"]
    post_update(
        world, django_capture_on_commit_callbacks, corrects=stalled, status="in_progress", progress=35
    )
    assert "è stato corretto" in smtp_server.messages[-1]["Subject"]
    post_update(
        world,
        django_capture_on_commit_callbacks,
        progress=60,
        evidence=[EvidenceInput(kind="act", act_kind="delibera_giunta", act_number="12", act_date=TODAY)],
    )
    assert "nuovo aggiornamento con una fonte" in smtp_server.messages[-1]["Subject"]
    kinds = list(Event.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["update", "status", "correction", "evidence"]
    assert len(smtp_server.messages) == 4 * 4


def test_an_indicator_measurement_is_told(
    world, followers, smtp_server, indicator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_measurement(indicator, user=world.users["manager_a"], date=TODAY, value=Decimal("40"))
    assert "nuova misurazione di «Alberi»: 40 n" in smtp_server.messages[0]["Subject"]
    assert len(smtp_server.messages) == 4


def test_english_readers_get_english(world, smtp_server, django_capture_on_commit_callbacks):
    reader = make_citizen("reader", language="en")
    Follow.objects.create(user=reader, action=world.action_a)
    post_update(world, django_capture_on_commit_callbacks)
    assert "new update" in smtp_server.messages[0]["Subject"]
    assert "Stop these e-mails" in smtp_server.body(0)


def test_digest_readers_get_one_email_a_day(world, smtp_server, django_capture_on_commit_callbacks):
    daily = make_citizen("giornaliero", frequency="daily")
    weekly = make_citizen("settimanale", frequency="weekly")
    silent = make_citizen("silenzioso", frequency="never")
    for user in (daily, weekly, silent):
        Follow.objects.create(user=user, action=world.action_a)
    post_update(world, django_capture_on_commit_callbacks)
    post_update(world, django_capture_on_commit_callbacks, progress=40)
    assert smtp_server.messages == []
    assert Notification.objects.filter(user=silent).count() == 2  # the inbox still has them

    tasks.send_digests.enqueue("daily")
    assert recipients(smtp_server) == ["giornaliero@example.org"]
    body = smtp_server.body(0)
    assert body.count("«Piantare alberi»") == 2
    assert "List-Unsubscribe" in smtp_server.messages[0]
    tasks.send_digests.enqueue("daily")  # nothing new: no second digest
    assert len(smtp_server.messages) == 1
    tasks.send_digests.enqueue("weekly")
    assert recipients(smtp_server) == ["giornaliero@example.org", "settimanale@example.org"]


def test_drafts_demo_data_and_unverified_addresses_send_nothing(
    world, smtp_server, django_capture_on_commit_callbacks
):
    unverified = make_citizen("nonverificato", verified=False)
    Follow.objects.create(user=unverified, action=world.action_a)
    post_update(world, django_capture_on_commit_callbacks)
    assert smtp_server.messages == []
    assert Notification.objects.get(user=unverified).email_state == EmailState.SKIPPED

    Notification.objects.all().delete()
    world.mandate.is_published = False
    world.mandate.save()
    post_update(world, django_capture_on_commit_callbacks, progress=50)
    post_update(world, django_capture_on_commit_callbacks, progress=60, is_demo=True)
    assert not Notification.objects.exists()


def test_an_unreachable_smtp_server_leaves_the_email_pending_for_the_retry(
    world, followers, settings, django_capture_on_commit_callbacks
):
    from openmandato.tests.fixtures import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens there
    post_update(world, django_capture_on_commit_callbacks)
    states = set(Notification.objects.values_list("email_state", flat=True))
    assert states == {EmailState.PENDING}
    assert Notification.objects.filter(email_attempts=1).count() == 1  # tried one, kept all for later
    assert "ConnectionRefusedError" in Notification.objects.get(email_attempts=1).email_error
    settings.TASK_MAX_ATTEMPTS = 1
    with pytest.raises(services.DeliveryFailed):
        services.send_pending()
    assert Notification.objects.filter(email_state=EmailState.FAILED).count() == 1
