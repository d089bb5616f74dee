"""The evaluation's conditions on the procedure (ADR 0007): the procedure is awarded only when every lot has a
definitive award — after its standstill period (Aw 2.127), so no contract exists before the standstill has ended."""

from django.utils.translation import gettext as _

from tenders import guards
from tenders.models import Phase

from . import award_rules


@guards.register(Phase.EVALUATION, Phase.AWARDED)
def every_lot_definitively_awarded(commissioning, now) -> list[str]:
    missing = award_rules.lots_without_definitive_award(commissioning)
    if not missing:
        return []
    names = ", ".join(str(lot.number) for lot in missing)
    return [
        _("Lot(s) %(lots)s have no definitive award yet (after the standstill period, Aw 2.127).") % {"lots": names}
    ]
