"""Selecting candidates and running the dialogue (procurement officers), and the providers' side of it: asking
questions, applying, the dialogue phase. Split from views.py; the same helpers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import has_role, login_view, represented_organisation_ids, role_view
from landscape.models import Organisation

from . import forms, intake, rules, selectors, services
from .models import Route
from .views import DESIGN, OFFICER, _add_errors, _dashboard, _get, _submit


@require_POST
@role_view(OFFICER)
def candidate_decide(request, municipality, pk, candidate):
    c = _get(request, pk)
    candidate = get_object_or_404(c.candidates, pk=candidate)
    form = forms.DecisionForm(request.POST, prefix=f"cand{candidate.pk}")
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.decide_candidate(
                candidate, request.user, admit=d["decision"] == "admit", reasons=d["reasons"], score=d["score"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The decision on %(name)s was saved.") % {"name": candidate.name})
            return redirect("tenders:manage", municipality, c.pk)
    return _dashboard(request, c, status=400, **{f"decide_{candidate.pk}": form})


@require_POST
@role_view(OFFICER)
def dialogue_select(request, municipality, pk):
    c = _get(request, pk)
    form = forms.SelectForm(request.POST, commissioning=c)
    return _submit(
        request,
        c,
        "select_form",
        form,
        lambda d: services.select_for_phase_2(
            c, request.user, d["participants"], scores=form.scores(), reasons=form.reasons()
        ),
        _("The participants for dialogue phase 2 were selected."),
    )


@require_POST
@role_view(OFFICER)
def dialogue_session_add(request, municipality, pk):
    c = _get(request, pk)
    form = forms.DialogueSessionForm(request.POST, commissioning=c)
    return _submit(
        request,
        c,
        "session_form",
        form,
        lambda d: services.record_dialogue_session(
            d["participant"], request.user, held_at=d["held_at"], minutes=d["minutes"]
        ),
        _("The minutes were saved."),
    )


# --- providers ----------------------------------------------------------------------------------------------------
@login_view
def ask(request, municipality, pk):
    c = selectors.published(request.municipality).filter(pk=pk).first()
    if c is None:
        raise Http404
    if not rules.may_ask(request.user, request.municipality, c):
        raise PermissionDenied
    form = forms.QuestionForm(request.POST or None, commissioning=c)
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_question(c, request.user, form.cleaned_data["text"], lot=form.cleaned_data["lot"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your question was received. The answer is published without your name."))
            return redirect("tenders:ask", municipality, c.pk)
    mine = c.questions.filter(asked_by=request.user).order_by("-asked_at")
    return render(
        request,
        "tenders/ask.html",
        {"commissioning": c, "form": form, "mine": mine, "open": rules.questions_open(c)},
        status=400 if form.errors else 200,
    )


@login_view
def apply(request, municipality, pk):
    """Provider representatives apply as candidates in the selection stage and see their own status (and only
    their own: the list of candidates is for the municipality)."""
    c = selectors.published(request.municipality).filter(pk=pk, route__in=rules.SELECTION_ROUTES).first()
    if c is None:
        raise Http404
    own = represented_organisation_ids(request.user)
    mine = intake.own_candidates(request.user, c).select_related("organisation")
    if not own and not mine.exists():
        raise PermissionDenied
    # The organisations that may still apply: those the user represents that have not applied yet.
    applied = c.candidates.filter(organisation__isnull=False).values("organisation")
    organisations = Organisation.objects.filter(pk__in=own).exclude(pk__in=applied)
    form = forms.ApplyForm(request.POST or None, organisations=organisations.order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_as_candidate(c, request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your application was received."))
            return redirect("tenders:apply", municipality, c.pk)
    context = {
        "commissioning": c,
        "form": form,
        "open": rules.applications_open(c),
        # Requests received sealed (bids, ADR 0011): the candidates come from the opening, not from this form.
        "sealed": intake.sealed_requests(c),
        "may_apply": organisations.exists(),
        "deadline": c.deadlines.filter(kind="requests").first(),
        "mine": mine,
    }
    return render(request, "tenders/apply.html", context, status=400 if form.errors else 200)


@login_view
def dialogue(request, municipality, pk):
    """Dialogue minutes: each participant sees only its own sessions; the municipality sees all."""
    c = selectors.published(request.municipality).filter(pk=pk, route=Route.COMPETITIVE_DIALOGUE).first()
    if c is None:
        raise Http404
    sessions = selectors.visible_dialogue_sessions(request.user, c)
    is_staff = has_role(request.user, DESIGN, request.municipality)
    takes_part = intake.own_candidates(request.user, c).filter(status="admitted").exists()
    if not is_staff and not takes_part:
        raise PermissionDenied
    return render(request, "tenders/dialogue.html", {"commissioning": c, "sessions": sessions})
