"""Background jobs: long work (imports, analyses, exports) runs outside the request and reports progress.

Register a function with `@register("app.kind")`; it is called as `fn(job, **job.params)` and may call
`job_progress(job, done, total, message)`; it returns a JSON-able result. `enqueue()` stores a `core.Job` (the
progress record that pages poll) and, in the same transaction, enqueues the django-tasks task `run_job_task` for it
(settings.TASKS): in production and the demo the database backend (django-tasks-db) keeps it queued until a worker
(`manage.py run_worker`) takes it after the commit; tests use the immediate backend, which runs it at once.

Crash safety (the rule): while a job runs in a worker, a heartbeat thread writes `Job.heartbeat_at` every
JOBS_HEARTBEAT_SECONDS. A RUNNING job whose heartbeat is older than JOBS_STALE_AFTER_SECONDS lost its worker (killed
with SIGKILL, out of memory, machine gone). Every worker looks for such jobs when it starts and then regularly
(`reap_stale_jobs`): the job is queued again for another attempt if its kind allows more attempts (`max_attempts`,
default 2: the jobs we have are read-only or write in one transaction, so a second attempt is safe), otherwise it is
marked failed with the reason. Its django-tasks result is marked failed too, so that nothing stays RUNNING forever.
"""

import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task

from .models import Job

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobKind:
    fn: Callable
    max_attempts: int = 2


_REGISTRY: dict[str, JobKind] = {}


def register(kind: str, *, max_attempts: int = 2):
    """Register `fn(job, **params)` as the job `kind`. `max_attempts`: how often it is started in all when its worker
    dies while running it (1: never again; for work that must not be repeated)."""
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")

    def decorator(fn):
        _REGISTRY[kind] = JobKind(fn, max_attempts)
        return fn

    return decorator


def enqueue(kind: str, *, params=None, user=None, municipality=None, input_file=None) -> Job:
    """Store a Job and enqueue its task in the same transaction: both commit (and a worker sees the task) or neither.
    With the immediate backend (tests) the job has run when this returns."""
    if kind not in _REGISTRY:
        raise KeyError(f"unknown job kind {kind!r}")
    with transaction.atomic():
        job = Job(kind=kind, params=params or {}, created_by=user, municipality=municipality)
        if input_file is not None:
            job.input_file.save(getattr(input_file, "name", "upload"), input_file, save=False)
        job.save()
        _submit(job)
    job.refresh_from_db()
    return job


def _submit(job: Job) -> None:
    result = run_job_task.enqueue(str(job.pk))
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)


@task()
def run_job_task(job_id: str) -> dict:
    """The django-tasks task behind every Job. Its own outcome is only whether it ran; the job's outcome (result or
    error) is on the Job."""
    job = run_job(job_id)
    return {"job": str(job.pk), "status": job.status}


JOB_TASK_PATH = run_job_task.module_path


def job_progress(job: Job, done: int, total: int | None = None, message: str | None = None) -> None:
    """Save progress outside any transaction of the job, so that a polling request sees it."""
    fields = {"progress_done": done}
    if total is not None:
        fields["progress_total"] = total
    if message is not None:
        fields["message"] = message[:500]
    Job.objects.filter(pk=job.pk).update(**fields)
    for k, v in fields.items():
        setattr(job, k, v)


