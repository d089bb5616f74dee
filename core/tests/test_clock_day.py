"""The demo and the main flows at fixed instants of an ordinary day and of the calendar's odd days
(core/tests/clock.py). Before this module, `load_demo` and several tests failed whenever they ran before 11:30 UTC."""

import pytest

from .clock import local, run_at, utc

INSTANTS = {
    "00:05 UTC": utc(2026, 12, 1, 0, 5),
    "11:29 UTC": utc(2026, 12, 1, 11, 29),
    "23:55 Europe/Amsterdam (22:55 UTC)": local(2026, 12, 1, 23, 55),
    "29 February, 00:30 Europe/Amsterdam": local(2028, 2, 29, 0, 30),
    "31 December, 23:55 Europe/Amsterdam": local(2026, 12, 31, 23, 55),
}


@pytest.mark.django_db
@pytest.mark.parametrize("instant", INSTANTS.values(), ids=INSTANTS.keys())
def test_demo_and_main_flows_work_at(instant):
    run_at(instant)
