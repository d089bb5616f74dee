"""Write a scenario's report: `manage.py continuity_report --municipality GM0546 --scenario NAME --format pdf --out F`.

Computes the impact first when it is missing (or with --recompute). Reports are in Dutch.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from continuity import exports, selectors, services
from continuity.models import Scenario


class Command(BaseCommand):
    help = "Write the council report (pdf), all figures (xlsx) or the impact (json) of a scenario to a file."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="CBS code, e.g. GM0546")
        parser.add_argument("--scenario", required=True, help="the scenario's name")
        parser.add_argument("--format", required=True, choices=["pdf", "xlsx", "json"])
        parser.add_argument("--out", required=True, help="file to write")
        parser.add_argument("--recompute", action="store_true", help="compute the impact again first")

    def handle(self, *args, municipality, scenario, format, out, recompute, **options):
        found = (
            Scenario.objects.select_related("municipality")
            .filter(municipality__cbs_code=municipality, name=scenario)
            .first()
        )
        if found is None:
            names = ", ".join(
                Scenario.objects.filter(municipality__cbs_code=municipality).values_list("name", flat=True)
            )
            raise CommandError(f"Geen scenario '{scenario}' in {municipality}. Beschikbaar: {names or '(geen)'}")
        if recompute or not found.impact:
            found = services.store_impact(found, selectors.compute_impact(found), actor="continuity_report")
        with translation.override("nl"):
            content = {"pdf": exports.pdf, "xlsx": exports.xlsx}.get(format)
            data = content(found) if content else exports.as_json(found).encode()
        Path(out).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"{out}: {len(data):,} bytes"))
