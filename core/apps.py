from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Municipalities and users")

    def ready(self):
        from audit import labels  # noqa: PLC0415

        from . import audit_signals  # noqa: PLC0415
        from .models import Role  # noqa: PLC0415

        labels.ROLE_LABELS.update(Role.choices)  # the audit page shows roles by their (Dutch) names
        audit_signals.connect()

        from audit.services import event_recorded

        from . import page_cache

        # Every service write records an audit event with its municipality: its public pages are stale from then on.
        event_recorded.connect(page_cache.on_event_recorded, dispatch_uid="core.page_cache")
