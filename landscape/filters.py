"""Filters of the landscape lists, shared by the HTML pages (GET forms) and the public API.

The HTML pages take the municipality from the URL; the API adds a `municipality` filter (a CBS code). An unknown code
or a value outside the choices is a field-level error (400), never a silently empty list.
"""

import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.models import Municipality

from .models import Activity, District, Funding, Organisation, TargetGroup

YES_NO = forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))])


def _districts(request):
    """District choices: those of the municipality of the page, or all of them (the API)."""
    municipality = getattr(request, "municipality", None)
    qs = District.objects.order_by("name")
    return qs.filter(municipality=municipality) if municipality else qs


def _district_filter(**kwargs):
    return filters.ModelChoiceFilter(
        label=_("District"), queryset=_districts, to_field_name="cbs_code", empty_label=_("All"), **kwargs
    )


def _target_group_filter(**kwargs):
    return filters.ModelChoiceFilter(
        label=_("Target group"),
        queryset=TargetGroup.objects.all(),
        to_field_name="code",
        empty_label=_("All"),
        **kwargs,
    )


# Ids are whole numbers a database key can hold: "1.8e43" or "1.5" is a 400 with a message, not an OverflowError.
MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1900, "maximum": 2200})
class YearFilter(IdFilter):
    pass


def _search_filter():
    return filters.CharFilter(label=_("Search"), method="filter_search", max_length=200)


def municipality_filter(field_name: str):
    return filters.ModelChoiceFilter(
        label=_("Municipality (CBS code, e.g. GM0546)"),
        field_name=field_name,
        queryset=Municipality.objects.all(),
        to_field_name="cbs_code",
        error_messages={"invalid_choice": _("Unknown municipality code: %(value)s.")},
    )


class StyledFilterSet(filters.FilterSet):
    """A FilterSet whose form fields carry the NL Design System (Utrecht) classes for the GET forms."""

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            css = (
                "utrecht-select utrecht-select--html-select"
                if isinstance(field.widget, forms.Select)
                else ("utrecht-textbox utrecht-textbox--html-input")
            )
            field.widget.attrs.setdefault("class", css)
        return form


class OrganisationFilter(StyledFilterSet):
    q = _search_filter()
    kind = filters.ChoiceFilter(label=_("Kind"), choices=Organisation.Kind.choices, empty_label=_("All"))
    district = _district_filter(method="filter_district")
    target_group = _target_group_filter(method="filter_target_group")
    preventive = filters.BooleanFilter(label=_("Has preventive activities"), widget=YES_NO, method="filter_preventive")
    needs_review = filters.BooleanFilter(label=_("To be checked"), widget=YES_NO)

    class Meta:
        model = Organisation
        fields: list = []

    def _with_activity(self, queryset, **lookups):
        # Exists instead of a join: no duplicate rows, and the per-organisation sums stay correct.
        return queryset.filter(Exists(Activity.objects.filter(organisation=OuterRef("pk"), **lookups)))

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))

    @extend_schema_field(OpenApiTypes.STR)  # a CBS district code
    def filter_district(self, queryset, name, value):
        return self._with_activity(queryset, districts=value)

    @extend_schema_field(OpenApiTypes.STR)  # a target group code
    def filter_target_group(self, queryset, name, value):
        return self._with_activity(queryset, target_groups=value)

    def filter_preventive(self, queryset, name, value):
        has = Exists(Activity.objects.filter(organisation=OuterRef("pk"), preventive=True))
        return queryset.filter(has if value else ~has)


class ActivityFilter(StyledFilterSet):
    q = _search_filter()
    organisation_kind = filters.ChoiceFilter(
        label=_("Kind of organisation"),
        field_name="organisation__kind",
        choices=Organisation.Kind.choices,
        empty_label=_("All"),
    )
    # One value per filter: joining the many-to-many table cannot duplicate rows.
    district = _district_filter(field_name="districts")
    target_group = _target_group_filter(field_name="target_groups")
    preventive = filters.BooleanFilter(label=_("Preventive"), widget=YES_NO)

    class Meta:
        model = Activity
        fields: list = []

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


# --- API only ------------------------------------------------------------------------------------------------------


class OrganisationApiFilter(OrganisationFilter):
    municipality = municipality_filter("municipality")


class ActivityApiFilter(ActivityFilter):
    municipality = municipality_filter("organisation__municipality")
    organisation = IdFilter(label=_("Organisation (id)"), field_name="organisation_id")


class DistrictApiFilter(filters.FilterSet):
    municipality = municipality_filter("municipality")

    class Meta:
        model = District
        fields: list = []


class FundingApiFilter(filters.FilterSet):
    municipality = municipality_filter("municipality")
    year = YearFilter(label=_("Year"), min_value=1900, max_value=2200)
    kind = filters.ChoiceFilter(label=_("Kind"), choices=Funding.Kind.choices)
    conditional = filters.BooleanFilter(label=_("Conditional on municipal funding"))
    organisation = IdFilter(label=_("Organisation (id)"), field_name="organisation_id")

    class Meta:
        model = Funding
        fields: list = []
