"""Failed-login throttle: after `MAX_FAILURES` wrong passwords or codes for one username, that username is locked for
`LOCK_MINUTES`, whatever is typed (also the right password).

The username is the key, not the IP address: a password-guessing attack targets an account, and the lock must hold
when the attacker changes address. Unknown usernames are counted and locked the same way, so the lock reveals nothing
about which accounts exist.

Parallel requests (issue #9: 20 simultaneous logins, 19 wrong and 1 right, all used to be evaluated): the count is a
database row (core.models.LoginThrottle) that `guarded()` locks with SELECT … FOR UPDATE *before* the password or code
is checked, and keeps locked until the failure is counted. Attempts for one username are therefore checked one after
another: the lock is checked first, every failure is counted exactly once, and once the limit is reached no further
attempt (also not a right one already in flight) is evaluated. Other usernames are not held up.

Rows are forgotten (`forget_idle`, run by every background worker each round): a row without an active lock and
without an attempt for `FORGET_AFTER_HOURS` is deleted, so guessing at random usernames cannot grow the table without
bound; an active lock is never deleted, and failures spread over more than a day start again from zero.

Why not django-axes: its lock check reads the count before the password check without holding a lock, so parallel
attempts all pass it (the defect above); and the TOTP step must count towards the same lock (docs/security.md).
"""

import datetime
import hashlib
import time
from enum import Enum

from django.db import transaction
from django.db.models import Q

from .signals import login_locked_out

MAX_FAILURES = 5
LOCK_MINUTES = 15
LOCK_SECONDS = LOCK_MINUTES * 60
FORGET_AFTER_HOURS = 24


class Outcome(Enum):
    OK = "ok"  # the check passed
    WRONG = "wrong"  # the check failed and was counted
    LOCKED = "locked"  # the username is locked: nothing was checked (or this failure locked it)


def _now() -> float:
    return time.time()


def _moment(seconds: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


def _key(username: str) -> str:
    return hashlib.sha256(username.strip().casefold().encode()).hexdigest()


def _model():
    from .models import LoginThrottle

    return LoginThrottle


def _locked_row(username: str):
    """The username's row, created if needed, locked until the end of the surrounding transaction."""
    model = _model()
    key = _key(username)
    while True:  # `forget_idle` may delete an old row between the two statements: then create it again
        model.objects.bulk_create([model(key=key)], ignore_conflicts=True)
        row = model.objects.select_for_update().filter(key=key).first()
        if row is not None:
            return row


def _expire(row, now: float) -> None:
    if row.locked_until is not None and row.locked_until <= _moment(now):
        row.failures, row.locked_until = 0, None
        row.save(update_fields=["failures", "locked_until", "updated_at"])


def guarded(username: str, check, *, reset_on_success=False) -> tuple[Outcome, object]:
    """Run `check()` (truthy when the password or code is right) for `username` while holding its lock row.

    Returns (outcome, result of check). A locked username is refused before `check` runs; a failure is counted in
    the same transaction; `reset_on_success` (a bool, or a function of the result) clears the count when the check
    passes and that completes the login."""
    with transaction.atomic():
        row = _locked_row(username)
        now = _now()
        _expire(row, now)
        if row.locked_until is not None:
            return Outcome.LOCKED, None
        result = check()
        if result:
            if (reset_on_success(result) if callable(reset_on_success) else reset_on_success) and row.failures:
                row.failures = 0
                row.save(update_fields=["failures", "updated_at"])
            return Outcome.OK, result
        row.failures += 1
        if row.failures >= MAX_FAILURES:
            row.locked_until = _moment(now + LOCK_SECONDS)
        row.save(update_fields=["failures", "locked_until", "updated_at"])
        if row.locked_until:
            login_locked_out.send(
                sender=guarded, username=username
            )  # audited (core.audit_signals), in this transaction
        return (Outcome.LOCKED if row.locked_until else Outcome.WRONG), result


def seconds_locked(username: str) -> int:
    """Seconds until `username` may try again; 0 when not locked."""
    row = _model().objects.filter(key=_key(username)).first()
    if row is None or row.locked_until is None:
        return 0
    return max(0, int((row.locked_until - _moment(_now())).total_seconds()))


def minutes_locked(username: str) -> int:
    return -(-seconds_locked(username) // 60)  # rounded up: "try again in 1 minute", never "in 0 minutes"


def failures(username: str) -> int:
    row = _model().objects.filter(key=_key(username)).first()
    return row.failures if row else 0


def record_failure(username: str) -> bool:
    """Count one failure outside a check (kept for callers that verify themselves); True when it locks."""
    return guarded(username, lambda: False)[0] is Outcome.LOCKED


def forget_idle() -> int:
    """Delete the rows without an active lock and without an attempt for FORGET_AFTER_HOURS; returns how many.

    On PostgreSQL a row that an attempt holds (SELECT … FOR UPDATE) is re-checked after that attempt commits, so a
    row just counted again is kept."""
    now = _moment(_now())
    idle_since = now - datetime.timedelta(hours=FORGET_AFTER_HOURS)
    unlocked = Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    deleted, _ = _model().objects.filter(unlocked, updated_at__lt=idle_since).delete()
    return deleted


def reset(username: str) -> None:
    """A complete, successful login clears the count."""
    _model().objects.filter(key=_key(username)).update(failures=0, locked_until=None)
