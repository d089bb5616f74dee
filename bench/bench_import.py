"""The 100k-row landscape import (XLSX template): the check (preview), the first import, and the re-import.

Assumes the synthetic national landscape (bench/common.py), so that the import writes into tables at national scale.
The rows (BENCH_IMPORT_ROWS, default 100 000: organisations, activities and funding lines, a third each) go into a
throw-away municipality GM9876, removed afterwards. `python bench/bench_import.py [ROWS]` runs it alone.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

if not __package__:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common

MUNICIPALITY = "GM9876"


def _workbook(n: int) -> bytes:
    import openpyxl

    from landscape.tests.import_files import landscape_sheets

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "landschap.xlsx"
        workbook = openpyxl.Workbook(write_only=True)
        for name, sheet_rows in landscape_sheets(n, district=f"WK{MUNICIPALITY[2:]}01").items():
            ws = workbook.create_sheet(name)
            for row in sheet_rows:
                ws.append(row)
        workbook.save(path)
        return path.read_bytes()


def run(rows: int | None = None) -> dict:
    common.setup_django()
    from core.models import Municipality
    from landscape import services
    from landscape.imports.run import run_import

    common.ensure_landscape()
    n = (rows or int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))) // 3
    if n < 1:
        raise ValueError("BENCH_IMPORT_ROWS: at least 3 rows (one organisation, activity and funding line)")
    municipality, _ = Municipality.objects.get_or_create(cbs_code=MUNICIPALITY, defaults={"name": "Benchgemeente"})
    try:
        services.upsert_district(municipality, cbs_code=f"WK{MUNICIPALITY[2:]}01", name="Benchwijk")
        started = time.perf_counter()
        content = _workbook(n)
        figures = {
            "rows (organisations + activities + funding lines)": 3 * n,
            "file (MB)": round(len(content) / 1024 / 1024, 1),
            "writing the XLSX file (s)": round(time.perf_counter() - started, 1),
        }
        timed = {}
        for step, dry_run in (("check", True), ("first", False), ("again", False)):
            reports = []  # what the progress bar hears
            started = time.perf_counter()
            result = run_import(
                municipality,
                [("landschap.xlsx", content)],
                format="template",
                dry_run=dry_run,
                progress=lambda done, total, message, reports=reports: reports.append(message),
            )
            timed[step] = (round(time.perf_counter() - started, 1), result["counts"]["organisations"], len(reports))
        figures |= {
            "check, the preview: read and validate, nothing written (s)": timed["check"][0],
            "first import (s)": timed["first"][0],
            "first import: organisations created": timed["first"][1]["create"],
            "re-import of the same file (s)": timed["again"][0],
            "re-import: organisations unchanged": timed["again"][1]["unchanged"],
            "progress reports (check / first import / re-import)": " / ".join(str(timed[s][2]) for s in timed),
        }
        return figures
    finally:
        municipality.delete()  # cascades to its districts, organisations, activities and fundings


if __name__ == "__main__":
    for label, value in run(int(sys.argv[1]) if len(sys.argv) > 1 else None).items():
        print(f"{label}: {value}")
