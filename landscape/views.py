"""Public pages of the landscape registry (like a municipal grant register: no login needed).

Thin views: the figures come from selectors (aggregated in the database), the filters from landscape.filters.
Bad filter input is shown next to the field in Dutch with status 400, never as a 500 or a silently empty list.
"""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from core.access import public_view
from core.page_cache import cached_public

from . import selectors
from .filters import ActivityFilter, OrganisationFilter
from .models import Organisation

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


@cached_public
@public_view
def organisation_list(request, municipality):
    year = selectors.latest_year(request.municipality)
    filterset = OrganisationFilter(
        request.GET, queryset=selectors.organisations(request.municipality, year), request=request
    )
    return _filtered_list(request, filterset, "landscape/organisation_list.html", {"year": year})


@cached_public
@public_view
def organisation_detail(request, municipality, pk):
    organisation = get_object_or_404(Organisation, pk=pk, municipality=request.municipality)
    return render(
        request,
        "landscape/organisation_detail.html",
        {"organisation": organisation, **selectors.organisation_profile(organisation)},
    )


@cached_public
@public_view
def activity_list(request, municipality):
    filterset = ActivityFilter(request.GET, queryset=selectors.activities(request.municipality), request=request)
    return _filtered_list(request, filterset, "landscape/activity_list.html", {})


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
