"""`openmandato serve`: the production stack on one machine — gunicorn (with whitenoise for the static
files) and the task worker beside it, in one process group. Ctrl+C (or SIGTERM) stops both.

WEB_CONCURRENCY  gunicorn workers (default: 2 × CPUs + 1, at most 8)
GUNICORN_THREADS threads per worker (default 1)
GUNICORN_TIMEOUT seconds before a stuck worker is restarted (default 60)
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from openmandato.env import env_int


def static_fingerprint() -> str:
    """A digest of every static file the finders see (path, size, mtime): cheap, changes on upgrade."""
    import hashlib

    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static_if_changed(stdout) -> None:
    """Compressed copies under STATIC_ROOT (whitenoise serves them with gzip/brotli), collected again only
    when the static files changed: compressing them all takes a while on a small machine."""
    stamp = settings.STATIC_ROOT / ".openmandato-collected"
    fingerprint = static_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint:
        return
    stdout.write("Collecting and compressing the static files (only when they change)…")
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint)


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, 8)


class Command(BaseCommand):
    help = "Serve OpenMandato with gunicorn and whitenoise, with the task worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"), help="HOST:PORT")
        parser.add_argument("--workers", type=int, default=env_int("WEB_CONCURRENCY", default_workers()))
        parser.add_argument("--threads", type=int, default=env_int("GUNICORN_THREADS", 1))
        parser.add_argument("--timeout", type=int, default=env_int("GUNICORN_TIMEOUT", 60))
        parser.add_argument("--no-worker", action="store_true", help="web only (workers run elsewhere)")
        parser.add_argument("--no-collectstatic", action="store_true")
        parser.add_argument("--access-log", action="store_true", help="log every request on stdout")

    def handle(self, *args, **options):
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1")
        if not options["no_collectstatic"]:
            collect_static_if_changed(self.stdout)
        env = {**os.environ}
        env.setdefault("DJANGO_SETTINGS_MODULE", "openmandato.settings")
        web_cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "openmandato.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--timeout",
            str(options["timeout"]),
            "--graceful-timeout",
            "10",
            # Workers are recycled now and then (a leak cannot grow for ever); a wide jitter keeps them
            # from all restarting in the same second under an even load, and --preload makes a restart a
            # fork of the already loaded application instead of a 2-second import (no stall).
            "--max-requests",
            "5000",
            "--max-requests-jitter",
            "2500",
            "--preload",
            "--no-control-socket",  # several instances per machine must not share ~/.gunicorn/gunicorn.ctl
            "--worker-tmp-dir",
            # gunicorn's heartbeat files: in memory when the machine has /dev/shm
            "/dev/shm" if os.path.isdir("/dev/shm") else str(settings.VAR_DIR),  # noqa: S108
        ]
        if options["access_log"]:
            web_cmd += ["--access-logfile", "-"]
        processes = {"web": subprocess.Popen(web_cmd, env=env)}  # noqa: S603 - our interpreter
        if not options["no_worker"]:
            worker_cmd = [sys.executable, "-m", "openmandato", "db_worker", "--queue-name", "*"]
            worker_cmd.append("--no-reload")
            processes["worker"] = subprocess.Popen(worker_cmd, env=env)  # noqa: S603
        self.stdout.write(
            f"OpenMandato on http://{options['bind']}/ — gunicorn {options['workers']} worker(s)"
            + ("" if options["no_worker"] else " and the task worker")
            + "; Ctrl+C stops."
        )
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            while not stopping:
                ended = [name for name, process in processes.items() if process.poll() is not None]
                if ended:
                    self.stderr.write(f"{', '.join(ended)} exited: stopping the rest.")
                    break
                time.sleep(0.2)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.terminate()
            deadline = time.monotonic() + 15
            for process in processes.values():
                try:
                    process.wait(max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        failed = [name for name, process in processes.items() if process.returncode not in (0, -15, None)]
        if failed and not stopping:
            raise CommandError(f"{', '.join(failed)} stopped with an error")
