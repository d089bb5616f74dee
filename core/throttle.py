"""Failed-login throttle: after `MAX_FAILURES` wrong passwords or codes for one username, that username is locked for
`LOCK_MINUTES`, whatever is typed (also the right password). Kept in Django's cache: by default a database table
shared by all web processes (settings.CACHES, docs/deploy.md).

The username is the key, not the IP address: a password-guessing attack targets an account, and the lock must hold
when the attacker changes address. Unknown usernames are counted and locked the same way, so the lock reveals nothing
about which accounts exist.
"""

import hashlib
import time

from django.core.cache import cache

from .signals import login_locked_out

MAX_FAILURES = 5
LOCK_MINUTES = 15
LOCK_SECONDS = LOCK_MINUTES * 60


def _now() -> float:
    return time.time()


def _keys(username: str) -> tuple[str, str]:
    digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
    return f"login-failures:{digest}", f"login-locked-until:{digest}"


def seconds_locked(username: str) -> int:
    """Seconds until `username` may try again; 0 when not locked."""
    failures_key, lock_key = _keys(username)
    until = cache.get(lock_key)
    if until is None:
        return 0
    remaining = int(until - _now())
    if remaining <= 0:
        cache.delete_many([failures_key, lock_key])
        return 0
    return remaining


def minutes_locked(username: str) -> int:
    return -(-seconds_locked(username) // 60)  # rounded up: "try again in 1 minute", never "in 0 minutes"


def record_failure(username: str) -> bool:
    """Count one failed password or code; returns True when this failure locks the username."""
    failures_key, lock_key = _keys(username)
    cache.add(failures_key, 0, LOCK_SECONDS)
    try:
        failures = cache.incr(failures_key)
    except ValueError:  # expired between add and incr
        cache.set(failures_key, 1, LOCK_SECONDS)
        failures = 1
    if failures >= MAX_FAILURES:
        cache.set(lock_key, _now() + LOCK_SECONDS, LOCK_SECONDS)
        login_locked_out.send(sender=record_failure, username=username)  # audited (audit.signals)
        return True
    return False


def reset(username: str) -> None:
    """A complete, successful login clears the count."""
    cache.delete_many(_keys(username))
