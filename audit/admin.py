from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the chain is append-only, so the admin can look but never add, change or delete."""

    list_display = ["seq", "timestamp", "actor_name", "role", "municipality_code", "action", "object_type", "object_id"]
    list_filter = ["action", "municipality_code"]
    search_fields = ["actor_name", "object_id", "action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
