"""The evaluation's conditions on the procedure (ADR 0007): the procedure is awarded only when every lot has a
definitive award — after its standstill period (Aw 2.127), so no contract exists before the standstill has ended.
A grant round has no standstill: it is closed once its grant decisions are taken (ADR 0010)."""

from django.utils.translation import gettext as _

from tenders import guards
from tenders.models import Phase, Route

from . import award_rules, grant_rules
from .models import GrantDecision


@guards.register(Phase.EVALUATION, Phase.AWARDED)
def every_lot_definitively_awarded(commissioning, now) -> list[str]:
    if commissioning.route == Route.GRANT_ROUND:
        # A subsidy is not a public contract: no award decision and no standstill, the grant decisions (ADR 0010).
        decided = GrantDecision.objects.filter(commissioning=commissioning).exists()
        return grant_rules.undecided_errors(commissioning, decided)
    missing = award_rules.lots_without_definitive_award(commissioning)
    if not missing:
        return []
    names = ", ".join(str(lot.number) for lot in missing)
    return [
        _("Lot(s) %(lots)s have no definitive award yet (after the standstill period, Aw 2.127).") % {"lots": names}
    ]
