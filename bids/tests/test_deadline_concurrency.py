"""The moment of receipt under contention (ADR 0008): submissions racing the deadline on PostgreSQL, each in its own
thread and database connection, while two openers open the bids just after the deadline. The assertions are about
consistency, never about how many made it in time, so a slow machine only moves submissions from one side to the
other. (This test found a deadlock between the commissioning's lock and the audit chain head: see
bids/services/_submission_common.py.)"""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from bids import services
from bids.models import LateAttempt, Opening, SealedVersion, Submission
from tenders.models import Commissioning, Deadline

from . import factories_opening as opening_factories
from .factories_b1 import leaf_criteria, make_operator
from .factories_b2 import no_exclusion_grounds

N = 20


def _drafts(commissioning):
    drafts = []
    for i in range(N):
        operator, user = make_operator(f"Inschrijver {i}")
        draft = services.create_submission(
            user, operator, commissioning, kind=Submission.Kind.BID, lot=commissioning.lots.first()
        )
        services.declare(draft.participations.get(ring=0), user, no_exclusion_grounds())
        services.save_answer(draft, user, leaf_criteria(commissioning)[0], f"Plan {i}")
        drafts.append((draft, user))
    return drafts


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_around_the_deadline_none_late_accepted_none_lost(commissioning):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: SQLite has no row locks (select_for_update is a no-op there) and serialises "
            "every writer on the database file, so there is no race to test"
        )
    drafts = _drafts(commissioning)
    openers = [opening_factories.opener(commissioning) for _ in range(2)]
    deadline = timezone.now() + timedelta(milliseconds=1500)
    Deadline.objects.filter(commissioning=commissioning, kind=Deadline.Kind.BIDS).update(at=deadline)
    barrier = threading.Barrier(N + 2)
    outcomes, errors = [], []

    def hold_the_lock():
        """Takes the commissioning's lock first and keeps it until 0.4 s before the deadline: every submitter queues
        behind it and reads its clock only once it has the lock."""
        try:
            with transaction.atomic():
                Commissioning.objects.select_for_update().get(pk=commissioning.pk)
                barrier.wait()
                time.sleep(max(0.0, (deadline - timezone.now()).total_seconds() - 0.4))
        finally:
            connection.close()

    def submit(draft, user):
        try:
            barrier.wait()
            services.submit(draft, user)
            outcomes.append("accepted")
        except services.LateSubmission:
            outcomes.append("late")
        except Exception as exc:  # noqa: BLE001  (any other outcome fails the test below)
            errors.append(repr(exc))
        finally:
            connection.close()

    def open_the_bids():
        """Two openers open the bids just after the deadline, while submissions still queue for the lock."""
        try:
            barrier.wait()
            time.sleep(max(0.0, (deadline - timezone.now()).total_seconds() + 0.05))
            for opener in openers:
                services.confirm_opening(commissioning, opener, Submission.Kind.BID, opening_factories.token(opener))
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=hold_the_lock), threading.Thread(target=open_the_bids)]
    threads += [threading.Thread(target=submit, args=pair) for pair in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)

    assert errors == [], "\n".join(errors)
    versions = list(SealedVersion.objects.all())
    late = list(LateAttempt.objects.all())
    assert all(v.received_at < deadline for v in versions), "a version was accepted at or after the deadline"
    assert all(a.attempted_at >= deadline for a in late), "an attempt before the deadline was refused"
    assert len(versions) == outcomes.count("accepted")
    assert len(late) == outcomes.count("late")
    assert len(versions) + len(late) == N, "a submission was lost"
    assert {v.submission_id for v in versions}.isdisjoint({a.submission_id for a in late})
    opening = Opening.objects.get(commissioning=commissioning, kind=Submission.Kind.BID)
    assert opening.opened_at >= deadline
    assert all(v.opened_data_key for v in versions), "a version on time was not opened"
    assert len(opening.integrity) == len(versions) and all(r["ok"] for r in opening.integrity)
