"""Generate a synthetic national-scale landscape for benchmarks (landscape/synthetic.py, docs/benchmarks.md)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from landscape import synthetic


class Command(BaseCommand):
    help = "Generate a reproducible synthetic landscape (GM8001…) for benchmarks: same seed, same data."

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=342)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--replace", action="store_true", help="replace existing synthetic data")

    def handle(self, *args, municipalities, seed, replace, **options):
        started = time.perf_counter()
        step = max(1, municipalities // 20)

        def progress(done, total, totals):
            if done % step == 0 or done == total:
                self.stdout.write(
                    f"{done}/{total} gemeenten · {totals['organisations']} organisaties · "
                    f"{totals['activities']} activiteiten · {totals['fundings']} financieringsregels · "
                    f"{time.perf_counter() - started:.0f} s"
                )

        try:
            totals = synthetic.generate(municipalities, seed, replace=replace, progress=progress)
        except ValueError:
            raise CommandError(
                _("The number of municipalities must be between 1 and %(max)s.") % {"max": synthetic.MAX_MUNICIPALITIES}
            ) from None
        except synthetic.SyntheticDataExists as exc:
            raise CommandError(
                _("Synthetic data already exists (%(codes)s): use --replace to generate it afresh.") % {"codes": exc}
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Klaar in {time.perf_counter() - started:.1f} s: {totals['municipalities']} gemeenten, "
                f"{totals['districts']} wijken, {totals['organisations']} organisaties, "
                f"{totals['activities']} activiteiten, {totals['fundings']} financieringsregels."
            )
        )
