"""Scenario pages: list, builder, impact with charts and tables, comparison, transition budget, exports.

Who may see what (docs/continuity.md, "Access"): municipal roles of the municipality see every scenario; a published
scenario (and its report) is public; a provider representative sees their own organisation's exposure; only a policy
advisor builds, computes, publishes and optimises.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import public_view, role_view
from core.jobs import enqueue
from core.models import Role

from . import charts, exports, selectors, services
from .forms import AssumptionsForm, FromLotsForm, LotBudgetsForm, MovesForm, ScenarioCreateForm, TransitionPlanForm
from .models import Move, Scenario, TransitionPlan

ADVISOR = Role.POLICY_ADVISOR


def _visible(request, pk) -> Scenario:
    """The scenario if the user may read it (published, or a municipal role); 404 otherwise (no existence leak)."""
    return get_object_or_404(selectors.visible_scenarios(request.user, request.municipality), pk=pk)


def _own(request, pk) -> Scenario:
    return get_object_or_404(Scenario, pk=pk, municipality=request.municipality)


def _set_form_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@public_view
def scenario_list(request, municipality):
    scenarios = selectors.visible_scenarios(request.user, request.municipality)
    represented = selectors.represented_in(request.user, request.municipality)
    return render(
        request,
        "continuity/scenario_list.html",
        {
            "scenarios": scenarios,
            "can_build": selectors.is_advisor(request.user, request.municipality),
            # A provider representative sees their own exposure in every scenario, drafts included.
            "exposure_scenarios": Scenario.objects.filter(municipality=request.municipality) if represented else [],
        },
    )


@role_view(ADVISOR)
def scenario_create(request, municipality):
    form = ScenarioCreateForm(request.POST or None, municipality=request.municipality)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            scenario = services.create_scenario(
                municipality=request.municipality, actor=request.user, role=ADVISOR, **data
            )
        except ValidationError as exc:
            _set_form_errors(form, exc)
        else:
            messages.success(request, _("Scenario created. Now choose what happens to which activities."))
            return redirect("continuity:moves", municipality, scenario.pk)
    return render(request, "continuity/scenario_form.html", {"form": form, "title": _("New scenario")})


@role_view(ADVISOR)
def scenario_edit(request, municipality, pk):
    scenario = _own(request, pk)
    form = AssumptionsForm(request.POST or None, instance=Scenario.objects.get(pk=scenario.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_scenario(scenario, actor=request.user, role=ADVISOR, **form.cleaned_data)
        except ValidationError as exc:
            _set_form_errors(form, exc)
        else:
            messages.success(request, _("Assumptions saved. Compute the impact again to see the new figures."))
            return redirect("continuity:scenario", municipality, scenario.pk)
    return render(
        request, "continuity/scenario_form.html", {"form": form, "scenario": scenario, "title": _("Assumptions")}
    )


@role_view(ADVISOR)
def scenario_moves(request, municipality, pk):
    scenario = _own(request, pk)
    form = MovesForm(request.POST or None, municipality=request.municipality)
    if request.method == "POST" and form.is_valid():
        ids = [a.pk for a in form.cleaned_data["activities"]]
        outcome = form.cleaned_data["outcome"]
        try:
            if outcome:
                services.set_moves(
                    scenario,
                    [(i, outcome, form.cleaned_data["lot"], form.cleaned_data["winner"]) for i in ids],
                    actor=request.user,
                    role=ADVISOR,
                )
            else:
                services.clear_moves(scenario, ids, actor=request.user, role=ADVISOR)
        except ValidationError as exc:
            _set_form_errors(form, exc)
        else:
            messages.success(request, _("%(n)d activities updated.") % {"n": len(ids)})
            return redirect("continuity:moves", municipality, scenario.pk)
    moves = {m.activity_id: m for m in Move.objects.filter(scenario=scenario)}
    rows = [(a, moves.get(a.pk)) for a in form.fields["activities"].queryset.prefetch_related("districts")]
    lots_form = FromLotsForm(municipality=request.municipality)
    return render(
        request,
        "continuity/moves.html",
        {
            "form": form,
            "scenario": scenario,
            "rows": rows,
            "lots_form": lots_form,
            "budgets_form": LotBudgetsForm(lots=_lots(scenario)),
        },
    )


def _lots(scenario):
    names = sorted({m.lot for m in Move.objects.filter(scenario=scenario).exclude(lot="")})
    budgets = dict(scenario.lot_budgets.values_list("lot", "annual_budget"))
    return [(name, budgets.get(name)) for name in names]


@require_POST
@role_view(ADVISOR)
def scenario_lot_budgets(request, municipality, pk):
    """The budget per year of each lot of the scenario (what the municipality pays for its activities afterwards)."""
    scenario = _own(request, pk)
    form = LotBudgetsForm(request.POST, lots=_lots(scenario))
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("continuity:moves", municipality, scenario.pk)
    services.set_lot_budgets(scenario, form.budgets(), actor=request.user, role=ADVISOR)
    messages.success(request, _("The lot budgets were saved."))
    return redirect("continuity:moves", municipality, scenario.pk)


@require_POST
@role_view(ADVISOR)
def scenario_from_lots(request, municipality, pk):
    """Adapter to the tenders app: the activities in each lot's scope move to the lot's winner."""
    scenario = _own(request, pk)
    form = FromLotsForm(request.POST, municipality=request.municipality)
    if form.is_valid():
        try:
            n = services.moves_from_lots(scenario, form.cleaned_data["commissioning"], actor=request.user, role=ADVISOR)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(n)d activities updated.") % {"n": n})
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("continuity:moves", municipality, scenario.pk)


@require_POST
@role_view(ADVISOR)
def scenario_compute(request, municipality, pk):
    scenario = _own(request, pk)
    job = enqueue(
        "continuity.impact",
        params={"scenario_id": scenario.pk, "role": ADVISOR},
        user=request.user,
        municipality=request.municipality,
    )
    return render(request, "continuity/job.html", {"job": job, "scenario": scenario})


@require_POST
@role_view(ADVISOR)
def scenario_publish(request, municipality, pk):
    scenario = _own(request, pk)
    publish = request.POST.get("published") == "1"
    try:
        services.set_published(scenario, publish, actor=request.user, role=ADVISOR)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The scenario is published.") if publish else _("The scenario is withdrawn."))
    return redirect("continuity:scenario", municipality, scenario.pk)


@public_view
def scenario_detail(request, municipality, pk):
    scenario = _visible(request, pk)
    data = scenario.impact
    h = data.get("horizon", {})
    return render(
        request,
        "continuity/scenario_detail.html",
        {
            "scenario": scenario,
            "impact": data,
            "headlines": selectors.headline_rows([data]) if data else [],
            "headline_names": [scenario.name],
            "horizon_rows": list(
                zip(
                    h.get("years", []),
                    h.get("relationship_age_status_quo", []),
                    h.get("relationship_age", []),
                    h.get("cumulative_funding_stopped", []),
                    h.get("cumulative_funding_moved", []),
                    strict=True,
                )
            ),
            "affected": sorted(
                (o for o in data.get("organisations", []) if o["funding_lost"] > 0), key=lambda o: -o["funding_lost"]
            ),
            "charts": charts.scenario_charts(data) if data else {},
            "can_edit": selectors.is_advisor(request.user, request.municipality),
            "plans": scenario.transition_plans.all()[:10],
            "others": selectors.visible_scenarios(request.user, request.municipality).exclude(pk=scenario.pk),
            "moves_count": scenario.moves.count(),
            "assumed_winners": scenario.moves.filter(
                Q(winner__startswith="Winnaar perceel ") | Q(winner__startswith="Winner of lot ")
            ).exists(),
        },
    )


@public_view
def scenario_compare(request, municipality):
    ids = [int(i) for i in request.GET.getlist("s") if i.isdigit()][:4]
    visible = selectors.visible_scenarios(request.user, request.municipality).filter(pk__in=ids)
    scenarios = sorted((s for s in visible if s.impact), key=lambda s: ids.index(s.pk))
    if len(scenarios) < 2:
        messages.error(request, _("Choose at least two computed scenarios to compare."))
        return redirect("continuity:list", municipality)
    comparison = selectors.compare(scenarios)
    return render(
        request,
        "continuity/compare.html",
        {
            "comparison": comparison,
            "scenarios": scenarios,
            "names": [s.name for s in scenarios],
            "chart": charts.comparison_chart(scenarios),
            "district_rows": selectors.district_rows(scenarios),
        },
    )


@role_view(Role.PROVIDER_REPRESENTATIVE)
def scenario_exposure(request, municipality, pk):
    """A provider representative sees what a scenario means for their own organisation, and nothing else."""
    scenario = _own(request, pk)
    ids = selectors.represented_in(request.user, request.municipality)
    if not ids:
        raise Http404
    return render(
        request,
        "continuity/exposure.html",
        {"scenario": scenario, "exposure": selectors.exposure(scenario, ids)},
    )


@role_view(ADVISOR)
def plan_create(request, municipality, pk):
    scenario = _own(request, pk)
    form = TransitionPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {
            k: (str(v) if k in ("budget", "max_per_organisation") and v is not None else v)
            for k, v in form.cleaned_data.items()
        }
        job = enqueue(
            "continuity.optimise",
            params={"scenario_id": scenario.pk, "fields": fields, "role": ADVISOR},
            user=request.user,
            municipality=request.municipality,
        )
        return render(request, "continuity/job.html", {"job": job, "scenario": scenario})
    return render(request, "continuity/plan_form.html", {"form": form, "scenario": scenario})


@public_view
def plan_detail(request, municipality, pk, plan_pk):
    scenario = _visible(request, pk)
    plan = get_object_or_404(TransitionPlan, pk=plan_pk, scenario=scenario)
    r = plan.result
    rules = []
    if r.get("optimal"):
        rules = [
            (_("Optimised"), r["optimal"]),
            (_("First come, first served"), r["comparison"]["first_come_first_served"]),
            (_("Equal cut for everyone"), r["comparison"]["proportional_cut"]),
        ]
    return render(request, "continuity/plan_detail.html", {"scenario": scenario, "plan": plan, "r": r, "rules": rules})


def _require_impact(scenario):
    if not scenario.impact:
        raise Http404(_("The impact of this scenario has not been computed yet."))


@public_view
def report_pdf(request, municipality, pk):
    scenario = _visible(request, pk)
    _require_impact(scenario)
    response = HttpResponse(exports.pdf(scenario), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{exports.filename(scenario, "pdf")}"'
    return response


@public_view
def report_xlsx(request, municipality, pk):
    scenario = _visible(request, pk)
    _require_impact(scenario)
    response = HttpResponse(
        exports.xlsx(scenario), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(scenario, "xlsx")}"'
    return response
