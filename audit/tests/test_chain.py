import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from audit.services import record, verify_chain


@pytest.fixture
def chain(db):
    for i in range(5):
        record("test.event", actor="tester", municipality="GM0546", summary={"n": i})
    return list(AuditEvent.objects.order_by("seq"))


def test_intact_chain_verifies(chain):
    assert verify_chain() is None
    call_command("verify_audit")


def test_each_event_carries_the_hash_of_its_predecessor(chain):
    assert chain[0].prev_hash == "0" * 64
    for prev, event in zip(chain, chain[1:], strict=False):
        assert event.prev_hash == prev.hash


def test_changed_row_is_named(chain):
    AuditEvent.objects.filter(pk=chain[2].pk).update(summary={"n": 99})
    problem = verify_chain()
    assert problem.seq == 3 and problem.kind == "changed"
    with pytest.raises(CommandError, match="Gebeurtenis 3"):
        call_command("verify_audit")


def test_deleted_row_is_named(chain):
    AuditEvent.objects.filter(pk=chain[1].pk).delete()
    problem = verify_chain()
    assert problem.seq == 3  # the event after the gap


def test_deleted_last_row_is_caught_by_the_chain_head(chain):
    AuditEvent.objects.filter(pk=chain[-1].pk).delete()
    assert verify_chain() is not None


def test_inserted_row_is_named(chain):
    # A forged event appended with a plausible seq but a made-up predecessor hash.
    forged = AuditEvent(
        seq=6, timestamp=chain[-1].timestamp, action="test.forged", prev_hash="f" * 64, hash="e" * 64, summary={}
    )
    forged.save()
    problem = verify_chain()
    assert problem.seq == 6


def test_reordered_rows_are_named(chain):
    a, b = chain[1], chain[2]
    AuditEvent.objects.filter(pk=a.pk).update(seq=1000)
    AuditEvent.objects.filter(pk=b.pk).update(seq=a.seq)
    AuditEvent.objects.filter(pk=a.pk).update(seq=b.seq)
    problem = verify_chain()
    assert problem.seq == 2
