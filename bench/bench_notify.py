"""Time to fan out one progress update to 10,000 followers, and to e-mail them.

Run with `make bench-notify` (a throw-away test database on DATABASE_URL's server, SQLite by default; the
figure that matters is PostgreSQL's: DATABASE_URL=postgres://… make bench-notify). Followers follow the
action, its section, its area or its comune (a quarter each). Sending goes to a local SMTP server
(aiosmtpd) that accepts everything. Prints medians; no test asserts on time."""

import datetime
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout, not an installed copy
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openmandato.settings")
os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"  # measure the work, not a queue
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

FOLLOWERS = int(os.environ.get("BENCH_FOLLOWERS", "10000"))
SENT = int(os.environ.get("BENCH_EMAILS", "2000"))
RUNS = 5
UNUSABLE = "!"  # Django's marker of an unusable password


def main() -> None:
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def make_followers(world) -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from openmandato.citizens.models import Follow, Profile

    User = get_user_model()  # noqa: N806
    users = User.objects.bulk_create(
        [User(username=f"f{i}", email=f"f{i}@example.org", password=UNUSABLE) for i in range(FOLLOWERS)],
        batch_size=2000,
    )
    if users[0].pk is None:  # backends without RETURNING
        users = list(User.objects.filter(username__startswith="f").order_by("pk"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users], batch_size=2000
    )
    Profile.objects.bulk_create([Profile(user=u) for u in users], batch_size=2000)
    targets = [
        {"action": world.action_a},
        {"section": world.action_a.section},
        {"area": world.area_a},
        {"municipality": world.municipality},
    ]
    Follow.objects.bulk_create(
        [Follow(user=u, **targets[i % 4]) for i, u in enumerate(users)], batch_size=2000
    )


def run() -> None:
    from aiosmtpd.controller import Controller

    from openmandato.accountability.services import record_progress
    from openmandato.notifications import services
    from openmandato.notifications.models import EmailState, Notification
    from openmandato.tests.fixtures import build_world, free_port

    world = build_world()
    start = time.perf_counter()
    make_followers(world)
    setup = time.perf_counter() - start

    fan_out = []
    for run_number in range(RUNS):
        update = record_progress(
            world.action_a,
            user=world.users["manager_a"],
            status="in_progress",
            progress=10 + run_number,
            date=datetime.date(2024, 6, 1),
        )
        start = time.perf_counter()
        offered = services.fan_out_update(update.pk, None)
        fan_out.append(time.perf_counter() - start)
        assert offered == FOLLOWERS, offered
    start = time.perf_counter()
    services.fan_out_update(update.pk, None)  # again: every row already there
    rerun = time.perf_counter() - start
    assert Notification.objects.count() == RUNS * FOLLOWERS

    class Sink:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    # Only the last update's e-mails, and only SENT of them: the rest wait.
    last = Notification.objects.filter(event__key=f"update:{update.pk}").order_by("pk")
    Notification.objects.exclude(pk__in=last.values("pk")[:SENT]).update(email_state=EmailState.NONE)
    start = time.perf_counter()
    sent = services.send_pending()
    sending = time.perf_counter() - start
    controller.stop()
    assert sent == SENT, sent

    vendor = connection.vendor
    print(
        f"database: {vendor}; python {platform.python_version()}; {platform.machine()}; {os.cpu_count()} cpus"
    )
    print(f"setup: {FOLLOWERS} followers with verified addresses in {setup:.1f} s")
    print(
        f"fan-out of one update to {FOLLOWERS} followers (event + notification rows), median of {RUNS}: "
        f"{statistics.median(fan_out) * 1000:.0f} ms "
        f"(min {min(fan_out) * 1000:.0f}, max {max(fan_out) * 1000:.0f})"
    )
    print(f"fan-out run again (every row exists, nothing inserted): {rerun * 1000:.0f} ms")
    print(
        f"sending {SENT} e-mails (claim, compose, SMTP to a local sink, mark sent): {sending:.1f} s "
        f"= {SENT / sending:.0f} e-mails/s"
    )


if __name__ == "__main__":
    main()
