"""Dutch statutory time limits that end on a Saturday, a Sunday or a generally recognised holiday run to the end of
the next day that is none of these (Algemene termijnenwet art. 1 and 3): the calendar every app uses for it (the
standstill period in evaluation, the objection term of a decision in tenders).

Holidays of Algemene termijnenwet art. 3(1): New Year's Day, Easter Monday, Whit Monday, Christmas Day and Boxing
Day, Ascension Day, the day the King's birthday is celebrated (27 April, or 26 April when the 27th is a Sunday) and
5 May; art. 3(2) adds Good Friday. Days equated with them by royal decree (art. 3(3), every three years in the
Staatscourant) are data: EQUATED_DAYS; the Friday after Ascension Day, equated every year in practice, is included
as a rule, which can only lengthen a period (the safe side)."""

from datetime import date, timedelta

# Days equated with holidays by royal decree (Algemene termijnenwet art. 3(3)), added as they are published.
EQUATED_DAYS: frozenset[date] = frozenset()


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def holidays(year: int) -> dict[date, str]:
    easter = easter_sunday(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:
        kings_day = date(year, 4, 26)
    ascension = easter + timedelta(days=39)
    days = {
        date(year, 1, 1): "Nieuwjaarsdag",
        easter - timedelta(days=2): "Goede Vrijdag",
        easter + timedelta(days=1): "Tweede paasdag",
        kings_day: "Koningsdag",
        date(year, 5, 5): "Bevrijdingsdag",
        ascension: "Hemelvaartsdag",
        ascension + timedelta(days=1): "Vrijdag na Hemelvaartsdag (gelijkgesteld)",
        easter + timedelta(days=50): "Tweede pinksterdag",
        date(year, 12, 25): "Eerste kerstdag",
        date(year, 12, 26): "Tweede kerstdag",
    }
    days.update({d: "Gelijkgestelde dag" for d in EQUATED_DAYS if d.year == year and d not in days})
    return days


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


def extended_to_working_day(day: date) -> date:
    """The last day of a statutory time limit that would end on `day` (Algemene termijnenwet art. 1)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day
