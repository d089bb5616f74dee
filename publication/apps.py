from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "publication"
    verbose_name = _("Publication and open data")

    def ready(self):
        from contracts.events import contract_created
        from evaluation.events import award_decided, award_withdrawn
        from tenders.events import procedure_changed

        from . import receivers

        procedure_changed.connect(receivers.on_procedure_changed, dispatch_uid="publication.procedure_changed")
        award_decided.connect(receivers.on_award_decided, dispatch_uid="publication.award_decided")
        award_withdrawn.connect(receivers.on_award_withdrawn, dispatch_uid="publication.award_withdrawn")
        contract_created.connect(receivers.on_contract_created, dispatch_uid="publication.contract_created")
