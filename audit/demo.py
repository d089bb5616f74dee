"""Demo: a signing key outside the database (generated on first use, settings.AUDIT_SIGNING_KEY_FILE), and a signed
checkpoint of the audit chain after the other stages' data, so that /audit/ankers and the audit page show one.
Idempotent: no new checkpoint when the chain did not move."""

from django.conf import settings

from . import anchoring


def load(stdout):
    if anchoring.signing_key() is None:
        if settings.AUDIT_SIGNING_KEY:
            return
        public = anchoring.generate_key_file(settings.AUDIT_SIGNING_KEY_FILE)
        stdout.write(f"Audit signing key (demo) written to {settings.AUDIT_SIGNING_KEY_FILE}")
        stdout.write(f"  public key: {anchoring.public_key_b64(public)}")
    checkpoint = anchoring.make_checkpoint()
    if checkpoint is not None:
        anchoring.store_check(anchoring.verify(), checked_by="load_demo")
        stdout.write(f"Audit chain checkpoint signed at event {checkpoint.seq}.")
