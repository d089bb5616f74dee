from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContinuityConfig(AppConfig):
    name = "continuity"
    verbose_name = _("Continuity analysis")

    def ready(self):
        from . import jobs  # noqa: F401  (registers the background jobs)
