from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BidsConfig(AppConfig):
    name = "bids"
    verbose_name = _("Bids")

    def ready(self):
        from . import (
            checks,  # noqa: F401 (registers the deployment checks)
            guards,
            intake,  # noqa: F401 (tells tenders that requests to participate are received sealed)
            opening_rules,  # noqa: F401  (registers the "open first" guards of the procedure)
            receivers,
            recipients,  # noqa: F401 (registers the cancellation recipients)
            stage_links,  # noqa: F401 (registers the links on the manage page)
        )

        receivers.connect()
        guards.register()
