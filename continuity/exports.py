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
    "funding_kept": gettext_lazy("Stays with the current organisation (€/year)"),
    "funding_subcontracted": gettext_lazy("Back as a subcontract (€/year)"),
    "funding_to_winners": gettext_lazy("Moves to another organisation (€/year)"),
    "funding_ended": gettext_lazy("Municipality stops paying (€/year)"),
    "funding_lost": gettext_lazy("Current organisation no longer receives (€/year)"),
    "funding_added": gettext_lazy("Municipality adds (€/year)"),
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


# Number formats (Excel shows them with the reader's own separators: 1.234 in a Dutch Excel).
EURO, WHOLE, ONE_DECIMAL, PLAIN = '"€" #,##0', "#,##0", "#,##0.0", "General"
MEASURE_FORMATS = {
    "volunteers_affected": WHOLE,
    "volunteer_hours_affected": WHOLE,
    "staff_affected_fte": ONE_DECIMAL,
    "staff_taken_over_fte": ONE_DECIMAL,
    "reach_lost": WHOLE,
    "preventive_lost": ONE_DECIMAL,
    "relationship_years_lost": ONE_DECIMAL,
}
HEADLINE_FORMATS = {"euro": EURO, "number": WHOLE, "decimal": ONE_DECIMAL}


def _measure_format(key):
    return MEASURE_FORMATS.get(key, EURO)


def _sheet(wb, title, header, rows, formats=()):
    """A sheet through the shared writer (core.exports: formula triggers quoted, illegal characters dropped);
    `formats` gives a number format per column (None: leave as is)."""
    return add_sheet(wb, title, header, rows, formats=formats)


def _yes(flag) -> str:
    return _("yes") if flag else _("no")


