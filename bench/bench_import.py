"""Benchmark: import a 100k-row landscape template (XLSX) into the current database, and import it again.

`run() -> dict` is called by bench/run.py; `python bench/bench_import.py [ROWS]` runs it alone and prints the figures.
Rows: organisations + activities + funding lines (a third each). Uses a throw-away municipality GM9876, removed after.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup_django():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwaarde.settings")
    import django

    django.setup()


def run(rows: int = 100_000) -> dict:
    _setup_django()
    import openpyxl
    from django.db import connection

    from core.models import Municipality
    from landscape import services
    from landscape.imports.run import run_import
    from landscape.tests.import_files import landscape_sheets

    n = rows // 3
    municipality, _ = Municipality.objects.get_or_create(cbs_code="GM9876", defaults={"name": "Benchgemeente"})
    try:
        services.upsert_district(municipality, cbs_code="WK987601", name="Benchwijk")
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            path = Path(tmp) / "landschap.xlsx"
            workbook = openpyxl.Workbook(write_only=True)
            for name, sheet_rows in landscape_sheets(n, district="WK987601").items():
                ws = workbook.create_sheet(name)
                for row in sheet_rows:
                    ws.append(row)
            workbook.save(path)
            generate = time.perf_counter() - started
            content = path.read_bytes()
        figures = {
            "rows": 3 * n,
            "file_mb": round(len(content) / 1024 / 1024, 1),
            "generate_s": round(generate, 1),
            # The development machine is shared: the load when the run started puts the times in context.
            "load_average_1min_at_start": round(os.getloadavg()[0], 1),
        }
        reports = []
        for label, dry_run in (("dry_run_s", True), ("first_import_s", False), ("reimport_unchanged_s", False)):
            reports.clear()
            started = time.perf_counter()
            result = run_import(
                municipality,
                [("landschap.xlsx", content)],
                format="template",
                dry_run=dry_run,
                progress=lambda done, total, message: reports.append(message),
            )
            figures[label] = round(time.perf_counter() - started, 1)
            figures[label.replace("_s", "_progress_reports")] = len(reports)
        figures["reimport_unchanged_organisations"] = result["counts"]["organisations"]["unchanged"]
        figures["database"] = connection.vendor
        return figures
    finally:
        municipality.delete()  # cascades to its districts, organisations, activities and fundings


if __name__ == "__main__":
    for key, value in run(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000).items():
        print(f"{key}: {value}")
