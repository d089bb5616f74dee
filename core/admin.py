"""Django admin for core models, and the audited ModelAdmin every app's admin builds on.

The admin is a superuser's emergency tool, not a work flow: ordinary writes go through each app's services.py. Admin
writes bypass those services, so `AuditedModelAdmin` appends an audit event (audit.services.record) for every add,
change and delete, inside the admin's own transaction: the change and its event commit or roll back together.
Inlines are not used, so that every write passes through save_model/delete_model.
"""

from datetime import date, datetime
from decimal import Decimal

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from audit.services import record

from .models import Job, Municipality, PurchasingOrganisation, RoleAssignment, User

ADMIN_ROLE = "superuser (admin)"


def _plain(value):
    """A JSON-able form of a form value for the audit summary (objects by primary key)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, FieldFile):
        return value.name
    if value is None or isinstance(value, str | int | float | bool | Decimal | date | datetime | dict):
        return value
    return str(value)


def _municipality_of(obj):
    """The municipality an object belongs to (directly or through its organisation or district), if any."""
    if isinstance(obj, Municipality):
        return obj
    for path in ("municipality", "organisation.municipality", "district.municipality"):
        target = obj
        for attr in path.split("."):
            target = getattr(target, attr, None)
        if target is not None:
            return target
    return None


def form_change_summary(form, change: bool) -> dict:
    """Before/after of the fields the admin form changed. Password fields are never recorded."""
    fields = [f for f in form.changed_data if "password" not in f]
    return {
        "before": {f: _plain(form.initial.get(f)) for f in fields} if change else {},
        "after": {f: _plain(form.cleaned_data.get(f)) for f in fields},
    }


class AuditedModelAdmin(admin.ModelAdmin):
    """Superusers only; every write appends an audit event `<app>.admin_<add|change|delete>`."""

    def _record(self, request, verb: str, obj, summary: dict) -> None:
        record(
            f"{obj._meta.app_label}.admin_{verb}",
            actor=request.user,
            role=ADMIN_ROLE,
            municipality=_municipality_of(obj),
            obj=obj,
            summary=summary,
        )

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            self._record(request, "change" if change else "add", obj, form_change_summary(form, change))

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._record(request, "delete", obj, {"deleted": str(obj)})  # before: afterwards obj.pk is None
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self._record(request, "delete", obj, {"deleted": str(obj)})
            super().delete_queryset(request, queryset)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(Municipality)
class MunicipalityAdmin(AuditedModelAdmin):
    list_display = ["cbs_code", "name"]
    search_fields = ["cbs_code", "name"]
    ordering = ["name"]


@admin.register(PurchasingOrganisation)
class PurchasingOrganisationAdmin(AuditedModelAdmin):
    list_display = ["name"]
    search_fields = ["name", "municipalities__name", "municipalities__cbs_code"]
    list_filter = ["municipalities"]
    autocomplete_fields = ["municipalities"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "is_active", "is_staff", "is_superuser", "last_login"]

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:  # the form was valid and the user saved
                self._record(request, "password_change", self.get_object(request, id), {"password": "changed"})
        return response


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedModelAdmin):
    list_display = ["user", "role", "municipality", "purchasing_organisation", "organisation"]
    list_filter = ["role", "municipality", "purchasing_organisation"]
    search_fields = ["user__username", "user__last_name", "organisation__name", "municipality__name"]
    list_select_related = ["user", "municipality", "purchasing_organisation", "organisation"]
    autocomplete_fields = ["user", "municipality", "purchasing_organisation", "organisation"]


@admin.register(Job)
class JobAdmin(AuditedModelAdmin):
    """Read-only: jobs are created and updated by core.jobs; deleting old ones is allowed (and audited)."""

    list_display = [
        "kind",
        "status",
        "attempts",
        "municipality",
        "created_by",
        "created_at",
        "progress_done",
        "progress_total",
    ]
    list_filter = ["status", "kind", "municipality"]
    search_fields = ["kind", "message", "created_by__username"]
    list_select_related = ["municipality", "created_by"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
