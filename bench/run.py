"""`make bench`: run every bench/bench_*.py module and write its figures into docs/benchmarks.md.

A module has a function `run() -> dict` returning {label: figure}. Per database, the runner creates a dedicated
database afresh, generates the synthetic national landscape in it once (bench/common.py; its own section,
`generate_landscape`), runs the modules in name order against it (they reuse the landscape), and drops it again.
The databases: a SQLite file (bench/out/bench.sqlite3), and, when DATABASE_URL names a PostgreSQL database,
`<that name>_bench` on the same server (only that database is created and dropped; yours and others' are not
touched). Each (module, database) has its own section in docs/benchmarks.md, replaced on every run, with the
machine, Python, database, date and the load average at its start and end (the machine may be shared).

    python bench/run.py                          # all modules, SQLite (and PostgreSQL when DATABASE_URL says so)
    python bench/run.py bench_landscape          # only these
    python bench/run.py --database postgresql    # only this database
Speed is measured here, never asserted in tests.
"""

import argparse
import datetime
import importlib
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

if not __package__:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common

ROOT = common.ROOT
GENERATE = "generate_landscape"
DOC = ROOT / "docs" / "benchmarks.md"
SQLITE_FILE = ROOT / "bench" / "out" / "bench.sqlite3"


def discover(names=None) -> list[str]:
    found = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    if names:
        unknown = set(names) - set(found)
        if unknown:
            raise SystemExit(f"unknown benchmark modules: {', '.join(sorted(unknown))} (found: {', '.join(found)})")
        found = [n for n in found if n in names]
    return found


def machine() -> dict:
    cpu, ram = platform.processor() or platform.machine(), None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram": ram or "unknown",
        "python": platform.python_version(),
        "os": platform.platform(terse=True),
    }


def _markers(key: str) -> tuple[str, str]:
    return f"<!-- bench:{key} -->", f"<!-- /bench:{key} -->"


def replace_section(text: str, key: str, body: str) -> str:
    """Replace the section `key` (between its markers) with `body`, or append it when it is new."""
    start, end = _markers(key)
    block = f"{start}\n{body.strip()}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        return before + block + rest.split(end, 1)[1]
    return text.rstrip() + "\n\n" + block + "\n"


def _format(value) -> str:
    if isinstance(value, float):  # as measured, at most three decimals: 94.7, 0.019
        return f"{value:,.3f}".rstrip("0").rstrip(".").replace(",", " ")
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    return str(value)


def render(key: str, result: dict, info: dict) -> str:
    lines = [
        f"### {key} · {result['database']}",
        "",
        f"{result['date']} · {info['cpu']}, {info['cores']} cores, {info['ram']} RAM · Python {info['python']} · "
        f"{info['os']} · load average (1/5/15 min) {result['load_start']} at the start, {result['load_end']} at "
        "the end",
        "",
        "| figure | value |",
        "| --- | ---: |",
    ]
    lines += [f"| {label} | {_format(value)} |" for label, value in result["figures"].items()]
    return "\n".join(lines)


def _database_name(connection) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"postgresql {cursor.fetchone()[0]}"
    return f"{connection.vendor} {connection.Database.sqlite_version}"


def _timed(database: str, fn) -> dict:
    """Run `fn() -> figures` and wrap its figures with the database, date and load average around it."""
    load_start = common.load_average()
    figures = fn()
    return {
        "database": database,
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_start": load_start,
        "load_end": common.load_average(),
        "figures": figures,
    }


def _generate() -> dict:
    """The synthetic national landscape, generated once for all modules (bench/common.py)."""
    from landscape.models import Activity, District, Funding, Organisation

    count = common.municipality_count()
    seconds = common.ensure_landscape(count)
    codes = common.municipality_codes(count)
    return {
        "municipalities": count,
        "districts": District.objects.filter(municipality__cbs_code__in=codes).count(),
        "organisations": Organisation.objects.filter(municipality__cbs_code__in=codes).count(),
        "activities": Activity.objects.filter(organisation__municipality__cbs_code__in=codes).count(),
        "funding lines": Funding.objects.filter(municipality__cbs_code__in=codes).count(),
        "generate_landscape (s)": round(seconds, 1),
    }


def _child(modules: list[str], out: Path) -> None:
    """Run the modules in this process against a fresh dedicated database; write the results to `out` as JSON after
    each step, so that a failing module keeps the figures of those before it."""
    common.setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host is allowed
    settings = connection.settings_dict
    settings["TEST"]["NAME"] = bench_database_name(connection.vendor, settings["NAME"])
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        database = _database_name(connection)
        print(f"[bench] generate_landscape on {database} …", file=sys.stderr, flush=True)
        results = {GENERATE: _timed(database, _generate)}
        out.write_text(json.dumps(results))
        for name in modules:
            module = importlib.import_module(f"bench.{name}")
            print(f"[bench] {name} on {database} …", file=sys.stderr, flush=True)
            results[name] = _timed(database, module.run)
            out.write_text(json.dumps(results))
        # Every module reused the landscape: one generation in this database (shown, and checked by the tests).
        results[GENERATE]["figures"]["generations in this run (audit events)"] = common.generations()
        out.write_text(json.dumps(results))
    finally:
        connection.creation.destroy_test_db(settings["NAME"], verbosity=0)


def bench_database_name(vendor: str, name: str) -> str:
    """The dedicated database of a run: the SQLite file itself (targets() names it), or `<name>_bench` next to the
    PostgreSQL database `name` of DATABASE_URL, so that a run never creates or drops another database."""
    return str(name) if vendor == "sqlite" else f"{name}_bench"


def targets(databases: list[str] | None = None, sqlite_file: Path = SQLITE_FILE) -> list[tuple[str, str]]:
    """(key, DATABASE_URL) per database to run on: SQLite, and PostgreSQL when DATABASE_URL names it."""
    found = {"sqlite": f"sqlite:///{sqlite_file}"}
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        found["postgresql"] = url
    if databases:
        missing = set(databases) - set(found)
        if missing:
            raise SystemExit(f"no DATABASE_URL for {', '.join(sorted(missing))}")
        return [(key, found[key]) for key in databases]
    return list(found.items())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", help="bench_* modules to run (default: all)")
    parser.add_argument("--database", action="append", choices=["sqlite", "postgresql"], help="default: all")
    parser.add_argument("--doc", type=Path, default=DOC, help="the Markdown file to write (default: %(default)s)")
    parser.add_argument("--sqlite-file", type=Path, default=SQLITE_FILE, help="default: %(default)s")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    modules = discover(args.modules)
    if args.child:
        _child(modules, args.child)
        return 0
    info = machine()
    args.sqlite_file.parent.mkdir(parents=True, exist_ok=True)
    for key, url in targets(args.database, args.sqlite_file.resolve()):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "results.json"
            env = {**os.environ, "DATABASE_URL": url}
            done = subprocess.run([sys.executable, __file__, "--child", str(out), *modules], env=env, check=False)
            results = json.loads(out.read_text()) if out.exists() else {}
        text = args.doc.read_text() if args.doc.exists() else "# Benchmarks\n"
        for name, result in results.items():
            text = replace_section(text, f"{name}:{key}", render(name, result, info))
        args.doc.write_text(text)  # after each database, so that a later failure keeps these figures
        print(f"[bench] {key}: {len(results)} sections written to {args.doc}", file=sys.stderr)
        if done.returncode != 0:
            print(f"[bench] {key}: failed (exit {done.returncode})", file=sys.stderr)
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
