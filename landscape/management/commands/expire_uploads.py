"""Remove uploaded import files that were checked but never confirmed, and the empty folders they leave.

Run it from a scheduled task (cron or a systemd timer, e.g. every hour; docs/deploy.md). An upload waits in
`imports/pending/<random>/` of the default storage for its confirmation; after IMPORT_UPLOAD_EXPIRY_HOURS (or
--hours) it is removed, unless a check or import job that is queued or running still needs it. Confirming an expired
upload then says it cannot be imported any more (upload it again).
"""

import os
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.models import Job
from landscape.jobs import CHECK, IMPORT

PENDING = "imports/pending"


def _walk(folder: str):
    """(folder, file paths) of every folder under `folder` in default storage, deepest first."""
    try:
        folders, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for sub in folders:
        yield from _walk(f"{folder}/{sub}")
    yield folder, [f"{folder}/{name}" for name in files]


def expire_uploads(hours: int | None = None, now=None) -> tuple[int, int]:
    """Remove expired pending uploads; returns (files removed, empty folders removed)."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.IMPORT_UPLOAD_EXPIRY_HOURS if hours is None else hours)
    busy = Job.objects.filter(kind__in=[CHECK, IMPORT], status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
    in_use = {path for job in busy for path, _name in job.params.get("files", [])}
    files = folders = 0
    for folder, paths in _walk(PENDING):
        removed_here = 0
        for path in paths:
            if path not in in_use and default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed_here += 1
        files += removed_here
        # Folders exist only on a file system storage. An empty folder goes when we emptied it, or when it is old
        # (left by an earlier run or a crash); a new upload's folder is never empty for long and never old.
        if folder != PENDING and hasattr(default_storage, "path"):
            local = default_storage.path(folder)
            modified = datetime.fromtimestamp(os.path.getmtime(local), tz=UTC)
            if not os.listdir(local) and (removed_here or modified < cutoff):
                os.rmdir(local)
                folders += 1
    return files, folders


class Command(BaseCommand):
    help = "Remove checked import uploads that were never confirmed (older than IMPORT_UPLOAD_EXPIRY_HOURS)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, help="age in hours (default IMPORT_UPLOAD_EXPIRY_HOURS)")

    def handle(self, *args, hours=None, **options):
        with translation.override(settings.LANGUAGE_CODE):
            files, folders = expire_uploads(hours)
            self.stdout.write(
                _("Expired uploads removed: %(files)s files, %(folders)s empty folders.")
                % {"files": files, "folders": folders}
            )
