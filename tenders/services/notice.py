"""The contract notice: recording its TenderNed and TED identifiers, the moment it was dispatched, the moment the
Publications Office confirmed its receipt and the moment TED published it. Under the European and light regimes the
commissioning may only be published here once TED has published the notice, or 48 hours after the confirmation of
receipt (Directive 2014/24/EU art. 52(1); tenders.regime.notice_errors); the dispatch date decides which thresholds
apply and the minimum periods count from it (art. 27, 28)."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .. import regime, rules, time_limits
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


def _moment_errors(dispatched_at, receipt_confirmed_at, ted_published_at, now) -> dict:
    """The confirmation of receipt and TED's publication are facts that follow the dispatch, in that order."""
    errors = {}
    if receipt_confirmed_at is not None:
        if receipt_confirmed_at > now:
            errors["receipt_confirmed_at"] = _("The confirmation of receipt cannot lie in the future.")
        elif receipt_confirmed_at < dispatched_at:
            errors["receipt_confirmed_at"] = _("The receipt cannot have been confirmed before the notice was sent.")
    if ted_published_at is not None:
        if ted_published_at > now:
            errors["ted_published_at"] = _(
                "TED's publication cannot lie in the future: record it once TED has published the notice."
            )
        elif ted_published_at < dispatched_at:
            errors["ted_published_at"] = _("TED cannot have published the notice before it was sent.")
        elif receipt_confirmed_at is not None and ted_published_at < receipt_confirmed_at:
            errors["ted_published_at"] = _(
                "TED cannot have published the notice before the Publications Office confirmed its receipt."
            )
    return errors


@transaction.atomic
def record_notice(
    commissioning,
    user,
    *,
    dispatched_at,
    tenderned_id="",
    ted_id="",
    receipt_confirmed_at=None,
    ted_published_at=None,
    now=None,
):
    """Record (or correct) the notice as a whole: its identifiers, its dispatch moment, and optionally the moment the
    Publications Office confirmed its receipt and the moment TED published it (None: not (yet) known). None of them
    can lie in the future; receipt and publication follow the dispatch, the publication follows the receipt. Once the
    commissioning is published the dispatch cannot be moved after the publication, nor to a moment from which a
    deadline still ahead is shorter than its minimum period, and the record must still allow the publication here
    at the moment it took place (art. 52(1): TED's publication, or 48 hours after the confirmation of receipt)."""
    now = now or timezone.now()
    c = _lock(commissioning)
    if c.phase in rules.TERMINAL:
        raise ValidationError(_("The procedure has ended."), code="ended")
    tenderned_id, ted_id = (tenderned_id or "").strip(), (ted_id or "").strip()
    _aware(dispatched_at, "dispatched_at")
    for name, moment in (("receipt_confirmed_at", receipt_confirmed_at), ("ted_published_at", ted_published_at)):
        if moment is not None:
            _aware(moment, name)
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
    if "dispatched_at" not in errors:
        errors |= _moment_errors(dispatched_at, receipt_confirmed_at, ted_published_at, now)
    if c.published_at and not errors:
        errors |= _published_too_early_errors(c, dispatched_at, receipt_confirmed_at, ted_published_at)
    if errors:
        raise ValidationError(errors)
    before = {
        "tenderned_id": c.tenderned_notice_id,
        "ted_id": c.ted_notice_id,
        "dispatched_at": c.notice_dispatched_at,
        "receipt_confirmed_at": c.notice_receipt_confirmed_at,
        "ted_published_at": c.notice_published_at,
    }
    c.tenderned_notice_id, c.ted_notice_id, c.notice_dispatched_at = tenderned_id, ted_id, dispatched_at
    c.notice_receipt_confirmed_at, c.notice_published_at = receipt_confirmed_at, ted_published_at
    c.save(
        update_fields=[
            "tenderned_notice_id",
            "ted_notice_id",
            "notice_dispatched_at",
            "notice_receipt_confirmed_at",
            "notice_published_at",
        ]
    )
    after = {
        "tenderned_id": tenderned_id,
        "ted_id": ted_id,
        "dispatched_at": dispatched_at,
        "receipt_confirmed_at": receipt_confirmed_at,
        "ted_published_at": ted_published_at,
    }
    _audit("tenders.notice", c, user, summary={"before": before, "after": after})
    return c


def _published_too_early_errors(c, dispatched_at, receipt_confirmed_at, ted_published_at) -> dict:
    """After the publication here, a correction may not leave a record by which that publication came before TED's
    (art. 52(1)), under a regime that requires the notice. Sets the corrected moments on the locked instance, which
    record_notice saves only when no error is found."""
    c.notice_dispatched_at = dispatched_at
    c.notice_receipt_confirmed_at, c.notice_published_at = receipt_confirmed_at, ted_published_at
    check = rules.check_threshold(c, regime.regime_date(c))
    if not regime.notice_errors(c, check, c.published_at):
        return {}
    return {
        "ted_published_at": _(
            "The commissioning was published here on %(at)s. Under this regime that was allowed only after TED had "
            "published the notice, or 48 hours after the Publications Office confirmed its receipt (Directive "
            "2014/24/EU art. 52(1)): record the moments that show this."
        )
        % {"at": date_format(timezone.localtime(c.published_at), "j F Y, H:i")}
    }