def run_job(job_id) -> Job:
    """Run a queued job (once: a job that is not QUEUED any more is left alone, so a task delivered twice does not
    run it twice)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
    )
    job = Job.objects.get(pk=job_id)
    if not claimed:
        log.warning("job %s is %s, not queued: not run again", job.pk, job.status)
        return job
    kind = _REGISTRY[job.kind]
    with _Heartbeat(job.pk):
        try:
            result = kind.fn(job, **job.params)
        except Exception as exc:  # a job must never take the worker down; the error is shown to its owner
            log.exception("job %s failed", job.pk)
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED,
                error="".join(traceback.format_exception_only(type(exc), exc)).strip()[:5000],
                finished_at=timezone.now(),
            )
        else:
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.DONE, result=result or {}, finished_at=timezone.now()
            )
    job.refresh_from_db()
    return job


class _Heartbeat:
    """Writes Job.heartbeat_at from a thread (own database connection) while the job runs in a worker. Not inside an
    atomic block (the immediate backend in tests, inside a request): there the job cannot outlive its caller, and a
    second connection could not see the uncommitted job anyway."""

    def __init__(self, job_id):
        self.job_id = job_id
        self.stop = threading.Event()
        self.thread = None

    def __enter__(self):
        if not connection.in_atomic_block:
            self.thread = threading.Thread(target=self._beat, name=f"heartbeat-{self.job_id}", daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        if self.thread is not None:
            self.thread.join()

    def _beat(self):
        try:
            while not self.stop.wait(settings.JOBS_HEARTBEAT_SECONDS):
                try:
                    Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING).update(heartbeat_at=timezone.now())
                except Exception:  # e.g. SQLite locked by the job's own long write: try again at the next beat
                    log.warning("heartbeat of job %s not written", self.job_id, exc_info=True)
        finally:
            connection.close()


def reap_stale_jobs(now=None) -> list[Job]:
    """Retry or fail the RUNNING jobs whose worker is gone (see the module's docstring), and fail the job-less tasks
    left RUNNING for longer than TASKS_STALE_AFTER_SECONDS. Returns the jobs it changed."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JOBS_STALE_AFTER_SECONDS)
    changed = []
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        stale = Job.objects.filter(status=Job.Status.RUNNING).filter(
            Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
        )
        if connection.features.has_select_for_update_skip_locked:
            stale = stale.select_for_update(skip_locked=True)  # two reaping workers never handle the same job
        for job in stale:
            reason = _("The worker running this job stopped without finishing it (attempt %(attempt)d).") % {
                "attempt": job.attempts
            }
            if job.task_id:
                _fail_task(DBTaskResult.objects.filter(pk=job.task_id), reason, now)
            kind = _REGISTRY.get(job.kind)
            if kind is not None and job.attempts < kind.max_attempts:
                log.warning("job %s lost its worker; queued again (attempt %d)", job.pk, job.attempts + 1)
                Job.objects.filter(pk=job.pk).update(
                    status=Job.Status.QUEUED, heartbeat_at=None, message=_("Started again after an interruption")
                )
                _submit(job)
            else:
                log.error("job %s lost its worker; failed after %d attempt(s)", job.pk, job.attempts)
                Job.objects.filter(pk=job.pk).update(
                    status=Job.Status.FAILED, error=reason + " " + _("Please try again."), finished_at=now
                )
            job.refresh_from_db()
            changed.append(job)
        # A job task whose worker died before it started the job, or after it finished it (the Job is not RUNNING, so
        # it has no heartbeat): fail the task, and queue the job again if it never started.
        for result in DBTaskResult.objects.running().filter(task_path=JOB_TASK_PATH, started_at__lt=cutoff):
            job_id = (result.args_kwargs.get("args") or [None])[0]
            if Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).exists():
                continue  # handled above, by its heartbeat
            _fail_task(DBTaskResult.objects.filter(pk=result.pk), "worker lost outside the job's run", now)
            job = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED, task_id=str(result.pk)).first()
            if job is not None:
                log.warning("job %s: its task lost its worker before the job started; queued again", job.pk)
                _submit(job)
                changed.append(job)
        task_cutoff = now - timedelta(seconds=settings.TASKS_STALE_AFTER_SECONDS)
        others = DBTaskResult.objects.filter(started_at__lt=task_cutoff).exclude(task_path=JOB_TASK_PATH)
        _fail_task(others, f"worker lost: still running {now - task_cutoff} after its start", now)
    return changed


def _fail_task(results, reason: str, now) -> None:
    results.filter(status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback=reason,
    )


class WorkerLost(Exception):
    """Named as the exception of a task whose worker died while running it (reap_stale_jobs)."""
