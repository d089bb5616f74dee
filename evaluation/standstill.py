"""The standstill period (Aw 2.127): at least 20 calendar days, starting the day after the award decision is sent,
ending at 24:00 Europe/Amsterdam; when the last day is a Saturday, a Sunday or a generally recognised holiday, the
period runs to the end of the next day that is none of these (Algemene termijnenwet art. 1 and 3; the calendar is
core.termijnen, shared with the objection term of tenders' decisions)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.termijnen import (  # noqa: F401 (the calendar's names stay importable from here)
    EQUATED_DAYS,
    easter_sunday,
    extended_to_working_day,
    holidays,
    is_working_day,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
STANDSTILL_DAYS = 20


def last_day(sent_at: datetime) -> date:
    """The last calendar day of the standstill for a decision sent at `sent_at` (aware)."""
    sent_on = sent_at.astimezone(AMSTERDAM).date()
    return extended_to_working_day(sent_on + timedelta(days=STANDSTILL_DAYS))


def ends_at(sent_at: datetime) -> datetime:
    """The first moment after the standstill: 24:00 Europe/Amsterdam of its last day (= 00:00 of the next)."""
    return datetime.combine(last_day(sent_at) + timedelta(days=1), time(0, 0), tzinfo=AMSTERDAM)
