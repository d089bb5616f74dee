"""Background jobs: long work (imports, analyses, exports) runs outside the request and reports progress.

Register a function with `@register("app.kind")`; it is called as `fn(job, **job.params)` and may call
`job_progress(job, done, total, message)`; it returns a JSON-able result. `enqueue()` stores a Job and, after the
transaction commits, runs it according to settings.JOBS_MODE:
- "thread": in a daemon thread of the web process (the demo server);
- "worker": left queued for `manage.py run_worker` (production, see docs/deploy.md);
- "sync": at once, in the caller (tests and management commands).
"""

import logging
import threading
import traceback
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from .models import Job

log = logging.getLogger(__name__)
_REGISTRY: dict[str, Callable] = {}


def register(kind: str):
    def decorator(fn):
        _REGISTRY[kind] = fn
        return fn

    return decorator


def enqueue(kind: str, *, params=None, user=None, municipality=None, input_file=None) -> Job:
    if kind not in _REGISTRY:
        raise KeyError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, params=params or {}, created_by=user, municipality=municipality)
    if input_file is not None:
        job.input_file.save(getattr(input_file, "name", "upload"), input_file, save=False)
    job.save()
    mode = settings.JOBS_MODE
    if mode == "sync":
        return run_job(job.pk)
    if mode == "thread":
        transaction.on_commit(lambda: _start_thread(job.pk))
    return job


def _start_thread(job_id):
    def target():
        try:
            run_job(job_id)
        finally:
            close_old_connections()

    threading.Thread(target=target, name=f"job-{job_id}", daemon=True).start()


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


def claim_next() -> Job | None:
    """Take the oldest queued job (worker mode); skip_locked lets several workers run side by side."""
    with transaction.atomic():
        qs = Job.objects.filter(status=Job.Status.QUEUED).order_by("created_at")
        if connection_supports_skip_locked():
            qs = qs.select_for_update(skip_locked=True)
        job = qs.first()
        if job is None:
            return None
        Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    return job


def connection_supports_skip_locked() -> bool:
    from django.db import connection

    return connection.features.has_select_for_update_skip_locked


def run_job(job_id) -> Job:
    job = Job.objects.get(pk=job_id)
    if job.status == Job.Status.QUEUED:
        Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    fn = _REGISTRY[job.kind]
    try:
        result = fn(job, **job.params)
    except Exception as exc:  # a job must never take the worker down; the error is shown to its owner
        log.exception("job %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            error="".join(traceback.format_exception_only(type(exc), exc)).strip()[:5000],
            finished_at=timezone.now(),
        )
    else:
        Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, result=result or {}, finished_at=timezone.now())
    job.refresh_from_db()
    return job
