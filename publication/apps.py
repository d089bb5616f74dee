from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "publication"
    verbose_name = _("Publication and open data")

    def ready(self):
        from tenders.events import procedure_changed

        from .receivers import on_procedure_changed

        procedure_changed.connect(on_procedure_changed, dispatch_uid="publication.procedure_changed")
