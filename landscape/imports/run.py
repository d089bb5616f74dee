"""One entry point for the command, the UI preview and the background job: parse files, check, (maybe) write."""

import hashlib
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import services
from . import grants, template
from .reading import ImportRefused, Problem, Progress, check_size

RECORD_TYPE_LABELS = {
    "districts": gettext_lazy("Districts"),
    "organisations": gettext_lazy("Organisations"),
    "activities": gettext_lazy("Activities"),
    "fundings": gettext_lazy("Funding lines"),
}
FORMATS: dict[str, Callable] = {"template": template.parse, "grants": grants.parse}


def describe_files(files: list[tuple[str, bytes]]) -> list[dict]:
    return [
        {"name": name, "sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)} for name, content in files
    ]


def run_import(
    municipality,
    files: list[tuple[str, bytes]],
    *,
    format: str,
    actor=None,
    role: str = "",
    dry_run: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
    mapping: dict | None = None,
) -> dict:
    """Import `files` ([(file name, bytes)]) of `format` ("template" or "grants") into `municipality`'s registry.

    Returns {"counts": ..., "files": ..., "format": ..., **extra figures}; raises ImportRefused listing every problem
    (then nothing is written). With `dry_run`, everything is checked but nothing written (the preview).

    `progress(done, total, message)` hears of each phase: reading the file and checking its rows (rows done of the
    total), then the check against the registry and the writing. Those last two run in ONE transaction (all or
    nothing), where progress written to the database would stay invisible to the page polling it until the commit;
    so that phase is reported once, before the transaction, with total 0 ("unknown": an indeterminate bar).

    `mapping` (grant registers only; see grants.Mapping.as_dict) says how the columns map to fields and which amount
    counts; without it the mapping remembered for the municipality is used, and unknown headers are guessed.
    """
    tracker = Progress(progress)
    if format not in FORMATS:
        raise ImportRefused([Problem(_("Unknown import format %(format)s.") % {"format": format})])
    if not files:
        raise ImportRefused([Problem(_("Choose a file to import."))])
    for _name, content in files:
        check_size(len(content))
    source = {"format": format, "files": describe_files(files)}
    tracker.phase(_("Reading the file"))
    options = {"mapping": mapping} if format == "grants" else {}
    try:
        data = FORMATS[format](files, municipality, progress=tracker, **options)
    except ImportRefused as refused:
        if refused.data is None or refused.data.is_empty:
            raise
        # Report the registry problems of the readable rows too (e.g. unknown districts), all in one list.
        problems = refused.problems + services.check_records(municipality, refused.data)
        raise ImportRefused(problems, extra=refused.extra) from None
    tracker.phase(
        _("Checking against the registry")
        if dry_run
        else _("Checking against the registry and saving (all or nothing)")
    )
    try:
        counts = services.import_records(municipality, data, actor=actor, role=role, source=source, dry_run=dry_run)
    except ImportRefused as refused:
        raise ImportRefused(refused.problems, extra={k: v for k, v in data.extra.items() if k == "columns"}) from None
    return {**source, "counts": counts, **data.extra}
