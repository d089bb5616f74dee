from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LandscapeConfig(AppConfig):
    name = "landscape"
    verbose_name = _("Landscape registry")

    def ready(self):
        from . import jobs  # noqa: F401  (registers the background import jobs)
        from .vocabulary import seed_target_groups

        post_migrate.connect(seed_target_groups, sender=self, dispatch_uid="landscape.seed_target_groups")
