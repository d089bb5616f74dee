"""Background jobs of the landscape registry (registered with core.jobs)."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation

from core.jobs import job_progress, register
from core.models import Municipality

from .imports.reading import ImportRefused
from .imports.run import run_import

MAX_PROBLEMS_SHOWN = 1000


@register("landscape.import")
def import_files(job, *, municipality: str, format: str, files: list, role: str = "") -> dict:
    """Import uploaded files (kept in default storage between preview and confirmation), then remove them.

    The files are checked again: the registry may have changed since the preview. A refused import is a normal
    outcome (the result lists the problems), not a failed job."""
    m = Municipality.objects.get(cbs_code=municipality)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            contents = []
            for path, name in files:
                with default_storage.open(path, "rb") as f:
                    contents.append((name, f.read()))
            result = run_import(
                m,
                contents,
                format=format,
                actor=job.created_by,
                role=role,
                progress=lambda done, total, message: job_progress(job, done, total, message),
            )
            outcome = {"ok": True, **result}
        except ImportRefused as refused:
            outcome = {
                "ok": False,
                "problem_count": len(refused.problems),
                "problems": [p.as_dict() for p in refused.problems[:MAX_PROBLEMS_SHOWN]],
            }
        finally:
            for path, _name in files:
                default_storage.delete(path)
    return {**outcome, "redirect": reverse("landscape:import_job", args=[municipality, job.pk])}
