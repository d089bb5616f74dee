"""Failed-login counts are forgotten after a quiet day, so guessing at random usernames cannot grow the table without
bound; an active lock is never forgotten (core.throttle.forget_idle, run by every background worker)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from core import throttle
from core.models import LoginThrottle

pytestmark = pytest.mark.django_db

NOON = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def _fail(username, times=1):
    for _ in range(times):
        throttle.guarded(username, lambda: False)


def test_a_count_without_attempts_for_a_day_is_forgotten_and_a_recent_one_kept():
    with time_machine.travel(NOON - timedelta(hours=throttle.FORGET_AFTER_HOURS, seconds=1), tick=False):
        _fail("oud.account", 2)
    with time_machine.travel(NOON - timedelta(hours=throttle.FORGET_AFTER_HOURS - 1), tick=False):
        _fail("recent.account", 2)
    with time_machine.travel(NOON, tick=False):
        assert throttle.forget_idle() == 1
        assert throttle.failures("oud.account") == 0
        assert throttle.failures("recent.account") == 2


def test_an_active_lock_is_never_forgotten():
    with time_machine.travel(NOON - timedelta(days=2), tick=False):
        _fail("op.slot", throttle.MAX_FAILURES)
    # the lock of two days ago was set to end in 15 minutes; make it end after noon to see it kept
    LoginThrottle.objects.update(locked_until=NOON + timedelta(minutes=5))
    with time_machine.travel(NOON, tick=False):
        assert throttle.forget_idle() == 0
        assert throttle.seconds_locked("op.slot") == 300
    with time_machine.travel(NOON + timedelta(minutes=6), tick=False):
        assert throttle.forget_idle() == 1  # the lock has ended and nobody tried for two days


def test_after_forgetting_the_next_attempt_counts_from_zero():
    with time_machine.travel(NOON - timedelta(days=1, minutes=1), tick=False):
        _fail("terug.account", throttle.MAX_FAILURES - 1)
    with time_machine.travel(NOON, tick=False):
        throttle.forget_idle()
        outcome, _ = throttle.guarded("terug.account", lambda: False)
        assert outcome is throttle.Outcome.WRONG
        assert throttle.failures("terug.account") == 1


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection when it stops
def test_the_background_worker_forgets_idle_counts_each_round(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with time_machine.travel(NOON - timedelta(days=3), tick=False):
        _fail("vergeten.account")
    with time_machine.travel(NOON, tick=False):
        call_command("run_worker", "--batch", "--no-reload", "--no-startup-delay")
    assert not LoginThrottle.objects.exists()
