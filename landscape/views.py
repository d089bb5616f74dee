"""Public pages of the landscape registry (like a municipal grant register: no login needed).

Thin views: the figures come from selectors (aggregated in the database), the filters from landscape.filters.
Bad filter input is shown next to the field in Dutch with status 400, never as a 500 or a silently empty list.
"""

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access import public_view

from . import exports, selectors, sorting
from .filters import ActivityFilter, OrganisationFilter
from .models import Organisation
from .sorting import Column

PAGE_SIZE = 25


class YearForm(forms.Form):
    jaar = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)

    def __init__(self, data, years):
        super().__init__(data)
        self.fields["jaar"].choices = [(y, y) for y in years]
        self.fields["jaar"].error_messages["invalid_choice"] = _("There are no funding figures for year %(value)s.")


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("pagina"))


def _filtered_list(request, filterset, template, context):
    """Render a filtered, paginated list; invalid filters → the form with its errors and status 400."""
    if not filterset.is_valid():
        return render(request, template, {**context, "filter": filterset, "page": None}, status=400)
    return render(request, template, {**context, "filter": filterset, "page": _page(request, filterset.qs)})


@public_view
def overview(request, municipality):
    """Landscape overview of one municipality: totals (money for a chosen year, default the latest), per district."""
    years = selectors.funding_years(request.municipality)
    form = YearForm(request.GET, years)
    if not form.is_valid():
        status, year = 400, None
    else:
        status, year = 200, form.cleaned_data["jaar"] or (years[0] if years else None)
    return render(
        request,
        "landscape/overview.html",
        {
            "form": form,
            "years": years,
            "totals": selectors.totals(request.municipality, year) if status == 200 else None,
            "districts": selectors.per_district(request.municipality),
        },
        status=status,
    )


def _organisation_columns(year):
    columns = [
        Column("naam", _("Organisation"), "name"),
        Column("soort", _("Kind"), sorting.choice_label_order("kind", Organisation.Kind.choices)),
        Column("vrijwilligers", _("Volunteers"), "volunteers", numeric=True),
        Column("fte", _("Paid staff (FTE)"), "paid_staff_fte", numeric=True),
        Column("activiteiten", _("Activities"), "activity_count", numeric=True),
        Column("bereik", _("Participants per year"), "reach", numeric=True),
    ]
    if year:
        label = gettext("Municipal grant %(year)s") % {"year": year}
        columns.append(Column("subsidie", label, "grant", numeric=True))
    return columns


def _organisations(request):
    """The organisation list as filtered and sorted by the query string: (filterset, sorted queryset or None,
    headers, sort form, year)."""
    year = selectors.latest_year(request.municipality)
    filterset = OrganisationFilter(
        request.GET, queryset=selectors.organisations(request.municipality, year), request=request
    )
    columns = _organisation_columns(year)
    queryset = filterset.qs if filterset.is_valid() else None
    queryset, headers, sort_form = sorting.sort(
        queryset if queryset is not None else Organisation.objects.none(), columns, request
    )
    return filterset, (queryset if filterset.is_valid() else None), headers, sort_form, year


@public_view
def organisation_list(request, municipality):
    filterset, queryset, headers, sort_form, year = _organisations(request)
    status = 200 if queryset is not None and sort_form.is_valid() else 400
    return render(
        request,
        "landscape/organisation_list.html",
        {
            "filter": filterset,
            "page": _page(request, queryset) if queryset is not None else None,
            "year": year,
            "headers": headers,
            "sort_form": sort_form,
            "export_query": request.GET.urlencode(),
        },
        status=status,
    )


@public_view
def organisation_export(request, municipality, fmt):
    """The organisation list as on the page (same filters and order, all pages) as CSV or XLSX."""
    if fmt not in exports.FORMATS:
        raise Http404
    filterset, queryset, headers, sort_form, year = _organisations(request)
    if queryset is None:
        return organisation_list(request, municipality=municipality)
    rows = (
        [
            o.name,
            o.get_kind_display(),
            o.volunteers,
            o.paid_staff_fte,
            o.activity_count,
            o.reach,
            *([o.grant] if year else []),
        ]
        for o in queryset
    )
    titles = [str(h["label"]) for h in headers]
    name = f"{request.municipality.cbs_code}-organisaties"
    return exports.table_response(fmt, name, gettext("Organisations"), titles, rows)


@public_view
def organisation_detail(request, municipality, pk):
    organisation = get_object_or_404(Organisation, pk=pk, municipality=request.municipality)
    return render(
        request,
        "landscape/organisation_detail.html",
        {"organisation": organisation, **selectors.organisation_profile(organisation)},
    )


@public_view
def activity_list(request, municipality):
    filterset = ActivityFilter(request.GET, queryset=selectors.activities(request.municipality), request=request)
    return _filtered_list(request, filterset, "landscape/activity_list.html", {})


@public_view
def district_table(request, municipality):
    districts = selectors.per_district(request.municipality)
    target_groups, coverage = selectors.target_group_coverage(request.municipality, districts)
    return render(
        request,
        "landscape/district_table.html",
        {"districts": districts, "target_groups": target_groups, "coverage": coverage},
    )
