"""The benchmark runner (bench/run.py) and the benchmark modules at a tiny scale: they must work, not be fast."""

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from bench import bench_landscape, common, run
from landscape.models import Organisation

RUNNER = Path(run.__file__)


def test_replace_section_replaces_only_its_own_section():
    text = "# Benchmarks\n\nintro\n"
    text = run.replace_section(text, "a:sqlite", "old a")
    text = run.replace_section(text, "b:sqlite", "b")
    text = run.replace_section(text, "a:sqlite", "new a")
    assert "old a" not in text
    assert text.count("<!-- bench:a:sqlite -->") == 1
    assert text.index("new a") < text.index("\nb\n")
    assert text.startswith("# Benchmarks\n\nintro\n")


def test_discover_finds_the_benchmark_modules_and_rejects_unknown_names():
    assert run.discover() == [
        "bench_continuity",
        "bench_deadline_burst",
        "bench_import",
        "bench_landscape",
        "bench_ocds_export",
        "bench_pages",
    ]
    assert run.discover(["bench_landscape"]) == ["bench_landscape"]
    with pytest.raises(SystemExit, match="bench_nothing"):
        run.discover(["bench_nothing"])


def test_render_shows_machine_database_date_load_and_figures():
    info = {"cpu": "CPU X", "cores": 2, "ram": "4.0 GiB", "python": "3.11.7", "os": "Linux"}
    result = {
        "database": "sqlite 3.40.1",
        "date": "2026-11-24 12:00 UTC",
        "load_start": "3.10 / 2.00 / 1.00",
        "load_end": "4.20 / 2.50 / 1.10",
        "figures": {"rows": 30000, "t (s)": 1.5, "u (s)": 0.0123, "v (s)": 2.0},
    }
    text = run.render("bench_landscape", result, info)
    for expected in (
        "sqlite 3.40.1",
        "2026-11-24",
        "CPU X",
        "2 cores",
        "Python 3.11.7",
        "3.10 / 2.00 / 1.00 at the start, 4.20 / 2.50 / 1.10 at the end",
        "| rows | 30 000 |",
        "| t (s) | 1.5 |",
        "| u (s) | 0.012 |",
        "| v (s) | 2 |",
    ):
        assert expected in text


def test_machine_info_has_cpu_cores_ram_and_python():
    info = run.machine()
    assert info["cores"] >= 1 and info["python"] and info["cpu"] and info["ram"]


def test_the_postgresql_bench_database_is_named_after_the_configured_one_and_sqlite_uses_its_file():
    assert run.bench_database_name("postgresql", "h_bench") == "h_bench_bench"
    assert run.bench_database_name("sqlite", "/tmp/x/bench.sqlite3") == "/tmp/x/bench.sqlite3"


def test_targets_add_postgresql_only_when_database_url_names_it(monkeypatch, tmp_path):
    file = tmp_path / "b.sqlite3"
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert run.targets(sqlite_file=file) == [("sqlite", f"sqlite:///{file}")]
    with pytest.raises(SystemExit, match="postgresql"):
        run.targets(["postgresql"], file)
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/h_x")
    assert [key for key, _url in run.targets(sqlite_file=file)] == ["sqlite", "postgresql"]
    assert run.targets(["postgresql"], file) == [("postgresql", "postgres://postgres@127.0.0.1:5432/h_x")]


@pytest.mark.django_db
def test_ensure_landscape_generates_only_when_the_database_does_not_hold_it(monkeypatch):
    monkeypatch.setenv("BENCH_MUNICIPALITIES", "2")
    assert common.generations() == 0
    assert common.ensure_landscape() is not None
    organisations = Organisation.objects.count()
    assert common.ensure_landscape() is None  # reused
    assert common.ensure_landscape(1) is None  # a smaller scale is part of it
    assert common.generations() == 1 and Organisation.objects.count() == organisations
    assert common.ensure_landscape(3) is not None  # a larger scale is generated afresh
    assert common.ensure_landscape(3, seed=2) is not None  # and so is another seed
    assert common.generations() == 3
    assert set(Organisation.objects.values_list("municipality__cbs_code", flat=True)) == set(
        common.municipality_codes(3)
    )


@pytest.mark.django_db
def test_a_half_present_landscape_is_generated_afresh(monkeypatch):
    monkeypatch.setenv("BENCH_MUNICIPALITIES", "2")
    common.ensure_landscape()
    Organisation.objects.filter(municipality__cbs_code="GM8002").delete()
    assert not common.landscape_present(2)
    assert common.ensure_landscape() is not None
    assert Organisation.objects.filter(municipality__cbs_code="GM8002").exists()


@pytest.mark.django_db
def test_landscape_benchmark_runs_alone_at_a_small_scale(monkeypatch):
    monkeypatch.setenv("BENCH_MUNICIPALITIES", "2")
    figures = bench_landscape.run()  # generates the landscape itself: nothing prepared it
    assert common.generations() == 1
    assert figures["municipalities"] == 2
    assert figures["slowest municipality"].startswith("GM800")
    assert figures["largest municipality"] == "GM8001 (32 organisations, 333 activities)"  # seed 1, see synthetic
    assert figures["slowest: overview page (s, best of 3)"] > 0


