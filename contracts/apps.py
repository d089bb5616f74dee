from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Contracts")

    def ready(self):
        from evaluation.events import award_definitive

        from . import stage_links  # noqa: F401 (registers the links on the manage page)
        from .receivers import on_award_definitive

        award_definitive.connect(on_award_definitive, dispatch_uid="contracts.award_definitive")
