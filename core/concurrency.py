"""Test helper: run callables at the same moment in threads, each with its own database connection.

Used by the tests that prove a rule holds under parallel requests (issue #9: the login lock, one scenario name).
They need a database that other connections can see (pytest's `transactional_db`) and PostgreSQL's row locks.
"""

import threading

from django.db import connections


def run_simultaneously(callables, timeout=60):
    """Start every callable in its own thread behind one barrier; returns their results in order (an exception is
    returned, not raised)."""
    barrier = threading.Barrier(len(callables))
    results = [None] * len(callables)

    def run(i, fn):
        try:
            barrier.wait(timeout)
            results[i] = fn()
        except Exception as exc:  # reported to the test, which asserts on it
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(callables)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return results
