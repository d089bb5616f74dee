"""Mail contractors about KPI and subcontract-payment reports that are due within a week or overdue. Run daily
(cron or a systemd timer; docs/deploy.md): a reminder is sent on a given day, so a day the command does not run is a
day without reminders."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contracts.reminders import send_reminders


class Command(BaseCommand):
    help = "Mail contractors about KPI and subcontract-payment reports due within a week or overdue."

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            sent = send_reminders(timezone.localdate())
            self.stdout.write(_("Reminders sent: %(n)s.") % {"n": sent})