def _database_url() -> tuple[str, str]:
    """The runner's target for this test's own database vendor: on PostgreSQL a URL whose database name is this
    test's (per-worker) test database, so the runner's `<name>_bench` never meets another run's database."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return "sqlite", "sqlite://"
    return "postgresql", f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def _bench_database_exists(name: str) -> bool:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


@pytest.mark.django_db
def test_make_bench_generates_the_landscape_once_runs_every_module_and_drops_its_database(tmp_path):
    key, url = _database_url()
    doc, sqlite_file = tmp_path / "benchmarks.md", tmp_path / "bench.sqlite3"
    doc.write_text("# Benchmarks\n\nOur own text.\n")
    env = {**os.environ, "DATABASE_URL": url, "BENCH_MUNICIPALITIES": "2", "BENCH_IMPORT_ROWS": "30"}
    env |= {"BENCH_PAGES_SECONDS": "0.2", "BENCH_PAGES_ROUNDS": "1", "BENCH_PAGES_THREADS": "2"}
    env |= {"BENCH_OCDS_PROCEDURES": "50", "BENCH_OCDS_REPEAT": "1"}
    env |= {"BENCH_BURST_BIDS": "3", "BENCH_BURST_MB": "0.1", "BENCH_BURST_WORKERS": "2", "BENCH_BURST_WINDOW": "60"}
    env |= {"MEDIA_ROOT": str(tmp_path / "media")}
    args = [sys.executable, str(RUNNER), "--database", key, "--doc", str(doc), "--sqlite-file", str(sqlite_file)]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    # the deadline burst removes the bids its server wrote (a real run would leave 1 GB behind)
    assert not [p for p in (tmp_path / "media").rglob("*") if p.is_file()]

    text = doc.read_text()
    assert text.startswith("# Benchmarks\n\nOur own text.\n")
    for section in ("generate_landscape", *run.discover()):
        assert f"<!-- bench:{section}:{key} -->" in text
    assert "| generations in this run (audit events) | 1 |" in text  # no module generated it again
    assert "| municipalities | 2 |" in text
    assert "| re-import: organisations unchanged | 10 |" in text
    reports = re.search(r"\| progress reports \(check / first import / re-import\) \| (\d+) / (\d+) / (\d+) \|", text)
    assert reports and all(int(n) > 0 for n in reports.groups())
    assert text.count("at the start,") == 7
    assert "| export bytes identical to json.dumps(ensure_ascii=False, indent=2) | yes |" in text
    assert "| OCDS 1.1.5 schema errors in a sample of 20 | 0 |" in text
    # bench_pages: gunicorn answered every request, the pages came from the page cache, the shares were computed
    assert "| failed requests | 0 |" in text
    # Warmed until every worker has each page; a later miss can only be a page whose version changed mid-run.
    hits = re.search(r"\| public commissioning: served from the page cache \(%\) \| ([\d.]+) \|", text)
    assert hits and float(hits.group(1)) >= 95, hits
    assert re.search(r"\| lowest share with the page cache \(%\) \| [\d.]+ \|", text)
    if key == "sqlite":
        assert not sqlite_file.exists()
    else:
        assert not _bench_database_exists(f"{connection.settings_dict['NAME']}_bench")


def test_a_failing_module_keeps_the_figures_before_it_and_fails_the_run(tmp_path):
    doc = tmp_path / "benchmarks.md"
    env = {**os.environ, "DATABASE_URL": "sqlite://", "BENCH_MUNICIPALITIES": "1", "BENCH_IMPORT_ROWS": "-3"}
    args = [sys.executable, str(RUNNER), "bench_import", "--database", "sqlite", "--doc", str(doc)]
    args += ["--sqlite-file", str(tmp_path / "bench.sqlite3")]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode != 0
    assert "<!-- bench:generate_landscape:sqlite -->" in doc.read_text()
    assert "bench:bench_import" not in doc.read_text()


def test_bench_pages_points_gunicorn_at_the_runners_database():
    from bench import bench_pages

    assert bench_pages.database_url({"NAME": "/tmp/b.sqlite3"}, "sqlite") == "sqlite:////tmp/b.sqlite3"
    pg = {"NAME": "x_bench", "USER": "postgres", "PASSWORD": "", "HOST": "127.0.0.1", "PORT": "5432"}
    assert bench_pages.database_url(pg, "postgresql") == "postgres://postgres@127.0.0.1:5432/x_bench"
    assert (
        bench_pages.database_url(pg | {"PASSWORD": "s"}, "postgresql") == "postgres://postgres:s@127.0.0.1:5432/x_bench"
    )


def test_the_load_generator_is_bounded_in_requests_and_time():
    import http.server

    from bench import bench_pages

    class Quiet(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("X-Page-Cache", "hit")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = bench_pages.hammer(server.server_address[1], "/", seconds=30, threads=3, limit=25)
    finally:
        server.shutdown()
        server.server_close()
    assert result["ok"] == 25 and result["failed"] == 0 and result["hits"] == 25
    assert result["seconds"] < 30 and result["rate"] > 0
