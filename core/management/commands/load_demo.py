"""Load the demo: Leiden- and Haarlem-like municipalities with their landscape, users for every role, and each
lifecycle stage's own demo data. Idempotent: running it twice changes nothing the second time."""

import importlib

from django.core.management.base import BaseCommand

from core.demo import print_logins

# Each stage adds its own demo data through a module `<app>.demo` with a function `load(stdout)`, in this order.
STAGES = ["core", "landscape", "tenders", "continuity", "publication", "bids", "audit"]


class Command(BaseCommand):
    help = "Load (or refresh) the demo municipalities, users and data of every stage."

    def handle(self, *args, **options):
        for app in STAGES:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        print_logins(self.stdout)
