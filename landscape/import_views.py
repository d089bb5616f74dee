"""Import screens: upload -> check in the background (progress bar) -> preview (counts, or every problem with sheet,
row and column) -> confirm -> import in the background (progress bar) -> result.

The upload only runs the quick checks (size, file type, zip bomb) and stores the files; reading and checking every row
(tens of seconds for 100k rows) and the writing run in background jobs (core.jobs, landscape/jobs.py). One page,
`job`, shows either job: its progress while it runs, then the preview or the result stored in the job.
"""

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.crypto import get_random_string
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import public_view, role_view, roles_for
from core.jobs import enqueue
from core.models import Job, Role
from core.uploads import max_file_bytes

from . import services
from .imports.grants import FIELD_LABELS, FIELDS
from .imports.reading import ImportRefused, Problem, check_file, is_empty
from .imports.run import RECORD_TYPE_LABELS
from .imports.template import template_workbook
from .jobs import CHECK, IMPORT
from .models import GrantColumnMapping, Organisation

IMPORT_ROLES = (Role.POLICY_ADVISOR, Role.ADMINISTRATOR)


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
        """[(file name, bytes)] after the quick checks; the rows are checked by the background job."""
        files = []
        for f in self.cleaned_data["files"]:
            if f.size > settings.IMPORT_MAX_BYTES:
                raise forms.ValidationError(
                    _("%(name)s is %(size)s MB; files up to %(max)s MB can be imported.")
                    % {
                        "name": f.name,
                        "size": round(f.size / 1024 / 1024, 1),
                        "max": settings.IMPORT_MAX_BYTES // (1024 * 1024),
                    }
                )
            content = f.read()
            try:
                check_file(content, f.name)
            except ImportRefused as refused:
                raise forms.ValidationError([p.message for p in refused.problems]) from None
            files.append((f.name, content))
        return files


