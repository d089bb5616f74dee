"""`make bench`: run every bench/bench_*.py module and write its figures into docs/benchmarks.md.

A module has a function `run() -> dict` returning {label: figure}. Modules run in name order against a dedicated
database, created afresh for the run and dropped after it: a SQLite file (bench/out/bench.sqlite3), and, when
DATABASE_URL names a PostgreSQL database, also `<that name>_bench` on the same server. Each (module, database) has its
own section in docs/benchmarks.md, replaced on every run, with the machine, Python, database and date.

    python bench/run.py                 # all modules
    python bench/run.py bench_landscape # only these
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

ROOT = Path(__file__).resolve().parent.parent
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
    if isinstance(value, float):
        return f"{value:,.3f}".replace(",", " ")
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    return str(value)


def render(module: str, result: dict, info: dict) -> str:
    lines = [
        f"### {module} · {result['database']}",
        "",
        f"{result['date']} · {info['cpu']}, {info['cores']} cores, {info['ram']} RAM · Python {info['python']} · "
        f"{info['os']}",
        "",
        "| figure | value |",
        "| --- | ---: |",
    ]
    lines += [f"| {label} | {_format(value)} |" for label, value in result["figures"].items()]
    return "\n".join(lines)


def _child(modules: list[str], out: Path) -> None:
    """Run the modules in this process against a fresh dedicated database; write the results to `out` as JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwaarde.settings")
    os.environ["STATIC_MANIFEST"] = "false"  # render pages without collectstatic
    os.environ["JOBS_MODE"] = "sync"
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host is allowed
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        SQLITE_FILE.parent.mkdir(parents=True, exist_ok=True)
        settings["TEST"]["NAME"] = str(SQLITE_FILE)
    else:
        settings["TEST"]["NAME"] = f"{settings['NAME']}_bench"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        database = f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}"
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                database = f"postgresql {cursor.fetchone()[0]}"
        results = {}
        for name in modules:
            module = importlib.import_module(f"bench.{name}")
            print(f"[bench] {name} on {database.strip()} …", file=sys.stderr, flush=True)
            figures = module.run()
            results[name] = {
                "database": database.strip(),
                "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                "figures": figures,
            }
        out.write_text(json.dumps(results))
    finally:
        connection.creation.destroy_test_db(settings["NAME"], verbosity=0)


def targets() -> list[tuple[str, str]]:
    found = [("sqlite", f"sqlite:///{SQLITE_FILE}")]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        found.append(("postgresql", url))
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", help="bench_* modules to run (default: all)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    modules = discover(args.modules)
    if args.child:
        _child(modules, args.child)
        return 0
    info = machine()
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    for key, url in targets():
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "results.json"
            env = {**os.environ, "DATABASE_URL": url}
            done = subprocess.run([sys.executable, __file__, "--child", str(out), *modules], env=env, check=False)
            if done.returncode != 0:
                print(f"[bench] {key}: failed (exit {done.returncode})", file=sys.stderr)
                return done.returncode
            for module, result in json.loads(out.read_text()).items():
                text = replace_section(text, f"{module}:{key}", render(module, result, info))
        DOC.write_text(text)  # after each database, so that a later failure keeps these figures
        print(f"[bench] {key}: figures written to {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
