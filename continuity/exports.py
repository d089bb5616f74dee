"""Council report (PDF, WeasyPrint), all figures (XLSX, openpyxl) and JSON of a computed scenario."""

import json
import logging

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exports import add_sheet, xlsx_bytes, xlsx_workbook

from . import selectors

MEASURE_LABELS = {
    "grant_before": gettext_lazy("Municipal grant (€/year)"),
    "funding_lost": gettext_lazy("Funding lost (€/year)"),
    "funding_to_winners": gettext_lazy("Moves to winners (€/year)"),
    "funding_ended": gettext_lazy("Ends (€/year)"),
    "co_funding_at_risk": gettext_lazy("Conditional co-funding at risk (€/year)"),
    "volunteers_affected": gettext_lazy("Volunteers affected"),
    "volunteer_hours_affected": gettext_lazy("Volunteer hours affected"),
    "staff_affected_fte": gettext_lazy("Paid staff affected (FTE)"),
    "staff_taken_over_fte": gettext_lazy("Staff taken over (FTE)"),
    "reach_lost": gettext_lazy("Participants lost"),
    "preventive_lost": gettext_lazy("Preventive activities lost"),
    "relationship_years_lost": gettext_lazy("Relationship-years lost"),
}

FRAGMENTATION_LABELS = {
    "funded_recipients_before": gettext_lazy("Funded organisations before"),
    "funded_recipients_after": gettext_lazy("Funded organisations after"),
    "hhi_before": gettext_lazy("Concentration of funding before (HHI)"),
    "hhi_after": gettext_lazy("Concentration of funding after (HHI)"),
    "funded_organisations_per_district_before": gettext_lazy("Funded organisations per district before (mean)"),
    "funded_organisations_per_district_after": gettext_lazy("Funded organisations per district after (mean)"),
    "covered_cells_before": gettext_lazy("Districts × target groups with an activity before"),
    "covered_cells_after": gettext_lazy("Districts × target groups with an activity after"),
    "coverage_gaps": gettext_lazy("Coverage gaps"),
    "funding_after": gettext_lazy("Municipal funding after (€/year)"),
}


def filename(scenario, ext) -> str:
    return f"{scenario.municipality.cbs_code}-{slugify(scenario.name)}.{ext}"


def as_json(scenario) -> str:
    return json.dumps(
        {
            "scenario": scenario.name,
            "kind": scenario.kind,
            "municipality": scenario.municipality.cbs_code,
            "impact": scenario.impact,
        },
        indent=2,
        ensure_ascii=False,
    )


def _sheet(wb, title, header, rows):
    # Every cell through the shared writer: text that could run as a formula is quoted, illegal characters dropped.
    return add_sheet(wb, title, header, rows)


def xlsx(scenario) -> bytes:
    data = scenario.impact
    measures = list(MEASURE_LABELS)
    labels = [MEASURE_LABELS[m] for m in measures]
    wb = xlsx_workbook()
    _sheet(
        wb,
        _("Assumptions"),
        [_("Assumption"), _("Value")],
        [(str(scenario._meta.get_field(k).verbose_name), str(v)) for k, v in scenario.assumptions().items()],
    )
    rows = selectors.headline_rows([data])
    _sheet(
        wb,
        _("Totals"),
        [_("Measure"), _("Value")],
        [(str(r["label"]), r["values"][0]) for r in rows]
        + [(str(MEASURE_LABELS[m]), data["totals"][m]) for m in measures]
        + [(k, v) for k, v in data["fragmentation"].items()],
    )
    _sheet(
        wb,
        _("Organisations"),
        [_("Organisation"), _("Kind"), _("Relationship years"), _("Share dropping out"), *labels],
        [
            (o["name"], o["kind"], o["relationship_years"], o["drops_out_share"], *(o[m] for m in measures))
            for o in data["organisations"]
        ],
    )
    _sheet(
        wb,
        _("Districts"),
        [
            _("CBS code"),
            _("District"),
            *labels,
            _("Coverage gaps"),
            _("Funded organisations before"),
            _("Funded organisations after"),
        ],
        [
            (
                d["code"],
                d["name"],
                *(d[m] for m in measures),
                d["coverage_gaps"],
                d["funded_organisations_before"],
                d["funded_organisations_after"],
            )
            for d in data["districts"]
        ],
    )
    _sheet(
        wb,
        _("Target groups"),
        [_("Target group"), *labels, _("Coverage gaps")],
        [(g["name"], *(g[m] for m in measures), g["coverage_gaps"]) for g in data["target_groups"]],
    )
    _sheet(
        wb, _("Lots"), [_("Lot"), *labels], [(lot["name"] or "—", *(lot[m] for m in measures)) for lot in data["lots"]]
    )
    _sheet(
        wb,
        _("Coverage gaps"),
        [_("CBS code"), _("District"), _("Target group")],
        [(g["district"], g["district_name"], g["target_group_name"]) for g in data["coverage_gaps"]],
    )
    _sheet(
        wb,
        _("Activities"),
        [_("Activity"), _("Organisation"), _("Outcome"), _("Lot"), _("Winner"), *labels],
        [
            (a["title"], a["organisation"], a["outcome"], a["lot"], a["winner"], *(a[m] for m in measures))
            for a in data["activities"]
        ],
    )
    h = data["horizon"]
    _sheet(
        wb,
        _("Horizon"),
        [
            _("Year"),
            _("Relationship age, status quo"),
            _("Relationship age, scenario"),
            _("Cumulative funding lost"),
            _("Cumulative volunteers affected"),
            _("Expected provider switches"),
        ],
        zip(
            h["years"],
            h["relationship_age_status_quo"],
            h["relationship_age"],
            h["cumulative_funding_lost"],
            h["cumulative_volunteers_affected"],
            h["cumulative_provider_switches"],
            strict=True,
        ),
    )
    plan = scenario.transition_plans.first()
    if plan and plan.result.get("allocation"):
        _sheet(
            wb,
            _("Transition budget"),
            [_("Activity"), _("Organisation"), _("Bridging cost"), _("Share"), _("Amount"), _("Reason")],
            [
                (a["activity"], a["organisation"], a["cost"], a["share"], a["amount"], a["reason"])
                for a in plan.result["allocation"]
            ],
        )
    return xlsx_bytes(wb)


def pdf(scenario) -> bytes:
    from weasyprint import HTML

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one line per layout step otherwise

    data = scenario.impact
    context = {
        "scenario": scenario,
        "impact": data,
        "headlines": selectors.headline_rows([data]),
        "plan": scenario.transition_plans.first(),
        "now": timezone.now(),
        "top_organisations": sorted(data["organisations"], key=lambda o: -o["funding_lost"])[:12],
        "max_district_lost": max([d["funding_lost"] for d in data["districts"]] or [0]) or 1,
    }
    html = render_to_string("continuity/report.html", context)
    return HTML(string=html).write_pdf()
