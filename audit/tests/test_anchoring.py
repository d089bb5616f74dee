"""Issue #9: the chain is anchored outside the database by signed checkpoints; rewrites and truncation are caught."""

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import CommandError, call_command

from audit import anchoring
from audit.models import AuditEvent, ChainHead, Checkpoint
from audit.services import compute_hash, record


def _events(n, start=0):
    for i in range(start, start + n):
        record("test.event", actor="tester", municipality="GM0546", summary={"n": i})


def _rewrite_from(seq, new_summary):
    """What an attacker with write access to the database does: change event `seq` and recompute every hash after it,
    and the chain head, so that the chain is consistent again."""
    events = list(AuditEvent.objects.filter(seq__gte=seq).order_by("seq"))
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else anchoring.GENESIS
    for event in events:
        if event.seq == seq:
            event.summary = new_summary
        event.prev_hash = prev
        event.hash = compute_hash(prev, event)
        AuditEvent.objects.filter(pk=event.pk).update(summary=event.summary, prev_hash=event.prev_hash, hash=event.hash)
        prev = event.hash
    ChainHead.objects.filter(pk=1).update(last_hash=prev)


def _truncate_to(seq):
    """Delete every event after `seq` and move the chain head back: the chain alone looks intact."""
    AuditEvent.objects.filter(seq__gt=seq).delete()
    ChainHead.objects.filter(pk=1).update(last_seq=seq, last_hash=AuditEvent.objects.get(seq=seq).hash)


@pytest.fixture
def anchored(db, signing_key_file):
    _events(5)
    checkpoint = anchoring.make_checkpoint()
    _events(2, start=5)
    return checkpoint


def test_valid_chain_with_checkpoint_verifies(anchored):
    report = anchoring.verify()
    assert report.ok, report.problems
    assert report.events == 7 and report.last_verified["seq"] == 5
    call_command("verify_audit")


def test_checkpoint_signature_verifies_with_the_published_public_key_alone(anchored):
    exported = anchoring.export()
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(exported["public_keys"][0]["public_key"]))
    cp = exported["checkpoints"][0]
    public.verify(
        base64.b64decode(cp["signature"]),
        f"wijkwaarde-audit-checkpoint/1\n{cp['seq']}\n{cp['head_hash']}\n{cp['created_at']}".encode(),
    )


def test_rewrite_from_event_n_with_recomputed_hashes_is_detected(anchored):
    _rewrite_from(3, {"n": "vervalst"})
    report = anchoring.verify()
    assert [p.kind for p in report.problems] == ["rewritten"]
    assert report.problems[0].seq == 5
    assert "herschreven" in report.problems[0].message
    with pytest.raises(CommandError, match="herschreven"):
        call_command("verify_audit")


def test_deleting_the_last_events_is_detected_as_truncation(anchored):
    _truncate_to(3)
    report = anchoring.verify()
    assert [p.kind for p in report.problems] == ["truncated"]
    assert "verwijderd" in report.problems[0].message
    with pytest.raises(CommandError, match="eindigt bij gebeurtenis 3"):
        call_command("verify_audit")


def test_deleted_checkpoints_are_caught_by_the_auditors_file(anchored, tmp_path):
    kept = tmp_path / "ankers.json"
    kept.write_text(json.dumps(anchoring.export()))
    Checkpoint.objects.all().delete()  # the attacker also removes the stored checkpoints
    _rewrite_from(2, {"n": "vervalst"})
    call_command("verify_audit")  # without the auditor's file the rewrite goes unseen
    with pytest.raises(CommandError, match="herschreven"):
        call_command("verify_audit", checkpoints=[str(kept)])


def test_forged_checkpoint_is_reported(anchored):
    Checkpoint.objects.filter(pk=anchored.pk).update(head_hash="f" * 64)
    report = anchoring.verify()
    assert "signature" in [p.kind for p in report.problems]


def test_checkpoint_of_another_key_is_not_trusted(anchored, settings, tmp_path):
    other = tmp_path / "other.pem"
    anchoring.generate_key_file(other)
    settings.AUDIT_SIGNING_KEY_FILE = str(other)
    assert [p.kind for p in anchoring.verify().problems] == ["signature"]


def test_rotated_key_stays_trusted_through_the_setting(anchored, settings, tmp_path):
    old_public = anchoring.export()["public_keys"][0]["public_key"]
    anchoring.generate_key_file(tmp_path / "new.pem")
    settings.AUDIT_SIGNING_KEY_FILE = str(tmp_path / "new.pem")
    settings.AUDIT_TRUSTED_PUBLIC_KEYS = [old_public]
    assert anchoring.verify().ok


def test_no_checkpoint_is_signed_over_a_broken_chain(db, signing_key_file):
    _events(3)
    AuditEvent.objects.filter(seq=2).update(summary={"n": "x"})
    with pytest.raises(anchoring.CheckpointRefused):
        anchoring.make_checkpoint()
    assert not Checkpoint.objects.exists()


def test_checkpoint_is_not_repeated_when_the_head_did_not_move(anchored):
    assert anchoring.make_checkpoint() is not None
    assert anchoring.make_checkpoint() is None


def test_without_a_key_no_checkpoint_is_made(db):
    _events(1)
    with pytest.raises(CommandError, match="ondertekeningssleutel"):
        call_command("audit_checkpoint")


def test_command_generates_the_key_outside_the_database(db, settings, tmp_path):
    settings.AUDIT_SIGNING_KEY_FILE = str(tmp_path / "var" / "key.pem")
    _events(2)
    call_command("audit_checkpoint", generate_key=True)
    assert (tmp_path / "var" / "key.pem").stat().st_mode & 0o077 == 0
    assert Checkpoint.objects.get().seq == 2


def test_unreadable_checkpoint_file_is_a_dutch_error(db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("[{]")
    with pytest.raises(CommandError, match="Kan ankerbestand"):
        call_command("verify_audit", checkpoints=[str(bad)])
