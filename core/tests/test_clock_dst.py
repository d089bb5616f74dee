"""The demo and the main flows during both nights of the switch between winter and summer time in Europe/Amsterdam
(last Sunday of March and of October, 01:30–03:30 local time), see core/tests/clock.py."""

import pytest

from .clock import run_at, utc

INSTANTS = {
    # 28 March 2027: at 02:00 CET the clock jumps to 03:00 CEST; 02:30 local does not exist.
    "spring 01:30 CET": utc(2027, 3, 28, 0, 30),
    "spring 03:00 CEST (just after the jump)": utc(2027, 3, 28, 1, 0),
    "spring 03:30 CEST": utc(2027, 3, 28, 1, 30),
    # 25 October 2026: at 03:00 CEST the clock goes back to 02:00 CET; 02:30 local happens twice.
    "autumn 01:30 CEST": utc(2026, 10, 24, 23, 30),
    "autumn 02:30 CEST (first time)": utc(2026, 10, 25, 0, 30),
    "autumn 02:30 CET (second time)": utc(2026, 10, 25, 1, 30),
    "autumn 03:30 CET": utc(2026, 10, 25, 2, 30),
}


@pytest.mark.django_db
@pytest.mark.parametrize("instant", INSTANTS.values(), ids=INSTANTS.keys())
def test_demo_and_main_flows_work_during_the_clock_change(instant):
    run_at(instant)