class ColumnMappingForm(forms.Form):
    """The preview of a grant register: which field each column holds (or ignore it), which amount counts, and the
    year of every row when the register has no year column. `columns` is the check's result["columns"]."""

    amount = forms.ChoiceField(
        label=gettext_lazy("Which amount counts"),
        choices=GrantColumnMapping.Amount.choices,
        widget=forms.RadioSelect,
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year of every row"),
        help_text=gettext_lazy("Only for a register without a year column."),
        required=False,
        min_value=1900,
        max_value=2100,
    )

    def __init__(self, columns: dict, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = columns.get("headers", [])
        choices = [("", _("(ignore this column)"))] + [(f, str(FIELD_LABELS[f]).capitalize()) for f in FIELDS]
        mapped = {}
        for i, header in enumerate(self.headers):
            if is_empty(header):
                continue
            name = f"column_{i}"
            mapped[name] = forms.ChoiceField(label=header, choices=choices, required=False)
            self.initial[name] = columns["fields"][i] if i < len(columns.get("fields", [])) else ""
        self.fields = {**mapped, **self.fields}
        self.initial.setdefault("amount", columns.get("amount") or "granted")
        self.initial.setdefault("year", columns.get("year"))

    def clean(self):
        data = super().clean()
        chosen = [data.get(name) for name in self.fields if name.startswith("column_") and data.get(name)]
        twice = sorted({f for f in chosen if chosen.count(f) > 1}, key=FIELDS.index)
        if twice:
            raise forms.ValidationError(
                _("A field can come from one column only: %(fields)s.")
                % {"fields": ", ".join(str(FIELD_LABELS[f]) for f in twice)}
            )
        return data

    def mapping(self) -> dict:
        """grants.Mapping.as_dict() of the choices: every named column, by its header."""
        columns = {
            self.fields[name].label: self.cleaned_data.get(name) or ""
            for name in self.fields
            if name.startswith("column_")
        }
        return {"columns": columns, "amount": self.cleaned_data["amount"], "year": self.cleaned_data.get("year")}


def _mapping_of(check: Job) -> dict | None:
    """The column mapping a grant register was checked with, to import it exactly so."""
    columns = (check.result or {}).get("columns")
    if check.params.get("format") != "grants" or not columns:
        return None
    by_header = {h: f for h, f in zip(columns["headers"], columns["fields"], strict=False) if not is_empty(h)}
    return {"columns": by_header, "amount": columns.get("amount", "granted"), "year": columns.get("year")}


def _import_role(request) -> str:
    held = roles_for(request.user, request.municipality) & set(IMPORT_ROLES)
    return sorted(held)[0] if held else (Role.ADMINISTRATOR if request.user.is_superuser else "")


def _counts_rows(counts: dict) -> list[dict]:
    return [{"label": RECORD_TYPE_LABELS[kind], **c} for kind, c in counts.items() if any(c.values())]


def _store(files: list[tuple[str, bytes]]) -> list[list[str]]:
    """Keep the uploaded files in default storage for the jobs: [[storage path, original name]]."""
    folder = f"imports/pending/{get_random_string(22)}"
    return [
        [default_storage.save(f"{folder}/{get_valid_filename(name) or 'bestand'}", ContentFile(content)), name]
        for name, content in files
    ]


def _job_page(job):
    return redirect("landscape:import_job", municipality=job.municipality.cbs_code, job_id=job.pk)


@role_view(*IMPORT_ROLES)
def upload(request, municipality):
    """The upload form; a valid upload is stored and checked by a background job, whose page shows the preview."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        refused = getattr(request, "upload_refused", None)  # core.uploads: too large, not stored
        if refused or not form.is_valid():
            if refused:
                form.errors.clear()
                form.add_error(
                    "files",
                    _("%(name)s is larger than %(max)s; it was not stored. Import files of at most %(max)s.")
                    % {"name": ", ".join(refused), "max": filesizeformat(max_file_bytes())},
                )
            # the file's problems also on top, in the alert that lists an import's problems
            problems = [Problem(message) for message in form.errors.get("files", [])]
            context = {"form": form, "problems": problems, "problem_count": len(problems)}
            return render(request, "landscape/import_upload.html", context, status=400)
        job = enqueue(
            CHECK,
            params={
                "municipality": request.municipality.cbs_code,
                "format": form.cleaned_data["format"],
                "files": _store(form.cleaned_data["files"]),
                "role": _import_role(request),
            },
            user=request.user,
            municipality=request.municipality,
        )
        return _job_page(job)
    return render(request, "landscape/import_upload.html", {"form": form})


def _upload_gone(request):
    """The upload page again (400): the checked upload was imported already, failed, or its files are gone."""
    return render(
        request,
        "landscape/import_upload.html",
        {
            "form": ImportForm(),
            "problems": [Problem(_("This upload cannot be imported (any more); upload the file again."))],
            "problem_count": 1,
        },
        status=400,
    )


def _import_of(check: Job) -> Job | None:
    """The import job started from a checked upload, if it was confirmed."""
    return Job.objects.filter(kind=IMPORT, params__check_job=str(check.pk)).first()


@require_POST
@role_view(*IMPORT_ROLES)
def confirm(request, municipality, job_id):
    """Import a checked upload (once: confirming again leads to the same import)."""
    with transaction.atomic():
        # The lock makes a double click wait for the first confirmation, which the second then finds.
        check = get_object_or_404(
            Job.objects.select_for_update(), pk=job_id, kind=CHECK, municipality=request.municipality
        )
        existing = _import_of(check)
        if existing is not None:
            return _job_page(existing)
        files = check.params.get("files", [])
        if not (check.status == Job.Status.DONE and check.result.get("ok")) or not all(
            default_storage.exists(path) for path, _name in files
        ):
            return _upload_gone(request)
        params = {**check.params, "role": _import_role(request), "check_job": str(check.pk)}
        if (mapping := _mapping_of(check)) is not None:
            params["mapping"] = mapping
        job = enqueue(IMPORT, params=params, user=request.user, municipality=request.municipality)
    return _job_page(job)


@require_POST
@role_view(*IMPORT_ROLES)
def remap(request, municipality, job_id):
    """Check a grant register again with the columns mapped as the person chose in the preview; the choice is
    remembered for the municipality's next import (services.save_grant_mapping, audited)."""
    with transaction.atomic():
        check = get_object_or_404(
            Job.objects.select_for_update(), pk=job_id, kind=CHECK, municipality=request.municipality
        )
        columns = (check.result or {}).get("columns")
        files = check.params.get("files", [])
        usable = (
            check.status == Job.Status.DONE
            and check.params.get("format") == "grants"
            and columns
            and _import_of(check) is None
            and all(default_storage.exists(path) for path, _name in files)
        )
        if not usable:
            return _upload_gone(request)
        form = ColumnMappingForm(columns, request.POST)
        if not form.is_valid():
            return render(request, "landscape/import_job.html", _job_context(request, check, form), status=400)
        mapping = form.mapping()
        role = _import_role(request)
        services.save_grant_mapping(
            request.municipality, columns=mapping["columns"], amount=mapping["amount"], actor=request.user, role=role
        )
        job = enqueue(
            CHECK,
            params={**check.params, "role": role, "mapping": mapping},
            user=request.user,
            municipality=request.municipality,
        )
    return _job_page(job)


@role_view(*IMPORT_ROLES)
def job(request, municipality, job_id):
    """A check or import job: its progress (htmx polls core:job_status and reloads when done), then the preview or
    the result."""
    job = get_object_or_404(Job, pk=job_id, kind__in=[CHECK, IMPORT], municipality=request.municipality)
    return render(request, "landscape/import_job.html", _job_context(request, job))


def _job_context(request, job, mapping_form=None) -> dict:
    result = job.result or {}
    context = {
        "job": job,
        "checking": job.kind == CHECK,
        "result": result,
        "rows": _counts_rows(result["counts"]) if result.get("counts") else [],
        "problems": [Problem(p["message"], p["sheet"], p["row"], p["column"]) for p in result.get("problems", [])],
        "problem_count": result.get("problem_count", 0),
    }
    if job.kind == CHECK and result.get("ok"):
        context["import_job"] = _import_of(job)
    if job.kind == CHECK and job.finished and result.get("columns") and not context.get("import_job"):
        context["mapping_form"] = mapping_form or ColumnMappingForm(result["columns"])
        context["missing_fields"] = [FIELD_LABELS[f] for f in result.get("missing", [])]
    if job.kind == IMPORT and result.get("ok") and job.params.get("format") == "grants":
        context["review_count"] = Organisation.objects.filter(
            municipality=request.municipality, needs_review=True
        ).count()
    return context


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
