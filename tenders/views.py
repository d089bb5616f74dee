"""Designing and running a commissioning (policy advisors and procurement officers), and asking questions
(providers). Views are thin: forms parse, services decide, templates show."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import has_role, role_view
from core.models import Role

from . import forms, regime, rules, selectors, services, stage_links, time_limits
from .kpi_forms import KPIForm, KPIRectificationForm
from .models import Phase, Question, Route
from .notice_forms import NoticeForm

DESIGN = (Role.POLICY_ADVISOR, Role.PROCUREMENT_OFFICER)
OFFICER = Role.PROCUREMENT_OFFICER


def _get(request, pk):
    return selectors.get_for(request.user, request.municipality, pk)


# Database constraints that a form's own checks should already catch; if one still fails, the field it concerns
# gets a Dutch message, never the constraint's name.
CONSTRAINT_FIELDS = {
    "commissioning_term_at_least_one_year": ("term_years", gettext_lazy("The initial term must be at least one year.")),
}


def _add_integrity_error(form, exc: IntegrityError):
    for constraint, (field, message) in CONSTRAINT_FIELDS.items():
        if constraint in str(exc):
            form.add_error(field if field in form.fields else None, message)
            return
    form.add_error(None, _("These values cannot be saved together; check the fields and try again."))


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _dashboard_forms(c, bound: dict) -> dict:
    defaults = {
        "lot_form": lambda: forms.LotForm(commissioning=c),
        "reserve_form": forms.ReservedLineForm,
        "criterion_form": lambda: forms.CriterionForm(commissioning=c),
        "minimum_form": lambda: None if c.route == Route.GRANT_ROUND else forms.CriterionMinimumForm(commissioning=c),
        "library_form": forms.LibraryCriterionForm,
        "deadline_form": forms.DeadlineForm,
        "rectify_form": lambda: forms.RectificationForm(commissioning=c),
        "clarify_form": forms.ClarificationForm,
        "info_form": forms.InfoSessionForm,
        "select_form": lambda: forms.SelectForm(commissioning=c),
        "session_form": lambda: forms.DialogueSessionForm(commissioning=c),
        "notice_form": lambda: NoticeForm(commissioning=c),
    }
    return {name: bound.get(name) or make() for name, make in defaults.items()}


def _dashboard(request, c, status=200, **bound):
    questions = list(c.questions.filter(clarification__isnull=True).select_related("lot").order_by("asked_at"))
    for q in questions:
        q.form = bound.get(f"answer_{q.pk}") or forms.AnswerForm(
            prefix=f"q{q.pk}", initial={"answer": q.answer, "topic": q.topic}
        )
    next_phases = [
        {"phase": p, "label": Phase(p).label, "errors": rules.transition_errors(c, p)}
        for p in sorted(rules.allowed_transitions(c.route, c.phase))
        if c.is_published and p != Phase.CANCELLED
    ]
    candidates = list(c.candidates.select_related("organisation"))
    for candidate in candidates:
        candidate.form = bound.get(f"decide_{candidate.pk}") or forms.DecisionForm(
            prefix=f"cand{candidate.pk}",
            initial={
                "decision": {"admitted": "admit", "rejected": "reject"}.get(candidate.status),
                "score": candidate.selection_score,
                "reasons": candidate.reasons,
            },
        )
    threshold = rules.check_threshold(c, regime.regime_date(c))
    context = {
        "commissioning": c,
        "can_publish": has_role(request.user, [OFFICER], request.municipality),
        "publish_errors": [] if c.is_published else rules.publish_errors(c),
        "threshold": threshold,
        "regime_label": rules.REGIME_LABELS[threshold.regime],
        "notice_required": regime.notice_required(threshold),
        "additional_cpv": list(c.additional_cpv.all()),
        "scope": (scope := selectors.lot_scope(c)),
        "scope_warnings": selectors.scope_warnings(scope)
        + ([] if c.is_published else selectors.proposal_notes(c, scope)),
        "reserved": list(c.reserved_lines.all()),
        "criteria": selectors.criteria_tree(c),
        "deadlines": list(c.deadlines.all()),
        "phases": selectors.route_phases(c),
        "next_phases": next_phases,
        "open_questions": questions,
        "clarifications": list(c.clarifications.all()),
        "rectifications": (rectifications := list(c.rectifications.all())),
        "corrigenda_due": [r for r in rectifications if r.corrigendum_required],
        "info_sessions": list(c.info_sessions.all()),
        "candidates": candidates,
        "has_selection": c.route in rules.SELECTION_ROUTES,
        "may_decide": rules.may_decide_candidates(c),
        "may_cancel": rules.may_cancel(c),
        "may_rectify": rules.may_rectify(c),
        "may_select_for_phase_2": rules.may_select_for_phase_2(c),
        "may_record_dialogue_session": rules.may_record_dialogue_session(c),
        "policy": time_limits.policy_for(c),
        "time_limit_notes": selectors.time_limit_notes(c),
        "is_dialogue": c.route == Route.COMPETITIVE_DIALOGUE,
        "stage_links": stage_links.links(c, request.user, request.municipality),
        **_dashboard_forms(c, bound),
    }
    return render(request, "tenders/manage.html", context, status=status)


def _submit(request, c, name, form, action, success):
    """Run `action(cleaned_data)` for a valid form; on bad input re-show the page with the errors (400)."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("tenders:manage", request.municipality.cbs_code, c.pk)
    return _dashboard(request, c, status=400, **{name: form})


