"""contracts listens to the evaluation: a definitive award makes the contract record and the procurement report
(Directive 2014/24/EU art. 84) in the same transaction."""

from . import services
from .models import ProcurementReport


def on_award_definitive(sender, *, decision, actor, **kwargs):
    services.create_from_award(decision, actor=actor)
    services.generate_report(
        decision, actor=actor, trigger=ProcurementReport.Trigger.DEFINITIVE, now=decision.definitive_at
    )
