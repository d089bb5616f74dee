from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation and award")

    def ready(self):
        from bids.access import register_reader_check
        from tenders.events import procedure_changed

        from . import (
            guards,  # noqa: F401 (registers the transition guards)
            stage_links,  # noqa: F401 (registers the links on the manage and submission pages)
        )
        from .access import reader_check
        from .receivers import on_procedure_changed

        register_reader_check(reader_check)

        procedure_changed.connect(on_procedure_changed, dispatch_uid="evaluation.procedure_changed")
