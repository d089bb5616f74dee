"""The contract notice: recording its TenderNed and TED identifiers and the moment it was dispatched. Under the
European and light regimes the commissioning may only be published here once the dispatch is recorded (Directive
2014/24/EU art. 52; tenders.regime.notice_errors), and the dispatch date decides which thresholds apply."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules, time_limits
from ._common import _audit, _aware, _lock

TENDERNED_ID = re.compile(r"^\d{4,12}$")  # a TenderNed publication number, e.g. 412345
TED_ID = re.compile(r"^\d{1,8}-\d{4}$")  # a TED notice publication number, e.g. 123456-2026


def _identifier_errors(tenderned_id: str, ted_id: str) -> dict:
    errors = {}
    if not tenderned_id and not ted_id:
        errors["tenderned_id"] = _("Give the TenderNed publication number or the TED notice number.")
    if tenderned_id and not TENDERNED_ID.match(tenderned_id):
        errors["tenderned_id"] = _("A TenderNed publication number consists of digits only, for example 412345.")
    if ted_id and not TED_ID.match(ted_id):
        errors["ted_id"] = _("A TED notice number looks like 123456-2026 (number, hyphen, year).")
    return errors


def _period_errors(c, dispatched_at, now) -> list[str]:
    """Once published, the periods count from the recorded dispatch (tenders.regime.dispatch_moment): a corrected
    dispatch may not leave a deadline still ahead shorter than its minimum period; extend it by a rectification
    first. Deadlines that have passed are history and are not checked again."""
    deadlines = {d.kind: d.at for d in c.deadlines.all()}
    short = [
        message
        for kind, message in time_limits.period_errors(c, dispatched_at, deadlines).items()
        if kind in deadlines and deadlines[kind] > now
    ]
    if not short:
        return []
    lead = _("Counted from this dispatch, a deadline still ahead is too short: extend it by a rectification first.")
    return [lead, *short]


@transaction.atomic
def record_notice(commissioning, user, *, dispatched_at, tenderned_id="", ted_id="", now=None):
    """Record (or correct) the notice's identifiers and its dispatch moment. The dispatch cannot lie in the future,
    and once the commissioning is published it cannot be moved after the publication (art. 52), nor to a moment
    from which a deadline still ahead is shorter than its minimum period."""
    now = now or timezone.now()
    c = _lock(commissioning)
    if c.phase in rules.TERMINAL:
        raise ValidationError(_("The procedure has ended."), code="ended")
    tenderned_id, ted_id = (tenderned_id or "").strip(), (ted_id or "").strip()
    _aware(dispatched_at, "dispatched_at")
    errors = _identifier_errors(tenderned_id, ted_id)
    if dispatched_at > now:
        errors["dispatched_at"] = _("The dispatch cannot lie in the future: record it once the notice is sent.")
    elif c.published_at and dispatched_at > c.published_at:
        errors["dispatched_at"] = _(
            "The commissioning was published before this moment; the notice must have been dispatched before the "
            "publication (Directive 2014/24/EU art. 52)."
        )
    elif c.published_at and (short := _period_errors(c, dispatched_at, now)):
        errors["dispatched_at"] = short
    if errors:
        raise ValidationError(errors)
    before = {
        "tenderned_id": c.tenderned_notice_id,
        "ted_id": c.ted_notice_id,
        "dispatched_at": c.notice_dispatched_at,
    }
    c.tenderned_notice_id, c.ted_notice_id, c.notice_dispatched_at = tenderned_id, ted_id, dispatched_at
    c.save(update_fields=["tenderned_notice_id", "ted_notice_id", "notice_dispatched_at"])
    after = {"tenderned_id": tenderned_id, "ted_id": ted_id, "dispatched_at": dispatched_at}
    _audit("tenders.notice", c, user, summary={"before": before, "after": after})
    return c
