"""Pages of a consortium: the lead builds the rings and the commitments; every invited organisation confirms or
declines its own participation ("Uitnodigingen voor samenwerkingsverbanden") and makes its self-declaration."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import login_view
from landscape.models import Activity, District

from .. import declarations, rules, selectors, services
from ..models import EconomicOperator, Participation, SubcontractCommitment, Submission
from ..operator_forms import (
    CommitmentForm,
    ConsortiumNameForm,
    DeclarationForm,
    ParticipationForm,
    add_service_errors,
)


def _visible_submission(request, pk) -> Submission:
    """Members of the lead and of every operator invited into the submission see its consortium; others get 404."""
    submission = get_object_or_404(Submission.objects.select_related("commissioning", "lot", "lead"), pk=pk)
    if not submission.participations.filter(operator__members__user=request.user).exists() and not rules.is_member(
        request.user, submission.lead
    ):
        raise Http404
    return submission


def _consortium_context(request, submission, **extra):
    participations = list(
        submission.participations.select_related("operator", "parent__operator", "declaration").prefetch_related(
            "relies_on__operator"
        )
    )
    mine = selectors.operator_ids_of(request.user)
    may_edit = submission.lead_id in mine
    open_errors = rules.consortium_change_errors(submission)
    totals = selectors.commitments_of(submission)
    return {
        "submission": submission,
        "participations": participations,
        "may_edit": may_edit and not open_errors,
        "open_errors": open_errors,
        "totals": totals,
        "small": selectors.small_organisation_share(submission, totals),
        "blockers": rules.submission_blockers(submission, totals),
        "participation_form": ParticipationForm(submission=submission),
        "name_form": ConsortiumNameForm(initial={"consortium_name": submission.consortium_name}),
        "committable": [
            p for p in participations if p.ring in rules.COMMITMENT_RINGS and p.status != Participation.Status.DECLINED
        ],
        "my_participations": {p.pk for p in participations if p.operator_id in mine},
    } | extra


@login_view
def consortium(request, pk):
    submission = _visible_submission(request, pk)
    return render(request, "bids/consortium_detail.html", _consortium_context(request, submission))


def _lead_submission(request, pk) -> Submission:
    submission = _visible_submission(request, pk)
    if not rules.may_edit_consortium(request.user, submission):
        raise PermissionDenied  # a participant sees the consortium but only the lead changes it
    return submission


@require_POST
@login_view
def add(request, pk):
    submission = _lead_submission(request, pk)
    form = ParticipationForm(request.POST, submission=submission)
    if form.is_valid():
        registration = form.cleaned_data["registration"].strip()
        operator = EconomicOperator.objects.filter(
            Q(kvk_number=registration.replace(" ", "").replace(".", "")) | Q(foreign_registration=registration)
        ).first()
        if operator is None:
            form.add_error("registration", _("No registered organisation has this number."))
        else:
            try:
                services.add_participation(
                    submission,
                    request.user,
                    operator=operator,
                    ring=form.cleaned_data["ring"],
                    role=form.cleaned_data["role"],
                    parent=form.cleaned_data["parent"],
                )
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("%(name)s is invited; it confirms itself.") % {"name": operator.name})
                return redirect("bids:consortium", submission.pk)
    context = _consortium_context(request, submission, participation_form=form)
    return render(request, "bids/consortium_detail.html", context, status=400)


@require_POST
@login_view
def rename(request, pk):
    submission = _lead_submission(request, pk)
    form = ConsortiumNameForm(request.POST)
    if form.is_valid():
        try:
            services.set_consortium_name(submission, request.user, form.cleaned_data["consortium_name"])
        except ValidationError as e:
            messages.error(request, e.messages[0])
    return redirect("bids:consortium", submission.pk)


@login_view
def invitations(request):
    """Uitnodigingen voor samenwerkingsverbanden: the participations of the operators the user acts for."""
    rows = list(selectors.invitations_for(request.user))
    for p in rows:
        p.may_decide = p.status == Participation.Status.PENDING and not rules.consortium_change_errors(p.submission)
    return render(request, "bids/consortium_invitations.html", {"invitations": rows})


@require_POST
@login_view
def decide(request, pk):
    participation = get_object_or_404(Participation.objects.select_related("submission"), pk=pk)
    if not rules.may_decide_participation(request.user, participation):
        _visible_submission(request, participation.submission_id)  # 404 for strangers
        raise PermissionDenied  # e.g. the lead, for another organisation
    try:
        services.decide_participation(participation, request.user, confirm=request.POST.get("decision") == "confirm")
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, _("Your answer is saved."))
    return redirect("bids:invitations")


def _scope(submission):
    ids = [m.pk for m in submission.commissioning.municipalities()]
    activities = Activity.objects.filter(organisation__municipality_id__in=ids).select_related("organisation")
    return (
        list(activities.order_by("title")),
        list(District.objects.filter(municipality_id__in=ids).order_by("name")),
        list(activities.filter(fundings__isnull=False).distinct().order_by("title")),
    )


@login_view
def commitment(request, pk, commitment_pk=None):
    """The lead records a structured commitment to a participant (rings 1–3)."""
    participation = get_object_or_404(Participation, pk=pk)
    submission = _lead_submission(request, participation.submission_id)
    existing = (
        get_object_or_404(SubcontractCommitment, pk=commitment_pk, participation=participation)
        if commitment_pk
        else None
    )
    activities, districts, funded = _scope(submission)
    initial = {}
    if existing:
        initial = {
            "amount_per_year": existing.amount_per_year,
            "share_of_lot_budget": existing.share_of_lot_budget,
            "years": existing.years,
            "activities": [a.pk for a in existing.activities.all()],
            "districts": [d.pk for d in existing.districts.all()],
            "continues_activity": existing.continues_activity_id or "",
            "description": existing.description,
        }
    form = CommitmentForm(
        request.POST or None, initial=initial, activities=activities, districts=districts, funded=funded
    )
    if request.method == "POST" and request.POST.get("delete") and existing:
        try:
            services.delete_commitment(existing, request.user)
        except ValidationError as e:
            messages.error(request, e.messages[0])
        return redirect("bids:consortium", submission.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_commitment(
                participation,
                request.user,
                commitment=existing,
                amount_per_year=data["amount_per_year"],
                share_of_lot_budget=data["share_of_lot_budget"],
                years=data["years"],
                activities=data["activities"],
                districts=data["districts"],
                continues_activity=data["continues_activity"] or None,
                description=data["description"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Commitment saved."))
            return redirect("bids:consortium", submission.pk)
    context = {"form": form, "participation": participation, "submission": submission, "existing": existing}
    return render(request, "bids/consortium_commitment.html", context, status=400 if form.errors else 200)


@login_view
def declaration(request, pk):
    """A member of the participating organisation itself answers the exclusion grounds (art. 57) and states on whose
    capacity it relies (art. 63)."""
    participation = get_object_or_404(Participation.objects.select_related("submission", "operator"), pk=pk)
    if not rules.is_member(request.user, participation.operator):
        _visible_submission(request, participation.submission_id)
        raise PermissionDenied
    submission = participation.submission
    others = list(
        submission.participations.exclude(pk=participation.pk)
        .exclude(status=Participation.Status.DECLINED)
        .select_related("operator")
    )
    current = getattr(participation, "declaration", None)
    form = DeclarationForm(
        request.POST or None,
        initial_answers=declarations.answers_of(current) if current else None,
        others=others,
        relied_on=participation.relies_on.all(),
    )
    if request.method == "POST" and form.is_valid():
        by_pk = {str(p.pk): p for p in others}
        try:
            with transaction.atomic():  # both or neither
                services.declare(participation, request.user, form.answers())
                relied_on = [by_pk[k] for k in form.cleaned_data["relies_on"]]
                services.set_reliance(participation, request.user, relied_on)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("Your self-declaration is saved."))
            return redirect("bids:consortium", submission.pk)
    context = {"form": form, "participation": participation, "submission": submission}
    return render(request, "bids/consortium_declaration.html", context, status=400 if form.errors else 200)
