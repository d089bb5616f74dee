"""Reporting periods of a contract KPI: consecutive months, quarters, half years or years from the contract's start,
for its longest possible term. Pure date arithmetic, no database."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
# A report on a period is due within this many calendar days after the period ends (shown to both sides).
REPORT_WITHIN_DAYS = 30


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # the last day of the period, inclusive

    @property
    def due(self) -> date:
        return self.end + timedelta(days=REPORT_WITHIN_DAYS)

    def has_ended(self, today: date) -> bool:
        return today > self.end


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where that day does not exist (31 January + 1 → 28/29
    February)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year = day.year + years
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def periods(start: date | None, frequency: str, years: int) -> list[Period]:
    """Every reporting period of `years` years from `start`; counted from the start each time, so a start on the
    31st does not drift to the 28th."""
    if start is None or years <= 0:
        return []
    step = MONTHS[frequency]
    count = years * 12 // step
    return [
        Period(add_months(start, k * step), add_months(start, (k + 1) * step) - timedelta(days=1)) for k in range(count)
    ]
