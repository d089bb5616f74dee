from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation and award")

    def ready(self):
        from tenders.events import procedure_changed

        from . import guards  # noqa: F401 (registers the transition guards)
        from .receivers import on_procedure_changed

        procedure_changed.connect(on_procedure_changed, dispatch_uid="evaluation.procedure_changed")
