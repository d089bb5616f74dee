"""The benchmark runner (bench/run.py) and the landscape benchmark at a tiny scale: they must work, not be fast."""

import pytest

from bench import bench_landscape, run


def test_replace_section_replaces_only_its_own_section():
    text = "# Benchmarks\n\nintro\n"
    text = run.replace_section(text, "a:sqlite", "old a")
    text = run.replace_section(text, "b:sqlite", "b")
    text = run.replace_section(text, "a:sqlite", "new a")
    assert "old a" not in text
    assert text.count("<!-- bench:a:sqlite -->") == 1
    assert text.index("new a") < text.index("\nb\n")
    assert text.startswith("# Benchmarks\n\nintro\n")


def test_discover_finds_the_landscape_benchmark_and_rejects_unknown_names():
    assert "bench_landscape" in run.discover()
    assert run.discover(["bench_landscape"]) == ["bench_landscape"]
    with pytest.raises(SystemExit, match="bench_nothing"):
        run.discover(["bench_nothing"])


def test_render_shows_machine_database_date_and_figures():
    info = {"cpu": "CPU X", "cores": 2, "ram": "4.0 GiB", "python": "3.11.7", "os": "Linux"}
    result = {"database": "sqlite 3.40.1", "date": "2026-11-24 12:00 UTC", "figures": {"rows": 30000, "t (s)": 1.5}}
    text = run.render("bench_landscape", result, info)
    for expected in ("sqlite 3.40.1", "2026-11-24", "CPU X", "2 cores", "Python 3.11.7", "| rows | 30 000 |", "1.500"):
        assert expected in text


def test_machine_info_has_cpu_cores_ram_and_python():
    info = run.machine()
    assert info["cores"] >= 1 and info["python"] and info["cpu"] and info["ram"]


@pytest.mark.django_db
def test_landscape_benchmark_runs_at_a_small_scale(monkeypatch, settings):
    monkeypatch.setenv("BENCH_MUNICIPALITIES", "2")
    figures = bench_landscape.run()
    assert figures["municipalities"] == 2
    assert figures["organisations"] > 0 and figures["activities"] > figures["organisations"]
    assert figures["slowest municipality"].startswith("GM800")
    assert figures["overview page, slowest municipality (s, best of 3)"] > 0
