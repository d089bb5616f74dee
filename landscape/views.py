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
from core.page_cache import cached_public

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


@cached_public
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


def _sorted(request, filterset, columns, tiebreak=("name", "pk")):
    """A filtered list sorted as the query string asks: (queryset, or None for invalid filters; headers; sort form)."""
    valid = filterset.is_valid()
    queryset = filterset.qs if valid else filterset.queryset.none()
    queryset, headers, sort_form = sorting.sort(queryset, columns, request, tiebreak=tiebreak)
    return (queryset if valid else None), headers, sort_form


def _render_sorted(request, template, filterset, columns, tiebreak=("name", "pk"), **context):
    queryset, headers, sort_form = _sorted(request, filterset, columns, tiebreak)
    status = 200 if queryset is not None and sort_form.is_valid() else 400
    return render(
        request,
        template,
        {
            **context,
            "filter": filterset,
            "page": _page(request, queryset) if queryset is not None else None,
            "headers": headers,
            "sort_form": sort_form,
            "export_query": request.GET.urlencode(),
        },
        status=status,
    )


def _export(request, fmt, filterset, columns, row, name, title, tiebreak=("name", "pk")):
    """The list as on the page (same filters and order, all pages) as CSV or XLSX; bad filters: the page, 400."""
    if fmt not in exports.FORMATS:
        raise Http404
    queryset, headers, _sort_form = _sorted(request, filterset, columns, tiebreak)
    if queryset is None:
        return None
    rows = (row(item) for item in queryset)
    titles = [str(h["label"]) for h in headers]
    return exports.table_response(fmt, f"{request.municipality.cbs_code}-{name}", title, titles, rows)


def _organisation_filter(request):
    year = selectors.latest_year(request.municipality)
    queryset = selectors.organisations(request.municipality, year)
    return OrganisationFilter(request.GET, queryset=queryset, request=request), year


@cached_public
@public_view
def organisation_list(request, municipality):
    filterset, year = _organisation_filter(request)
    return _render_sorted(
        request, "landscape/organisation_list.html", filterset, _organisation_columns(year), year=year
    )


@public_view
def organisation_export(request, municipality, fmt):
    filterset, year = _organisation_filter(request)

    def row(o):
        cells = [o.name, o.get_kind_display(), o.volunteers, o.paid_staff_fte, o.activity_count, o.reach]
        return cells + ([o.grant] if year else [])

    columns = _organisation_columns(year)
    response = _export(request, fmt, filterset, columns, row, "organisaties", gettext("Organisations"))
    return response or organisation_list(request, municipality=municipality)


@cached_public
@public_view
def organisation_detail(request, municipality, pk):
    organisation = get_object_or_404(Organisation, pk=pk, municipality=request.municipality)
    return render(
        request,
        "landscape/organisation_detail.html",
        {"organisation": organisation, **selectors.organisation_profile(organisation)},
    )


ACTIVITY_COLUMNS = [
    Column("titel", _("Activity"), "title"),
    Column("organisatie", _("Organisation"), "organisation__name"),
    Column("wijken", _("Districts"), None),
    Column("doelgroepen", _("Target groups"), None),
    Column("bereik", _("Participants per year"), "reach", numeric=True),
    Column("vrijwilligersuren", _("Volunteer hours per year"), "volunteer_hours", numeric=True),
    Column("preventief", _("Preventive"), "preventive"),
    Column("sinds", _("Since"), "since_year", numeric=True),
]


ACTIVITY_TIEBREAK = ("title", "pk")


def _activity_filter(request):
    return ActivityFilter(request.GET, queryset=selectors.activities(request.municipality), request=request)


@cached_public
@public_view
def activity_list(request, municipality):
    filterset = _activity_filter(request)
    return _render_sorted(request, "landscape/activity_list.html", filterset, ACTIVITY_COLUMNS, ACTIVITY_TIEBREAK)


@public_view
def activity_export(request, municipality, fmt):
    def row(a):
        return [
            a.title,
            a.organisation.name,
            ", ".join(d.name for d in a.districts.all()),
            ", ".join(g.name for g in a.target_groups.all()),
            a.reach,
            a.volunteer_hours,
            gettext("Yes") if a.preventive else gettext("No"),
            a.since_year,
        ]

    filterset = _activity_filter(request)
    title = gettext("Activities")
    response = _export(request, fmt, filterset, ACTIVITY_COLUMNS, row, "activiteiten", title, ACTIVITY_TIEBREAK)
    return response or activity_list(request, municipality=municipality)


@cached_public
@public_view
def district_table(request, municipality):
    districts = selectors.per_district(request.municipality)
    target_groups, coverage = selectors.target_group_coverage(request.municipality, districts)
    return render(
        request,
        "landscape/district_table.html",
        {"districts": districts, "target_groups": target_groups, "coverage": coverage},
    )
