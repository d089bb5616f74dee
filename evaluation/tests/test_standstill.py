"""The standstill period of Aw 2.127 with the Algemene termijnenwet, at the edges of days, weekends and holidays."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from evaluation import standstill

AMS = ZoneInfo("Europe/Amsterdam")
UTC = ZoneInfo("UTC")


def test_standstill_is_20_calendar_days_from_the_day_after_sending_aw_2_127():
    # Sent Tuesday 2 March 2027 at 16:00: day 1 is 3 March, day 20 is Monday 22 March; ends at 24:00 of that day.
    sent = datetime(2027, 3, 2, 16, 0, tzinfo=AMS)
    assert standstill.last_day(sent) == date(2027, 3, 22)
    assert standstill.ends_at(sent) == datetime(2027, 3, 23, 0, 0, tzinfo=AMS)


def test_standstill_counts_the_amsterdam_date_not_the_utc_date_aw_2_127():
    # 23:30 UTC on 1 March is 00:30 on 2 March in Amsterdam: the decision was sent on 2 March.
    sent = datetime(2027, 3, 1, 23, 30, tzinfo=UTC)
    assert standstill.last_day(sent) == date(2027, 3, 22)


def test_standstill_ending_on_a_saturday_runs_to_monday_algemene_termijnenwet_art_1():
    friday = datetime(2027, 2, 27, 10, 0, tzinfo=AMS)  # +20 = Friday 19 March: a working day
    assert standstill.last_day(friday) == date(2027, 3, 19)
    saturday = datetime(2027, 2, 28, 10, 0, tzinfo=AMS)  # +20 = Saturday 20 March → Monday 22 March
    assert standstill.last_day(saturday) == date(2027, 3, 22)
    sunday = datetime(2027, 3, 1, 10, 0, tzinfo=AMS)  # +20 = Sunday 21 March → Monday 22 March
    assert standstill.last_day(sunday) == date(2027, 3, 22)


def test_standstill_ending_on_a_holiday_runs_to_the_next_working_day_algemene_termijnenwet_art_3():
    # Easter 2027 is 28 March: Good Friday 26 March, Easter Monday 29 March.
    assert standstill.easter_sunday(2027) == date(2027, 3, 28)
    good_friday = datetime(2027, 3, 6, 9, 0, tzinfo=AMS)  # +20 = Friday 26 March (Good Friday) → Tuesday 30 March
    assert standstill.last_day(good_friday) == date(2027, 3, 30)
    christmas = datetime(2026, 12, 5, 9, 0, tzinfo=AMS)  # +20 = Friday 25 December → Monday 28 December
    assert standstill.last_day(christmas) == date(2026, 12, 28)


def test_kings_day_moves_to_saturday_26_april_when_27_april_is_a_sunday_algemene_termijnenwet_art_3():
    assert date(2025, 4, 26) in standstill.holidays(2025) and date(2025, 4, 27) not in standstill.holidays(2025)
    assert date(2026, 4, 27) in standstill.holidays(2026)


def test_known_easter_dates():
    assert [standstill.easter_sunday(y) for y in (2024, 2025, 2026, 2028)] == [
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
        date(2028, 4, 16),
    ]


def test_ascension_and_the_friday_after_are_not_working_days():
    # Ascension 2026: 14 May; the Friday after is equated (the safe side: it can only lengthen a period).
    assert not standstill.is_working_day(date(2026, 5, 14))
    assert not standstill.is_working_day(date(2026, 5, 15))
    assert standstill.is_working_day(date(2026, 5, 18))
