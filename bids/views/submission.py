"""The bidder's pages: my submissions, starting a draft, the draft editor (answers, attachments, confidential
marks), submitting and withdrawing with a confirmation, receipts (page, PDF, manifest) and the check of a kept
manifest or file. Every page is for logged-in members of a taking-part organisation (404 for others: they cannot
tell that a submission exists); submitting and withdrawing only for members of the lead (403)."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from core.access import login_view
from core.uploads import LimitedUploadHandler
from tenders import rules as tender_rules
from tenders import selectors as tender_selectors
from tenders import stage_links
from tenders.models import Commissioning

from .. import attachments, envelope, receipts, services, submission_rules
from .. import submission_forms as forms
from ..models import DraftItem, EconomicOperator, Submission, SubmissionRules
from ..stage_links import SUBMISSION


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _member_ids(request) -> set[int]:
    """The operators the user acts for, read once per request."""
    if not hasattr(request, "_bid_member_ids"):
        request._bid_member_ids = submission_rules.member_operator_ids(request.user)
    return request._bid_member_ids


def _submission(request, pk) -> Submission:
    s = Submission.objects.select_related("commissioning", "lot", "lead").filter(pk=pk).first()
    if s is None or not submission_rules.may_edit(request.user, s, _member_ids(request)):
        raise Http404
    return s


def _open_commissionings(now, municipality=None):
    published = (
        tender_selectors.published(municipality)
        if municipality
        else Commissioning.objects.filter(published_at__isnull=False)
    )
    published = published.exclude(phase__in=tender_rules.TERMINAL).prefetch_related("deadlines")
    return [c for c in published if submission_rules.open_kinds(c, now)]


@login_view
def my_submissions(request, municipality=None):
    """The user's submissions and the commissionings open for submissions (of one municipality when reached from
    its menu)."""
    operators = EconomicOperator.objects.filter(pk__in=submission_rules.member_operator_ids(request.user))
    mine = (
        Submission.objects.filter(participations__operator__in=operators, participations__status="confirmed")
        .select_related("commissioning", "lot", "lead")
        .prefetch_related("versions")
        .distinct()
    )
    context = {
        "operators": operators,
        "submissions": mine,
        "open_commissionings": _open_commissionings(timezone.now(), request.municipality) if operators else [],
    }
    return render(request, "bids/submission_list.html", context)


@login_view
def start(request, pk):
    now = timezone.now()
    c = Commissioning.objects.filter(pk=pk, published_at__isnull=False).first()
    kinds = submission_rules.open_kinds(c, now) if c else []
    if not kinds:
        raise Http404
    operators = EconomicOperator.objects.filter(pk__in=submission_rules.member_operator_ids(request.user))
    if not operators.exists():
        raise PermissionDenied
    form = forms.StartForm(request.POST or None, operators=operators, kinds=kinds, lots=c.lots.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            s = services.create_submission(
                request.user,
                data["operator"],
                c,
                kind=data["kind"],
                lot=data["lot"],
                consortium_name=data["consortium_name"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your draft was created. Only your organisations can read it."))
            return redirect("bids:draft", s.pk)
    context = {"commissioning": c, "form": form, "deadlines": {k: submission_rules.deadline(c, k) for k in kinds}}
    return render(request, "bids/submission_start.html", context, status=400 if form.errors else 200)


def _draft_context(request, s, bound=None):
    bound = bound or {}
    rules = SubmissionRules.objects.filter(commissioning=s.commissioning).first() or SubmissionRules()
    draft = envelope.read_draft(s)
    now = timezone.now()
    answers = []
    for criterion in s.commissioning.criteria.filter(children__isnull=True).order_by("parent_id", "position", "id"):
        saved = draft["answers"].get(criterion.pk)
        initial = {}
        if saved:
            initial = {
                "text": saved["text"],
                "confidential": saved["item"].confidential,
                "confidential_reason": saved.get("confidential_reason", ""),
            }
        form = bound.get(f"answer-{criterion.pk}") or forms.AnswerForm(
            initial=initial, prefix=f"c{criterion.pk}", max_chars=rules.answer_max_chars
        )
        answers.append({"criterion": criterion, "form": form, "saved": saved})
    files = [
        {
            **f,
            "form": forms.ConfidentialForm(
                prefix=f"f{f['item'].pk}",
                initial={
                    "confidential": f["item"].confidential,
                    "confidential_reason": f.get("confidential_reason", ""),
                },
            ),
        }
        for f in draft["files"]
    ]
    return {
        "submission": s,
        "commissioning": s.commissioning,
        "answers": answers,
        "files": files,
        "upload_form": bound.get("upload") or forms.UploadForm(),
        "versions": list(s.versions.order_by("number")),
        "participations": s.participations.select_related("operator"),
        "may_edit": submission_rules.receiving(s.commissioning, s.kind, now),
        "may_submit": submission_rules.may_submit(request.user, s)
        and submission_rules.receiving(s.commissioning, s.kind, now),
        "deadline": submission_rules.deadline(s.commissioning, s.kind),
        "pending": submission_rules.pending_errors(s),
        "limits": rules,
        "stage_links": stage_links.links(s, request.user, None, place=SUBMISSION),
    }


@login_view
def draft(request, pk):
    s = _submission(request, pk)
    return render(request, "bids/submission_draft.html", _draft_context(request, s))


def _rerender(request, s, key, form):
    return render(request, "bids/submission_draft.html", _draft_context(request, s, {key: form}), status=400)


@require_POST
@login_view
def answer(request, pk, criterion_pk):
    s = _submission(request, pk)
    criterion = get_object_or_404(s.commissioning.criteria, pk=criterion_pk)
    rules = SubmissionRules.objects.filter(commissioning=s.commissioning).first() or SubmissionRules()
    form = forms.AnswerForm(request.POST, prefix=f"c{criterion.pk}", max_chars=rules.answer_max_chars)
    if form.is_valid():
        try:
            services.save_answer(s, request.user, criterion, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your answer was saved (encrypted)."))
            return redirect("bids:draft", s.pk)
    return _rerender(request, s, f"answer-{criterion.pk}", form)


@csrf_exempt  # checked below, by csrf_protect, once the encrypting upload handler is in place
@require_POST
@login_view
def upload(request, pk):
    """An attachment is encrypted while the request body is read (bids.attachments): the access check comes first
    (nothing is written for who may not edit), then the upload handler is installed, then the body is parsed. The
    CSRF check reads the body too, so it runs after the handler is installed."""
    s = _submission(request, pk)
    rules = SubmissionRules.objects.filter(commissioning=s.commissioning).first() or SubmissionRules()
    handler = attachments.EncryptingUploadHandler(request, s.pk, max_bytes=rules.file_max_bytes)
    request.upload_handlers = [LimitedUploadHandler(request), handler]
    kept = []  # the blob the service took; every other one the request wrote is removed
    try:
        return _upload(request, s, kept)
    finally:
        handler.discard_except(*kept)


@csrf_protect
def _upload(request, s, kept: list):
    form = forms.UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            item = services.add_file(
                s,
                request.user,
                name=upload_file.name,
                encrypted=upload_file.encrypted,
                confidential=form.cleaned_data["confidential"],
                confidential_reason=form.cleaned_data["confidential_reason"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            kept.append(item.blob.name)
            messages.success(request, _("The attachment was added (encrypted)."))
            return redirect("bids:draft", s.pk)
    return _rerender(request, s, "upload", form)


def _file_item(s, item_pk) -> DraftItem:
    return get_object_or_404(DraftItem, pk=item_pk, submission=s, kind=DraftItem.Kind.FILE)


@require_POST
@login_view
def remove_file(request, pk, item_pk):
    s = _submission(request, pk)
    try:
        services.remove_file(_file_item(s, item_pk), request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return render(request, "bids/submission_draft.html", _draft_context(request, s), status=400)
    messages.success(request, _("The attachment was removed."))
    return redirect("bids:draft", s.pk)


@require_POST
@login_view
def confidential(request, pk, item_pk):
    s = _submission(request, pk)
    item = _file_item(s, item_pk)
    form = forms.ConfidentialForm(request.POST, prefix=f"f{item.pk}")
    if form.is_valid():
        try:
            services.mark_confidential(item, request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(request, "bids/submission_draft.html", _draft_context(request, s), status=400)
        messages.success(request, _("The confidential mark was saved."))
    return redirect("bids:draft", s.pk)


def _lead_only(request, s):
    if not submission_rules.may_submit(request.user, s, _member_ids(request)):
        raise PermissionDenied


@login_view
def submit(request, pk):
    """A confirmation page (GET), then the submit (POST): the time of receipt is read by the service, after the
    whole request has arrived and the commissioning is locked."""
    s = _submission(request, pk)
    _lead_only(request, s)
    error = None
    if request.method == "POST":
        try:
            version = services.submit(s, request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Your submission was received. Keep the receipt and the manifest."))
            return redirect("bids:receipt", version.pk)
    context = {"submission": s, "is_submit": True, "error": error, "pending": submission_rules.pending_errors(s)}
    return render(request, "bids/submission_confirm.html", context, status=400 if error else 200)


@login_view
def withdraw(request, pk):
    s = _submission(request, pk)
    _lead_only(request, s)
    error = None
    if request.method == "POST":
        try:
            services.withdraw(s, request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Your submission was withdrawn. You can submit again until the deadline."))
            return redirect("bids:draft", s.pk)
    context = {"submission": s, "is_submit": False, "error": error}
    return render(request, "bids/submission_confirm.html", context, status=400 if error else 200)


def _version(request, version_pk):
    version = receipts.visible_versions(request.user).filter(pk=version_pk).first()
    if version is None:
        raise Http404
    return version


@login_view
def receipt(request, version_pk):
    version = _version(request, version_pk)
    return render(request, "bids/submission_receipt.html", receipts.receipt_context(version))


@login_view
def receipt_pdf(request, version_pk):
    version = _version(request, version_pk)
    response = HttpResponse(receipts.receipt_pdf(version), content_type="application/pdf")
    name = f"ontvangstbevestiging-{version.submission_id}-{version.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_view
def manifest(request, version_pk):
    """The canonical manifest as sent (the receipt is its SHA-256), for the bidder to keep."""
    version = _version(request, version_pk)
    data = json.dumps(envelope.bidder_manifest(version), sort_keys=True, indent=2, ensure_ascii=False)
    response = HttpResponse(data.encode(), content_type="application/json")
    name = f"manifest-{version.submission_id}-{version.number}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_view
def verify(request):
    form = forms.VerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = receipts.verify(request.user, form.cleaned_data["file"].read())
    status = 400 if form.errors else 200
    return render(request, "bids/submission_verify.html", {"form": form, "result": result}, status=status)
