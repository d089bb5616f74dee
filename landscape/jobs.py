"""Background jobs of the landscape registry (registered with core.jobs): checking an uploaded import (the preview)
and importing it after confirmation. Both read the uploaded files from default storage, where the upload put them;
the import removes them when it is done, the check of a template when it found problems (they cannot be confirmed).
The check of a grant register keeps them either way: the person may map its columns and check it again. Files that
are never confirmed are removed by `manage.py expire_uploads` (docs/deploy.md)."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation

from core.jobs import job_progress, register
from core.models import Municipality

from .imports.reading import ImportRefused
from .imports.run import run_import

CHECK = "landscape.import_check"
IMPORT = "landscape.import"
MAX_PROBLEMS_SHOWN = 1000


def _run(job, *, municipality: str, format: str, files: list, role: str, dry_run: bool, mapping=None) -> dict:
    """run_import on the stored files; a refused import is a normal outcome (the result lists the problems)."""
    m = Municipality.objects.get(cbs_code=municipality)
    keep_files = False
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
                dry_run=dry_run,
                progress=lambda done, total, message: job_progress(job, done, total, message),
                mapping=mapping,
            )
            outcome = {"ok": True, **result}
            keep_files = dry_run  # checked without problems: they wait for the confirmation
        except ImportRefused as refused:
            outcome = {
                "ok": False,
                "problem_count": len(refused.problems),
                "problems": [p.as_dict() for p in refused.problems[:MAX_PROBLEMS_SHOWN]],
                **refused.extra,
            }
            keep_files = dry_run and format == "grants"  # to map the columns and check again
        finally:
            if not keep_files:
                remove_files(files)
    return {**outcome, "redirect": reverse("landscape:import_job", args=[municipality, job.pk])}


def remove_files(files: list) -> None:
    for path, _name in files:
        default_storage.delete(path)


@register(CHECK)
def check_files(job, *, municipality: str, format: str, files: list, role: str = "", mapping=None) -> dict:
    """The preview: check uploaded files completely (nothing is written) and count what an import would change."""
    return _run(job, municipality=municipality, format=format, files=files, role=role, dry_run=True, mapping=mapping)


@register(IMPORT)
def import_files(
    job, *, municipality: str, format: str, files: list, role: str = "", check_job: str = "", mapping=None
) -> dict:
    """Import checked and confirmed files. They are checked again: the registry may have changed since the preview."""
    return _run(job, municipality=municipality, format=format, files=files, role=role, dry_run=False, mapping=mapping)
