"""Admin for the landscape registry: superusers only, every write audited (core.admin.AuditedModelAdmin).

Imports and the UI write through landscape.services; the admin is for corrections by a superuser.
"""

from django.contrib import admin

from core.admin import AuditedModelAdmin

from .models import Activity, District, Funding, Neighbourhood, Organisation, TargetGroup


@admin.register(District)
class DistrictAdmin(AuditedModelAdmin):
    list_display = ["cbs_code", "name", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["cbs_code", "name"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(AuditedModelAdmin):
    list_display = ["cbs_code", "name", "district"]
    list_filter = ["district__municipality"]
    search_fields = ["cbs_code", "name", "district__name"]
    list_select_related = ["district"]
    autocomplete_fields = ["district"]


@admin.register(TargetGroup)
class TargetGroupAdmin(AuditedModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = [
        "name",
        "municipality",
        "kind",
        "kvk_number",
        "volunteers",
        "paid_staff_fte",
        "first_funded_year",
        "needs_review",
    ]
    list_filter = ["municipality", "needs_review", "kind", "legal_form"]
    search_fields = ["name", "kvk_number", "description"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]


@admin.register(Activity)
class ActivityAdmin(AuditedModelAdmin):
    list_display = ["title", "organisation", "reach", "volunteer_hours", "preventive", "since_year"]
    list_filter = ["organisation__municipality", "preventive", "target_groups"]
    search_fields = ["title", "description", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation", "districts", "target_groups"]


@admin.register(Funding)
class FundingAdmin(AuditedModelAdmin):
    list_display = ["organisation", "year", "kind", "source_name", "amount_granted", "conditional", "municipality"]
    list_filter = ["municipality", "year", "kind", "conditional"]
    search_fields = ["organisation__name", "source_name", "description", "policy_area"]
    list_select_related = ["organisation", "municipality"]
    autocomplete_fields = ["municipality", "organisation", "activity"]
