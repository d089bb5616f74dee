"""Import screens: upload -> preview (counts, or every problem with sheet, row and column) -> confirm -> background
job with a progress bar -> result. The checks run on the upload; the writing runs in the job (core.jobs)."""

import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.access import public_view, role_view, roles_for
from core.jobs import enqueue
from core.models import Job, Role

from .imports.reading import ImportRefused, Problem
from .imports.run import RECORD_TYPE_LABELS, run_import
from .imports.template import template_workbook
from .jobs import MAX_PROBLEMS_SHOWN

IMPORT_ROLES = (Role.POLICY_ADVISOR, Role.ADMINISTRATOR)
SESSION_KEY = "landscape_pending_imports"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single_file_clean = super().clean
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        return [single_file_clean(f, initial) for f in files] or [single_file_clean(None, initial)]


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        label=gettext_lazy("What do you import?"),
        choices=[
            ("template", gettext_lazy("The landscape template (organisations, activities, funding)")),
            ("grants", gettext_lazy("A grant register (subsidieregister) as the municipality publishes it")),
        ],
        initial="template",
        widget=forms.RadioSelect,
    )
    files = MultipleFileField(
        label=gettext_lazy("File(s)"),
        widget=MultipleFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _(
            "One Excel workbook (.xlsx), or one or more CSV files. At most %(max)s MB per file."
        ) % {"max": settings.IMPORT_MAX_BYTES // (1024 * 1024)}

    def clean_files(self):
        files = self.cleaned_data["files"]
        for f in files:
            if f.size > settings.IMPORT_MAX_BYTES:
                raise forms.ValidationError(
                    _("%(name)s is %(size)s MB; files up to %(max)s MB can be imported.")
                    % {
                        "name": f.name,
                        "size": round(f.size / 1024 / 1024, 1),
                        "max": settings.IMPORT_MAX_BYTES // (1024 * 1024),
                    }
                )
        return files


def _import_role(request) -> str:
    held = roles_for(request.user, request.municipality) & set(IMPORT_ROLES)
    return sorted(held)[0] if held else (Role.ADMINISTRATOR if request.user.is_superuser else "")


def _counts_rows(counts: dict) -> list[dict]:
    return [{"label": RECORD_TYPE_LABELS[kind], **c} for kind, c in counts.items() if any(c.values())]


@role_view(*IMPORT_ROLES)
def upload(request, municipality):
    """Upload and check: shows the preview (what would be created and updated) or every problem found."""
    m = request.municipality
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
        fmt = form.cleaned_data["format"]
        try:
            result = run_import(m, files, format=fmt, dry_run=True)
        except ImportRefused as refused:
            problems = refused.problems
            form.add_error(
                None,
                ngettext(
                    "%(n)s problem found; nothing has been imported. Correct the file and upload it again.",
                    "%(n)s problems found; nothing has been imported. Correct the file and upload it again.",
                    len(problems),
                )
                % {"n": len(problems)},
            )
            context.update(problems=problems[:MAX_PROBLEMS_SHOWN], problem_count=len(problems))
            return render(request, "landscape/import_upload.html", context, status=400)
        token = secrets.token_urlsafe(16)
        stored = [
            [
                default_storage.save(
                    f"imports/pending/{token}/{get_valid_filename(name) or 'bestand'}", ContentFile(c)
                ),
                name,
            ]
            for name, c in files
        ]
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {"municipality": m.cbs_code, "format": fmt, "files": stored}
        request.session[SESSION_KEY] = pending
        context.update(preview=result, rows=_counts_rows(result["counts"]), token=token)
    return render(request, "landscape/import_upload.html", context)


@require_POST
@role_view(*IMPORT_ROLES)
def confirm(request, municipality):
    """Start the import of a checked upload as a background job."""
    pending = request.session.get(SESSION_KEY, {})
    item = pending.get(request.POST.get("token", ""))
    if item is None or item["municipality"] != request.municipality.cbs_code:
        messages.error(request, _("This upload has expired or was already imported; upload the file again."))
        return render(request, "landscape/import_upload.html", {"form": ImportForm()}, status=400)
    del pending[request.POST["token"]]
    request.session[SESSION_KEY] = pending
    job = enqueue(
        "landscape.import",
        params={
            "municipality": request.municipality.cbs_code,
            "format": item["format"],
            "files": item["files"],
            "role": _import_role(request),
        },
        user=request.user,
        municipality=request.municipality,
    )
    return redirect("landscape:import_job", municipality=request.municipality.cbs_code, job_id=job.pk)


@role_view(*IMPORT_ROLES)
def job(request, municipality, job_id):
    """Progress of an import (htmx polls core:job_status), then its result."""
    job = get_object_or_404(Job, pk=job_id, kind="landscape.import", municipality=request.municipality)
    result = job.result or {}
    problems = [Problem(p["message"], p["sheet"], p["row"], p["column"]) for p in result.get("problems", [])]
    return render(
        request,
        "landscape/import_job.html",
        {
            "job": job,
            "result": result,
            "rows": _counts_rows(result["counts"]) if result.get("counts") else [],
            "problems": problems,
        },
    )


@public_view
def template_download(request, municipality):
    """The import template (XLSX) with an example row per sheet and the sheet "toelichting"."""
    if request.municipality is None:
        raise Http404
    response = HttpResponse(
        template_workbook(request.municipality),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="importsjabloon-{request.municipality.cbs_code}.xlsx"'
    return response
