"""Write the OCDS open data to a directory: one release package per commissioning and one record package."""

from pathlib import Path

from django.core.management.base import BaseCommand

from publication import export, selectors
from publication.models import Release


class Command(BaseCommand):
    help = "Export OCDS 1.1 release packages (one per commissioning) and a record package of all commissionings."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="directory to write to (created if missing)")

    def handle(self, *args, out, **options):
        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        ocids = list(Release.objects.order_by("ocid").values_list("ocid", flat=True).distinct())
        for ocid in ocids:
            export.write(directory / f"{ocid}-releases.json", selectors.release_package(ocid))
        export.write(directory / "records.json", selectors.record_package())
        self.stdout.write(f"{len(ocids)} release package(s) and 1 record package written to {directory}")
