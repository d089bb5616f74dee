from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TendersConfig(AppConfig):
    name = "tenders"
    verbose_name = _("Commissioning and tenders")

    def ready(self):
        from .seed import seed

        post_migrate.connect(seed, sender=self, dispatch_uid="tenders.seed")
