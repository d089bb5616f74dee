"""Run background jobs (production): `manage.py run_worker`. Several workers may run side by side on PostgreSQL."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from core import jobs


class Command(BaseCommand):
    help = "Take queued background jobs (imports, analyses, exports) and run them until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the queued jobs, then exit")
        parser.add_argument("--poll", type=float, default=2.0, help="seconds between looks for new work")

    def handle(self, *args, once=False, poll=2.0, **options):
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            if not connection.in_atomic_block:  # (inside a test's transaction the connection must stay)
                close_old_connections()
            job = jobs.claim_next()
            if job is None:
                if once:
                    break
                time.sleep(poll)
                continue
            self.stdout.write(f"running {job.kind} {job.pk}")
            done = jobs.run_job(job.pk)
            self.stdout.write(f"{done.status}: {done.kind} {done.pk}")
