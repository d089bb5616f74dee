"""Reminders to contractors about reports that are due: seven days before a report on a KPI period or on a
contract year's subcontract payments is due, the day after it became overdue, and every week after that while it is
still missing. One mail per contract to everyone who acts for the organisation that led the winning bid. Sends mail,
writes nothing; run daily (`manage.py remind_contract_reports`, docs/deploy.md)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import selectors
from .models import Contract

REMIND_BEFORE_DAYS = 7
REPEAT_OVERDUE_DAYS = 7


@dataclass(frozen=True)
class Reminder:
    contract: Contract
    lines: list[str]
    recipients: list[str]


def _when(due: date, today: date) -> str | None:
    """'soon', 'overdue' or None: whether a missing report due on `due` is reminded of today."""
    if today == due - timedelta(days=REMIND_BEFORE_DAYS):
        return "soon"
    late = (today - due).days
    if late > 0 and (late - 1) % REPEAT_OVERDUE_DAYS == 0:
        return "overdue"
    return None


def _line(when: str, what: str, due: date) -> str:
    day = date_format(due, "j F Y")
    if when == "soon":
        return _("%(what)s: due by %(due)s.") % {"what": what, "due": day}
    return _("%(what)s: overdue since %(due)s.") % {"what": what, "due": day}


def due_reminders(today: date) -> list[Reminder]:
    """What to remind each contractor of today: one Reminder per contract with something to remind of."""
    contracts = (
        Contract.objects.filter(contract_start__isnull=False)
        .select_related("commissioning", "lot", "submission__lead")
        .prefetch_related(
            "kpis__measurements", "commitments__payments", "commitments__operator", "submission__lead__members__user"
        )  # fmt: skip
        .order_by("pk")
    )
    result = []
    for contract in contracts:
        lines = []
        for block in selectors.monitoring(contract, today=today):
            for row in block.rows:
                when = row.measurement is None and row.period.has_ended(today) and _when(row.period.due, today)
                if when:
                    period = f"{date_format(row.period.start, 'j F Y')} – {date_format(row.period.end, 'j F Y')}"
                    what = _("KPI “%(kpi)s”, period %(period)s") % {"kpi": block.kpi.name, "period": period}
                    lines.append(_line(when, what, row.period.due))
        for block in selectors.payments(contract, today=today):
            for row in block.rows:
                when = row.payment is None and row.period.has_ended(today) and _when(row.period.due, today)
                if when:
                    what = _("Payment to %(name)s, contract year %(year)s") % {
                        "name": block.commitment.operator.name, "year": row.year}  # fmt: skip
                    lines.append(_line(when, what, row.period.due))
        recipients = sorted({m.user.email for m in contract.submission.lead.members.all() if m.user.email})
        if lines and recipients:
            result.append(Reminder(contract, lines, recipients))
    return result


def send_reminders(today: date) -> int:
    """Mail today's reminders; returns the number of mails sent."""
    with translation.override(settings.LANGUAGE_CODE):
        mails = []
        for r in due_reminders(today):
            subject = _("Reports due for %(lot)s") % {"lot": f"{r.contract.commissioning.title} · {r.contract.lot}"}
            body = _("These reports on your contract are due or overdue:\n\n%(lines)s\n\nReport them at %(url)s") % {
                "lines": "\n".join(f"- {line}" for line in r.lines),
                "url": settings.PUBLIC_BASE_URL.rstrip("/") + reverse("contracts:report", args=[r.contract.pk]),
            }
            mails.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, r.recipients))
        if not mails:
            return 0
        return get_connection(fail_silently=False).send_messages(mails) or 0
