from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.anchoring import CheckpointRefused, generate_key_file, make_checkpoint, public_key_b64, signing_key


class Command(BaseCommand):
    help = (
        "Sign the current head of the audit chain (a checkpoint), after checking the chain. Run it on a schedule, "
        "e.g. every hour. --generate-key creates the key file (settings.AUDIT_SIGNING_KEY_FILE) if there is none."
    )

    def add_arguments(self, parser):
        parser.add_argument("--generate-key", action="store_true", help="create the key file if it does not exist")

    def handle(self, *args, generate_key, **options):
        if generate_key and signing_key() is None:
            path = settings.AUDIT_SIGNING_KEY_FILE
            public = generate_key_file(path)
            self.stdout.write(
                _("New signing key written to %(path)s; public key: %(key)s")
                % {"path": path, "key": public_key_b64(public)}
            )
        try:
            checkpoint = make_checkpoint()
        except CheckpointRefused as exc:
            raise CommandError(str(exc)) from exc
        if checkpoint is None:
            self.stdout.write(_("The chain has not changed since the last checkpoint."))
        else:
            self.stdout.write(
                _("Checkpoint signed: event %(seq)s, head %(hash)s.")
                % {"seq": checkpoint.seq, "hash": checkpoint.head_hash}
            )
