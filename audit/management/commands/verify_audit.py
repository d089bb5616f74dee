from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditEvent
from audit.services import verify_chain


class Command(BaseCommand):
    help = "Check the audit chain; exit 0 when intact, otherwise name the first broken event."

    def handle(self, *args, **options):
        problem = verify_chain()
        if problem:
            raise CommandError(f"Audit chain broken at {problem}")
        self.stdout.write(f"Audit chain intact: {AuditEvent.objects.count()} events.")
