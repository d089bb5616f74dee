"""The opening pages: the openers (procurement officer), the two confirmations (openers), the opening record
(officer, openers, evaluators) and the opened submissions (officer and evaluators only, after the opening; every
read audited). Decrypted content is sent with `Cache-Control: private, no-store` and never cached publicly."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import has_role, role_view
from core.models import MUNICIPAL_ROLES, Role, User
from tenders import selectors as tender_selectors

from .. import access, opening_rules, services
from ..models import Opener, Opening, SealedVersion, Submission

OFFICER = Role.PROCUREMENT_OFFICER
MUNICIPAL = tuple(sorted(MUNICIPAL_ROLES))
# Dutch URL slugs of the two kinds of submission.
KIND_SLUGS = {"inschrijvingen": Submission.Kind.BID, "verzoeken": Submission.Kind.REQUEST}
SLUG_OF = {kind: slug for slug, kind in KIND_SLUGS.items()}
PRIVATE = "private, no-store, max-age=0"


class AppointOpenerForm(forms.Form):
    user = forms.ModelChoiceField(label=gettext_lazy("Municipal employee"), queryset=User.objects.none())

    def __init__(self, *args, commissioning, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(
                role_assignments__role__in=MUNICIPAL,
                role_assignments__municipality__in=commissioning.municipalities(),
            )
            .exclude(pk__in=commissioning.openers.values("user"))
            .distinct()
            .order_by("last_name", "username")
        )
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class ConfirmOpeningForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _add_errors(form, exc: ValidationError):
    pairs = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for field, errors in pairs:
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _commissioning(request, pk):
    return tender_selectors.get_for(request.user, request.municipality, pk)


def _kind(slug):
    if slug not in KIND_SLUGS:
        raise Http404
    return KIND_SLUGS[slug]


def _is_officer(user, c):
    return any(has_role(user, [OFFICER], m) for m in c.municipalities())


def _private(response):
    response["Cache-Control"] = PRIVATE
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _kinds(c, request, forms_by_kind, now):
    """One block per kind of submission the commissioning receives: deadline, confirmations, may the user confirm,
    and once opened the counting submissions per lot (for readers)."""
    kinds = [Submission.Kind.REQUEST] if opening_rules.opening_moment(c, Submission.Kind.REQUEST) else []
    kinds.append(Submission.Kind.BID)
    reader = access.is_reader(request.user, c)
    is_opener = opening_rules.is_opener(request.user, c)
    blocks = []
    for kind in kinds:
        opening = Opening.objects.filter(commissioning=c, kind=kind).first()
        confirmations = list(opening.confirmations.select_related("opener")) if opening else []
        opened = bool(opening and opening.opened_at)
        submissions = []
        if opened and reader:
            counting = SealedVersion.objects.filter(withdrawn_at__isnull=True, superseded_at__isnull=True)
            submissions = list(
                Submission.objects.filter(commissioning=c, kind=kind)
                .select_related("lead", "lot")
                .prefetch_related(Prefetch("versions", queryset=counting, to_attr="counting"))
                .order_by("lot__number", "lead__name")
            )
            submissions = [s for s in submissions if s.counting]
        already = any(cf.opener_id == request.user.pk for cf in confirmations)
        blocks.append(
            {
                "kind": kind,
                "slug": SLUG_OF[kind],
                "label": _("Bids") if kind == Submission.Kind.BID else _("Requests to participate"),
                "moment": opening_rules.opening_moment(c, kind),
                "errors": opening_rules.opening_errors(c, kind, now),
                "opening": opening,
                "opened": opened,
                "confirmations": confirmations,
                "may_confirm": is_opener and not opened and not already,
                "form": forms_by_kind.get(kind) or ConfirmOpeningForm(),
                "submissions": submissions,
            }
        )
    return blocks


def _page(request, c, *, appoint_form=None, forms_by_kind=None, status=200):
    officer = _is_officer(request.user, c)
    context = {
        "commissioning": c,
        "blocks": _kinds(c, request, forms_by_kind or {}, timezone.now()),
        "openers": list(c.openers.select_related("user").order_by("appointed_at")),
        "may_manage_openers": officer,
        "appoint_form": appoint_form or (AppointOpenerForm(commissioning=c) if officer else None),
        "may_download_record": access.may_download_record(request.user, c),
        "window_minutes": int(opening_rules.OPENING_WINDOW.total_seconds() // 60),
    }
    return _private(render(request, "bids/opening_overview.html", context, status=status))


@role_view(*MUNICIPAL)
def overview(request, municipality, pk):
    c = _commissioning(request, pk)
    if not access.may_see_opening(request.user, c):
        raise PermissionDenied
    return _page(request, c)


@require_POST
@role_view(OFFICER)
def opener_appoint(request, municipality, pk):
    c = _commissioning(request, pk)
    form = AppointOpenerForm(request.POST, commissioning=c)
    if form.is_valid():
        try:
            services.appoint_opener(c, request.user, form.cleaned_data["user"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The opener was appointed."))
            return redirect("bids:opening", municipality, c.pk)
    return _page(request, c, appoint_form=form, status=400)


@require_POST
@role_view(OFFICER)
def opener_remove(request, municipality, pk, opener):
    c = _commissioning(request, pk)
    appointment = get_object_or_404(Opener, commissioning=c, pk=opener)
    try:
        services.remove_opener(appointment, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The opener was removed."))
    return redirect("bids:opening", municipality, c.pk)


@require_POST
@role_view(*MUNICIPAL)
def confirm(request, municipality, pk, kind):
    kind = _kind(kind)
    c = _commissioning(request, pk)
    if not opening_rules.is_opener(request.user, c):
        raise PermissionDenied
    form = ConfirmOpeningForm(request.POST)
    if form.is_valid():
        try:
            opening = services.confirm_opening(c, request.user, kind, form.cleaned_data["token"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if opening.opened_at:
                messages.success(request, _("The submissions were opened. The opening record is ready."))
            else:
                messages.success(request, _("Your confirmation was recorded. A second opener must confirm."))
            return redirect("bids:opening", municipality, c.pk)
    return _page(request, c, forms_by_kind={kind: form}, status=400)


@role_view(*MUNICIPAL)
def record(request, municipality, pk, kind):
    kind = _kind(kind)
    c = _commissioning(request, pk)
    if not access.may_download_record(request.user, c):
        raise PermissionDenied
    opening = Opening.objects.filter(commissioning=c, kind=kind, opened_at__isnull=False).first()
    if opening is None or not opening.record_pdf:
        raise Http404
    name = f"proces-verbaal-opening-{c.pk}-{SLUG_OF[kind]}.pdf"
    response = FileResponse(opening.record_pdf.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = "application/pdf"
    return _private(response)


def _readable_version(request, pk, submission):
    """The counting version of an opened submission the user may read (403 otherwise; before the opening nobody
    may, and there is nothing to decrypt with)."""
    c = _commissioning(request, pk)
    sub = get_object_or_404(
        Submission.objects.select_related("lead", "lot", "commissioning"), commissioning=c, pk=submission
    )
    if not access.may_read(request.user, sub):
        raise PermissionDenied
    version = sub.versions.filter(withdrawn_at__isnull=True, superseded_at__isnull=True).last()
    if version is None:
        raise Http404
    return c, sub, version


@role_view(Role.PROCUREMENT_OFFICER, Role.EVALUATOR)
def submission_detail(request, municipality, pk, submission):
    c, sub, version = _readable_version(request, pk, submission)
    try:
        manifest, _files = access.opened_bundle(version)
    except access.NotOpened:
        manifest = None
    services.record_read(version, request.user, "answers")
    criteria = {cr.pk: cr for cr in c.criteria.all()}
    answers = [
        {**answer, "criterion_obj": criteria.get(answer.get("criterion"))}
        for answer in (manifest or {}).get("answers", [])
    ]
    integrity = next(
        (r for r in Opening.objects.get(commissioning=c, kind=sub.kind).integrity if r["version"] == version.pk), None
    )
    context = {
        "commissioning": c,
        "submission": sub,
        "version": version,
        "manifest": manifest,
        "answers": answers,
        "files": list(enumerate((manifest or {}).get("files", []))),
        "integrity": integrity,
    }
    return _private(render(request, "bids/opening_submission.html", context))


@role_view(Role.PROCUREMENT_OFFICER, Role.EVALUATOR)
def submission_file(request, municipality, pk, submission, index):
    _c, _sub, version = _readable_version(request, pk, submission)
    try:
        manifest, files = access.opened_bundle(version)
    except access.NotOpened:
        raise Http404 from None
    if not 0 <= index < len(files):
        raise Http404
    services.record_read(version, request.user, "file", index)
    item = manifest["files"][index]
    response = HttpResponse(files[index], content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, item.get("name") or f"bijlage-{index + 1}")
    return _private(response)
