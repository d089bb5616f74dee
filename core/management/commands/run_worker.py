"""Run background tasks: `manage.py run_worker` (all options of django-tasks-db's `db_worker`, e.g. `--batch` to run
what is queued and exit). Several workers may run side by side, on several machines, against the same PostgreSQL.

On top of `db_worker`, every worker reaps jobs whose worker died (core.jobs.reap_stale_jobs) and forgets idle
failed-login counts (core.throttle.forget_idle): once when it starts and then every `--reap-interval` seconds, in a
thread of its own.
"""

import logging
import os
import threading

from django.db import connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from core import jobs, throttle

log = logging.getLogger(__name__)


class Command(db_worker.Command):
    help = "Run queued background tasks (imports, analyses, e-mail) until stopped; retry or fail jobs of dead workers."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--reap-interval",
            type=float,
            default=30.0,
            help="seconds between looks for jobs whose worker died (default: %(default)s)",
        )

    def handle(self, *args, reap_interval=30.0, **options):
        reloading_parent = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not reloading_parent:  # with --reload, only the child process that runs tasks reaps
            self.reap()
            if not options.get("batch"):
                threading.Thread(target=self._reap_forever, args=(reap_interval,), name="reaper", daemon=True).start()
        super().handle(*args, **options)

    def reap(self):
        try:
            for job in jobs.reap_stale_jobs():
                self.stdout.write(f"worker lost: {job.kind} {job.pk} is now {job.status}")
        except Exception:  # a passing database hiccup must not stop the worker; the next round tries again
            log.exception("reaping stale jobs failed")
        try:
            forgotten = throttle.forget_idle()
            if forgotten:
                self.stdout.write(f"forgot {forgotten} idle failed-login counts")
        except Exception:
            log.exception("forgetting idle failed-login counts failed")

    def _reap_forever(self, interval: float):
        stop = threading.Event()
        try:
            while not stop.wait(interval):
                self.reap()
        finally:
            connection.close()
