"""Crash safety of the task queue, for real: worker processes (`manage.py run_worker`) are started against a copy of
the test database on file (SQLite) or the test database itself (PostgreSQL), killed with SIGKILL in the middle of a
job, and replaced. The rule (core.jobs): a job whose heartbeat stopped is retried while its kind allows more attempts,
otherwise marked failed with the reason; it never stays RUNNING."""

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from core import jobs
from core.models import Job

from . import blocking_jobs  # noqa: F401  (registers the blocking jobs here too)

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
WORKER = """
import sys
import django
django.setup()
import core.tests.blocking_jobs
from django.core.management import call_command
call_command("run_worker", *sys.argv[1:])
"""


class Database:
    """The database the worker processes use, and reading a job from it."""

    def __init__(self, tmp_path):
        if connection.vendor == "sqlite":
            self.file = tmp_path / "worker.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(self.file) as copy:
                connection.connection.backup(copy)
            self.url = f"sqlite:///{self.file}"
        else:
            self.file = None
            s = connection.settings_dict
            auth = quote(s["USER"]) + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
            self.url = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"

    def job(self, job_id) -> dict:
        if self.file is None:
            job = Job.objects.get(pk=job_id)
            return {"status": job.status, "attempts": job.attempts, "error": job.error, "result": job.result}
        with sqlite3.connect(self.file, timeout=30) as db:
            row = db.execute(
                "SELECT status, attempts, error, result FROM core_job WHERE id = ?", [job_id.hex]
            ).fetchone()
        return {"status": row[0], "attempts": row[1], "error": row[2], "result": json.loads(row[3])}

    def task_status(self, task_id) -> str:
        if self.file is None:
            from django_tasks_db.models import DBTaskResult

            return DBTaskResult.objects.get(pk=task_id).status
        with sqlite3.connect(self.file, timeout=30) as db:
            query = "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?"
            return db.execute(query, [task_id.replace("-", "")]).fetchone()[0]

    def running_tasks(self) -> int:
        if self.file is None:
            from django_tasks_db.models import DBTaskResult

            return DBTaskResult.objects.filter(status="RUNNING").count()
        with sqlite3.connect(self.file, timeout=30) as db:
            return db.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
            ).fetchone()[0]


def start_worker(db: Database, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wijkwaarde.settings",
        "DATABASE_URL": db.url,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "JOBS_HEARTBEAT_SECONDS": "0.2",
        "JOBS_STALE_AFTER_SECONDS": "2",
        "DEBUG": "false",
        "SECRET_KEY": "worker-crash-test-only-key-" + "x" * 40,  # with DEBUG off the settings demand one
    }
    args = ["--no-reload", "--no-startup-delay", "--interval", "0.2", "--reap-interval", "0.5"]
    out = log.open("a")
    return subprocess.Popen([sys.executable, "-c", WORKER, *args], cwd=ROOT, env=env, stdout=out, stderr=out)


def wait_for(condition, what: str, log: Path, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; worker output:\n{log.read_text()}")


def test_a_worker_killed_mid_job_leaves_it_retried_or_failed_with_the_reason_never_running(
    tmp_path, settings, queued_tasks
):
    log = tmp_path / "workers.log"
    never, once = tmp_path / "never", tmp_path / "once"
    a = jobs.enqueue("test.block_always", params={"marker": str(never)})
    b = jobs.enqueue("test.block_once", params={"marker": str(once)})
    db = Database(tmp_path)

    first = start_worker(db, log)
    try:
        wait_for(never.exists, "the first worker to start job A", log)
        assert db.job(a.pk)["status"] == Job.Status.RUNNING
    finally:
        first.kill()  # SIGKILL: no chance to clean up
        first.wait()
    assert db.job(a.pk)["status"] == Job.Status.RUNNING, "a killed worker leaves its job RUNNING…"

    second = start_worker(db, log)
    try:
        wait_for(lambda: db.job(a.pk)["status"] == Job.Status.FAILED, "job A to be reaped", log)
        wait_for(once.exists, "the second worker to start job B", log)
        time.sleep(3)  # longer than JOBS_STALE_AFTER_SECONDS: a live worker's heartbeat keeps its job
        assert db.job(b.pk)["status"] == Job.Status.RUNNING and db.job(b.pk)["attempts"] == 1
    finally:
        second.kill()
        second.wait()
    failed = db.job(a.pk)
    assert failed["attempts"] == 1
    assert "is gestopt zonder deze taak af te maken (poging 1). Probeer het opnieuw." in failed["error"]
    assert db.job(b.pk)["status"] == Job.Status.RUNNING

    third = start_worker(db, log)
    try:
        wait_for(lambda: db.job(b.pk)["status"] == Job.Status.DONE, "job B to be retried and done", log)
    finally:
        third.terminate()
        third.wait(timeout=30)
    assert db.job(b.pk) == {"status": Job.Status.DONE, "attempts": 2, "error": "", "result": {"attempt": 2}}
    assert db.running_tasks() == 0, "…but neither job nor task stays RUNNING"


def test_make_serve_starts_the_site_and_a_worker_and_ctrl_c_stops_both(tmp_path, queued_tasks):
    """scripts/serve.sh (`make demo`, `make serve`): the site answers, the worker runs a queued task, and SIGINT to the
    process group (what Ctrl+C does in a terminal) stops all of it."""
    import signal
    import socket
    import urllib.request

    from publication.tasks import send_notifications

    queued = send_notifications.enqueue(0, "no subscribers: nothing is sent")
    db = Database(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp_path / "serve.log"
    env = {**os.environ, "DATABASE_URL": db.url, "PORT": str(port), "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}
    with log.open("w") as out:
        serve = subprocess.Popen(
            ["bash", "scripts/serve.sh"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    try:

        def site_answers():
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).status == 200
            except OSError:
                return False

        wait_for(site_answers, "the site", log, timeout=120)
        wait_for(lambda: db.task_status(queued.id) == "SUCCESSFUL", "the worker to run the task", log, timeout=120)
        os.killpg(serve.pid, signal.SIGINT)
        serve.wait(timeout=60)
        time.sleep(1)
        left = subprocess.run(["ps", "-o", "pid=,stat=", "-g", str(serve.pid)], capture_output=True, text=True).stdout
        assert [line for line in left.splitlines() if "Z" not in line.split()[-1]] == [], left
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