def xlsx(scenario) -> bytes:
    from landscape.models import Organisation

    from .models import Outcome

    data = scenario.impact
    measures = list(MEASURE_LABELS)
    labels = [MEASURE_LABELS[m] for m in measures]
    formats = [_measure_format(m) for m in measures]
    kinds, outcomes = dict(Organisation.Kind.choices), dict(Outcome.choices)
    wb = xlsx_workbook()
    assumptions = []
    for k, v in scenario.assumptions().items():
        field = scenario._meta.get_field(k)
        shown = str(dict(field.choices)[v]) if field.choices else (float(v) if not isinstance(v, int) else v)
        assumptions.append((str(field.verbose_name), shown))
    _sheet(wb, _("Assumptions"), [_("Assumption"), _("Value")], assumptions)
    rows = selectors.headline_rows([data])
    _sheet(
        wb,
        _("Totals"),
        [_("Measure"), _("Value"), _("What it means")],
        [(str(r["label"]), r["values"][0], r["explanations"][0]) for r in rows],
        formats=[None, None],
    )
    ws = wb[str(_("Totals"))[:31]]
    for r, row in enumerate(rows, start=2):
        ws.cell(row=r, column=2).number_format = HEADLINE_FORMATS[row["format"]]
    _sheet(
        wb,
        _("Figures"),
        [_("Measure"), _("Value")],
        [(str(MEASURE_LABELS[m]), data["totals"][m]) for m in measures]
        + [(str(FRAGMENTATION_LABELS[k]), v) for k, v in data["fragmentation"].items() if k in FRAGMENTATION_LABELS],
        formats=[None, WHOLE],
    )
    _sheet(
        wb,
        _("Organisations"),
        [
            _("Organisation"),
            _("Kind"),
            _("Years funded"),
            _("Loses its whole grant"),
            _("All its activities end"),
            *labels,
        ],
        [
            (
                o["name"],
                str(kinds.get(o["kind"], o["kind"])),
                o["relationship_years"],
                _yes(o["loses_grant"]),
                _yes(o["work_ends"]),
                *(o[m] for m in measures),
            )
            for o in data["organisations"]
        ],
        formats=[None, None, WHOLE, None, None, *formats],
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
        formats=[None, None, *formats, WHOLE, WHOLE, WHOLE],
    )
    _sheet(
        wb,
        _("Target groups"),
        [_("Target group"), *labels, _("Coverage gaps")],
        [(g["name"], *(g[m] for m in measures), g["coverage_gaps"]) for g in data["target_groups"]],
        formats=[None, *formats, WHOLE],
    )
    _sheet(
        wb,
        _("Lots"),
        [
            _("Lot"),
            _("Current grants in the lot"),
            _("Lot budget"),
            _("Municipality stops paying"),
            _("Municipality adds"),
            _("Subcontracts to small organisations"),
            *labels,
        ],
        [
            (
                lot["name"] or str(_("in no lot")),
                lot.get("grants_in_scope", 0),
                lot.get("budget") if lot.get("budget") is not None else "—",
                lot.get("municipality_stops", 0),
                lot.get("municipality_adds", 0),
                lot.get("subcontracting", 0),
                *(lot[m] for m in measures),
            )
            for lot in data["lots"]
        ],
        formats=[None, EURO, EURO, EURO, EURO, EURO, *formats],
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
            (
                a["title"],
                a["organisation"],
                str(outcomes.get(a["outcome"], a["outcome"])),
                a["lot"],
                a["winner"],
                *(a[m] for m in measures),
            )
            for a in data["activities"]
        ],
        formats=[None] * 5 + formats,
    )
    h = data["horizon"]
    _sheet(
        wb,
        _("Horizon"),
        [
            _("Year"),
            _("Years of working together, status quo"),
            _("Years of working together, this scenario"),
            _("Money the municipality stops paying, cumulative"),
            _("Money that goes to another organisation, cumulative"),
            _("Times a volunteer's activity changes organisation, cumulative (summed over volunteers)"),
            _("Expected provider switches"),
        ],
        zip(
            h["years"],
            h["relationship_age_status_quo"],
            h["relationship_age"],
            h["cumulative_funding_stopped"],
            h["cumulative_funding_moved"],
            h["cumulative_volunteer_changes"],
            h["cumulative_provider_switches"],
            strict=True,
        ),
        formats=[None, ONE_DECIMAL, ONE_DECIMAL, EURO, EURO, WHOLE, ONE_DECIMAL],
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
            formats=[None, None, EURO, "0%", EURO, None],
        )
    return xlsx_bytes(wb)


# The headline figures whose sentences open the council report ("In short").
IN_SHORT = (
    "funding_to_winners",
    "funding_ended",
    "funding_added",
    "funding_subcontracted",
    "organisations_losing_grant",
    "organisations_work_ending",
    "co_funding_at_risk",
    "volunteers_affected",
    "reach_lost",
    "coverage_gaps",
    "funded_recipients_after",
    "hhi_after",
)


# Sentences left out of "In short" when their figure is zero (they describe something the scenario does not do).
ONLY_WHEN_ANY = ("funding_added", "funding_subcontracted", "organisations_work_ending")


def pdf(scenario) -> bytes:
    from weasyprint import HTML

    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one line per layout step otherwise

    from . import charts

    data = scenario.impact
    specs = charts.scenario_charts(data)
    context = {
        "scenario": scenario,
        "charts": {name: charts.svg_data_uri(spec) for name, spec in specs.items()},
        "flows": specs["flows"]["data"]["values"],
        "impact": data,
        "headlines": selectors.headline_rows([data]),
        "plan": scenario.transition_plans.first(),
        "now": timezone.now(),
        "top_organisations": sorted(data["organisations"], key=lambda o: -o["funding_lost"])[:12],
        "in_short": [
            (row["label"], row["explanations"][0])
            for row in selectors.headline_rows([data])
            if row["key"] in IN_SHORT and (row["values"][0] or row["key"] not in ONLY_WHEN_ANY)
        ],
    }
    html = render_to_string("continuity/report.html", context)
    return HTML(string=html).write_pdf()
