from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandscapeConfig(AppConfig):
    name = "landscape"
    verbose_name = _("Landscape registry")

    def ready(self):
        from . import jobs  # noqa: F401  (registers the background import jobs)
