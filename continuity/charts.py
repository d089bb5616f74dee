"""Vega-Lite specifications of the scenario charts. Every chart is shown with a table of the same figures beside it
(the templates render those tables from the same impact data)."""

from django.utils.translation import gettext as _


def _bar(values, x, y, color, title, x_title, y_title, offset=True):
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": title,
        "title": title,
        "width": "container",
        "height": 260,
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {"field": x, "type": "nominal", "title": x_title, "axis": {"labelAngle": -30}, "sort": None},
            "y": {"field": y, "type": "quantitative", "title": y_title},
            "color": {"field": color, "type": "nominal", "title": "", "sort": None},
        },
    }
    if color == x:  # the axis names the bars already
        spec["encoding"]["color"]["legend"] = None
    if offset:
        spec["encoding"]["xOffset"] = {"field": color}
    return spec


def scenario_charts(impact: dict) -> dict:
    before, after = _("before"), _("after")
    districts = impact.get("districts", [])
    funded = [
        v
        for d in districts
        for v in (
            {"district": d["name"], "when": before, "organisations": d["funded_organisations_before"]},
            {"district": d["name"], "when": after, "organisations": d["funded_organisations_after"]},
        )
    ]
    lost = [
        v
        for d in districts
        for v in (
            {"district": d["name"], "flow": _("moves to another organisation"), "euro": d["funding_to_winners"]},
            {"district": d["name"], "flow": _("municipality stops paying"), "euro": d["funding_ended"]},
        )
    ]
    t = impact["totals"]
    flows = [
        {"flow": _("stays with the current organisation"), "euro": t.get("funding_kept", 0)},
        {"flow": _("back as a subcontract"), "euro": t.get("funding_subcontracted", 0)},
        {"flow": _("moves to another organisation"), "euro": t["funding_to_winners"]},
        {"flow": _("municipality stops paying"), "euro": t["funding_ended"]},
        {"flow": _("municipality adds"), "euro": t.get("funding_added", 0)},
    ]
    h = impact["horizon"]
    ages = [
        v
        for i, year in enumerate(h["years"])
        for v in (
            {"year": str(year), "future": _("status quo"), "years": h["relationship_age_status_quo"][i]},
            {"year": str(year), "future": _("this scenario"), "years": h["relationship_age"][i]},
        )
    ]
    horizon = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "title": _("Average length of the relationship behind each euro (years)"),
        "description": _("Average length of the relationship behind each euro (years)"),
        "width": "container",
        "height": 240,
        "data": {"values": ages},
        "mark": {"type": "line", "point": True, "tooltip": True},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": _("Year")},
            "y": {"field": "years", "type": "quantitative", "title": _("Years")},
            "color": {"field": "future", "type": "nominal", "title": ""},
        },
    }
    return {
        "funded": _bar(
            funded,
            "district",
            "organisations",
            "when",
            _("Funded organisations per district"),
            _("District"),
            _("Organisations"),
        ),
        "lost": _bar(
            lost,
            "district",
            "euro",
            "flow",
            _("Money that moves or stops, per district (€ per year)"),
            _("District"),
            "€",
            offset=False,
        ),
        "flows": _bar(
            flows, "flow", "euro", "flow", _("Where the municipal money goes (€ per year)"), "", "€", offset=False
        ),
        "horizon": horizon,
    }


def comparison_chart(scenarios) -> dict:
    values = [
        {"scenario": s.name, "district": d["name"], "euro": d["funding_ended"]}
        for s in scenarios
        for d in s.impact.get("districts", [])
    ]
    return _bar(
        values,
        "district",
        "euro",
        "scenario",
        _("Money the municipality stops paying, per district (€ per year)"),
        _("District"),
        "€",
    )


def to_svg(spec: dict, width: int = 440) -> str:
    """The same Vega-Lite specification rendered to SVG on the server (vl-convert, offline), for the printed report:
    a fixed width instead of the page's container width, numbers in Dutch notation."""
    import vl_convert

    printed = {**spec, "width": width}
    return vl_convert.vegalite_to_svg(printed, format_locale="nl-NL")


def svg_data_uri(spec: dict, width: int = 440) -> str:
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(to_svg(spec, width).encode()).decode()