# --- pages --------------------------------------------------------------------------------------------------------
@role_view(*DESIGN)
def manage_list(request, municipality):
    items = selectors.of_municipality(request.municipality).select_related("purchasing_organisation")
    may_edit_policy = has_role(request.user, [OFFICER, Role.ADMINISTRATOR], request.municipality)
    return render(request, "tenders/manage_list.html", {"commissionings": items, "may_edit_policy": may_edit_policy})


@role_view(*DESIGN)
def create(request, municipality):
    form = forms.CommissioningForm(request.POST or None, policy=time_limits.policy_for(request.municipality))
    if request.method == "POST" and form.is_valid():
        try:
            c = services.create_commissioning(request.user, municipality=request.municipality, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        except IntegrityError as exc:
            _add_integrity_error(form, exc)
        else:
            messages.success(request, _("The commissioning was created as a draft."))
            return redirect("tenders:manage", municipality, c.pk)
    status = 400 if form.errors else 200
    return render(request, "tenders/edit.html", {"form": form}, status=status)


@role_view(*DESIGN)
def edit(request, municipality, pk):
    c = _get(request, pk)
    form = forms.CommissioningForm(request.POST or None, instance=c, policy=time_limits.policy_for(c))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_commissioning(c, request.user, **{f: form.cleaned_data[f] for f in form.changed_data})
        except ValidationError as exc:
            _add_errors(form, exc)
        except IntegrityError as exc:
            _add_integrity_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("tenders:manage", municipality, c.pk)
    c.refresh_from_db()
    return render(request, "tenders/edit.html", {"form": form, "commissioning": c}, status=400 if form.errors else 200)


@role_view(*DESIGN)
def manage(request, municipality, pk):
    return _dashboard(request, _get(request, pk))


# --- design (draft) -----------------------------------------------------------------------------------------------
@require_POST
@role_view(*DESIGN)
def lot_add(request, municipality, pk):
    c = _get(request, pk)
    form = forms.LotForm(request.POST, commissioning=c)
    return _submit(
        request, c, "lot_form", form, lambda d: services.save_lot(c, request.user, **d), _("The lot was added.")
    )


@role_view(*DESIGN)
def lot_edit(request, municipality, pk, lot):
    """Change a lot's title, budget and scope: in a draft directly; once published only by a procurement officer,
    through a published rectification (with the deadline extension a budget change requires)."""
    c = _get(request, pk)
    lot = get_object_or_404(c.lots, pk=lot)
    if c.is_published and (c.phase in rules.TERMINAL or not has_role(request.user, [OFFICER], request.municipality)):
        raise PermissionDenied
    form = _lot_form(c, lot, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if c.is_published:
                services.rectify(c, request.user, **form.rectification(lot))
            else:
                services.save_lot(c, request.user, lot=lot, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            saved = _("The rectification was published.") if c.is_published else _("The lot was saved.")
            messages.success(request, saved)
            if not c.is_published and _proposals(c, form):  # show what the chosen districts propose
                return redirect("tenders:lot_edit", municipality, c.pk, lot.pk)
            return redirect("tenders:manage", municipality, c.pk)
    return _lot_page(request, c, lot, form)


def _lot_form(c, lot, data=None):
    initial = {
        "title": lot.title,
        "description": lot.description,
        "annual_budget": lot.annual_budget,
        "districts": list(lot.districts.all()),
        "target_groups": list(lot.target_groups.all()),
        "activities": list(lot.activities.all()),
        "main_cpv": lot.main_cpv,
        "additional_cpv": list(lot.additional_cpv.all()),
    }
    if c.is_published:
        deadline = c.deadlines.get(kind=rules.SUBMISSION_DEADLINE[c.route])
        return forms.LotRectificationForm(data, commissioning=c, deadline=deadline, initial=initial)
    return forms.LotForm(data, commissioning=c, initial=initial)


def _lot_page(request, c, lot, form, kpi_form=None, kpi_rectify_form=None):
    """The lot page: its form, the proposals of its districts and target groups, and its KPIs (added and removed
    here while a draft; published with the tender and frozen with it)."""
    context = {
        "commissioning": c,
        "lot": lot,
        "form": form,
        "proposed": _proposals(c, form),
        "kpis": list(lot.kpis.all()),
        "kpi_form": kpi_form or (None if c.is_published else KPIForm()),
        "kpi_rectify_form": kpi_rectify_form or (_kpi_rectify_form(c, lot) if c.is_published else None),
    }
    bad = form.errors or any(f is not None and f.errors for f in (kpi_form, kpi_rectify_form))
    return render(request, "tenders/lot_edit.html", context, status=400 if bad else 200)


def _proposals(c, form):
    """Activities the lot's districts and target groups (as submitted, else as saved) match and that are not chosen:
    shown as a proposal, never added by themselves."""
    data = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else form.initial
    return selectors.proposals(
        c, data.get("districts") or [], data.get("target_groups") or [], data.get("activities") or []
    )


def _kpi_rectify_form(c, lot):
    deadline = c.deadlines.filter(kind=rules.SUBMISSION_DEADLINE[c.route]).first()
    return KPIRectificationForm(lot=lot, deadline=deadline) if deadline else None


@require_POST
@role_view(*DESIGN)
def lot_delete(request, municipality, pk, lot):
    c = _get(request, pk)
    try:
        services.delete_lot(get_object_or_404(c.lots, pk=lot), request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("tenders:manage", municipality, c.pk)


@require_POST
@role_view(*DESIGN)
def reserve_add(request, municipality, pk):
    c = _get(request, pk)
    form = forms.ReservedLineForm(request.POST)
    return _submit(
        request,
        c,
        "reserve_form",
        form,
        lambda d: services.add_reserved_line(c, request.user, **d),
        _("The budget line was reserved."),
    )


@require_POST
@role_view(*DESIGN)
def criterion_add(request, municipality, pk):
    c = _get(request, pk)
    form = forms.CriterionForm(request.POST, commissioning=c)

    def action(d):
        services.add_criterion(
            c,
            request.user,
            title=d["title"],
            description=d["description"],
            weight=d["weight"],
            parent=d["parent"],
            anchors=form.anchors(),
            minimum_score=d.get("minimum_score"),
        )

    return _submit(request, c, "criterion_form", form, action, _("The criterion was added."))


@require_POST
@role_view(*DESIGN)
def criterion_minimum(request, municipality, pk):
    c = _get(request, pk)
    form = forms.CriterionMinimumForm(request.POST, commissioning=c)
    return _submit(
        request,
        c,
        "minimum_form",
        form,
        lambda d: services.set_criterion_minimum(d["criterion"], request.user, d["minimum_score"]),
        _("The minimum score was saved."),
    )


@require_POST
@role_view(*DESIGN)
def criterion_library_add(request, municipality, pk):
    c = _get(request, pk)
    form = forms.LibraryCriterionForm(request.POST)
    return _submit(
        request,
        c,
        "library_form",
        form,
        lambda d: services.add_library_criterion(c, request.user, d["item"], d["weight"]),
        _("The criterion was added from the library."),
    )


@require_POST
@role_view(*DESIGN)
def criterion_delete(request, municipality, pk, criterion):
    c = _get(request, pk)
    try:
        services.delete_criterion(get_object_or_404(c.criteria, pk=criterion), request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("tenders:manage", municipality, c.pk)


@require_POST
@role_view(*DESIGN)
def deadline_set(request, municipality, pk):
    c = _get(request, pk)
    form = forms.DeadlineForm(request.POST)
    return _submit(
        request,
        c,
        "deadline_form",
        form,
        lambda d: services.set_deadline(c, request.user, d["kind"], d["at"]),
        _("The deadline was set."),
    )


# --- procedure (procurement officer) ------------------------------------------------------------------------------
@require_POST
@role_view(OFFICER)
def publish(request, municipality, pk):
    c = _get(request, pk)
    try:
        services.publish(c, request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _dashboard(request, c, status=400)
    messages.success(request, _("The commissioning was published."))
    return redirect("tenders:manage", municipality, c.pk)


@require_POST
@role_view(OFFICER)
def transition(request, municipality, pk):
    c = _get(request, pk)
    to_phase = request.POST.get("phase", "")
    if to_phase not in Phase.values:
        messages.error(request, _("Unknown phase."))
        return _dashboard(request, c, status=400)
    try:
        services.transition(c, request.user, to_phase)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _dashboard(request, c, status=400)
    messages.success(request, _("The procedure moved to “%(phase)s”.") % {"phase": Phase(to_phase).label})
    return redirect("tenders:manage", municipality, c.pk)


@require_POST
@role_view(OFFICER)
def rectify(request, municipality, pk):
    c = _get(request, pk)
    form = forms.RectificationForm(request.POST, commissioning=c)
    return _submit(
        request,
        c,
        "rectify_form",
        form,
        lambda d: services.rectify(c, request.user, explanation=d["explanation"], **form.changes()),
        _("The rectification was published."),
    )


@require_POST
@role_view(OFFICER)
def answer(request, municipality, pk, question):
    c = _get(request, pk)
    q = get_object_or_404(Question, commissioning=c, pk=question)
    form = forms.AnswerForm(request.POST, prefix=f"q{q.pk}")
    if form.is_valid():
        try:
            services.answer_question(q, request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The answer was saved; publish it in the next clarifications."))
            return redirect("tenders:manage", municipality, c.pk)
    return _dashboard(request, c, status=400, **{f"answer_{q.pk}": form})


@require_POST
@role_view(OFFICER)
def clarify(request, municipality, pk):
    c = _get(request, pk)
    form = forms.ClarificationForm(request.POST)
    return _submit(
        request,
        c,
        "clarify_form",
        form,
        lambda d: services.publish_clarification(c, request.user, **d),
        _("The clarifications were published."),
    )


@require_POST
@role_view(OFFICER)
def info_session_add(request, municipality, pk):
    c = _get(request, pk)
    form = forms.InfoSessionForm(request.POST)
    return _submit(
        request,
        c,
        "info_form",
        form,
        lambda d: services.add_info_session(c, request.user, **d),
        _("The information session was added."),
    )


@role_view(OFFICER)
def cancel(request, municipality, pk):
    """Cancelling is a separate step: the officer confirms and gives the reason that is published."""
    c = _get(request, pk)
    if not rules.may_cancel(c):
        raise Http404
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel(c, request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The procedure was cancelled; the reason was published."))
            return redirect("tenders:manage", municipality, c.pk)
    context = {"commissioning": c, "form": form}
    return render(request, "tenders/cancel.html", context, status=400 if form.errors else 200)
