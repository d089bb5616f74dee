"""Benchmark of the public pages under gunicorn (2 workers) against a minimal Django view, in one run
(docs/benchmarks.md, core/page_cache.py).

Assumes the synthetic national landscape (bench/common.py). In the largest synthetic municipality it publishes one
commissioning through the tender services, then starts gunicorn with 2 sync workers on 127.0.0.1 (a free port) against
the same database, and measures requests per second with a bounded load generator of its own (threads with
plain sockets on the loopback interface; at most BENCH_PAGES_SECONDS per measurement and BENCH_PAGES_LIMIT requests):

- the minimal view `/gezond` (no database, no template): the yardstick;
- the municipality's overview, its organisation list, the public commissioning and `/api/v1/organisations`,

each as the share of the minimal view's rate measured by the same server in the same run, which is what the goal
speaks of (≥ 50%). The paths take turns in short slices (BENCH_PAGES_ROUNDS rounds of BENCH_PAGES_SECONDS each), so
that a burst of other work on the shared machine falls on all of them alike. Two more servers, with a third of the
rounds, show the alternatives: the page cache off (PUBLIC_CACHE_SECONDS=0), and the pages kept in the shared cache of
settings.CACHES (a database table) instead of each process's memory (PUBLIC_CACHE_STORE=shared). The load generator
runs on the same machine (2 cores here), so absolute rates say more about the machine than about the site; the shares
are the figure.
Run: `python bench/bench_pages.py` or through bench/run.py (`run()` returns the figures).
"""

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

if not __package__:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common

WORKERS = 2
EXTRA_ARGS: list[str] = []  # more gunicorn options (bench_deadline_burst: the worker class and threads)
HOST = "127.0.0.1"
MINIMAL = "minimal view /gezond"
HEADER = b"x-page-cache"


def seconds_per_measurement() -> float:
    return float(os.environ.get("BENCH_PAGES_SECONDS", "1"))


def rounds() -> int:
    return int(os.environ.get("BENCH_PAGES_ROUNDS", "6"))


def request_limit() -> int:
    return int(os.environ.get("BENCH_PAGES_LIMIT", "50000"))


def concurrency() -> int:
    return int(os.environ.get("BENCH_PAGES_THREADS", "4"))


def database_url(settings_dict: dict, vendor: str) -> str:
    """The URL of the database this process uses (the runner's dedicated bench database), for the gunicorn workers."""
    if vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    user, password = settings_dict.get("USER") or "", settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host, port = settings_dict.get("HOST") or HOST, settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def fetch(port: int, path: str, timeout: float = 30) -> tuple[int, str, bytes]:
    """One GET on a fresh connection (gunicorn's sync workers close it after the response): the status, the page cache
    header and the body. A plain socket, since http.client's header parsing would cost the load generator, which shares
    the machine with the server, more than the server's own work for a cached page."""
    request = f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode()
    chunks = []
    with socket.create_connection((HOST, port), timeout=timeout) as conn:
        conn.sendall(request)
        while chunk := conn.recv(1 << 18):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    if not lines[0].startswith(b"HTTP/"):
        raise OSError(f"no HTTP response: {lines[0][:80]!r}")
    cache = ""
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == HEADER:
            cache = value.strip().decode()
    return int(lines[0].split()[1]), cache, body


def hammer(port: int, path: str, seconds: float, threads: int, limit: int) -> dict:
    """GET `path` from `threads` threads for at most `seconds` and at most `limit` requests in all; the rate of
    successful responses, the failures and the share served from the page cache."""
    lock = threading.Lock()
    tally = {"ok": 0, "failed": 0, "hits": 0, "started": 0}
    deadline = time.perf_counter() + seconds

    def worker():
        while time.perf_counter() < deadline:
            with lock:
                if tally["started"] >= limit:
                    return
                tally["started"] += 1
            try:
                status, cache, _body = fetch(port, path)
            except OSError:
                status, cache = 0, ""
            with lock:
                tally["ok" if status == 200 else "failed"] += 1
                tally["hits"] += cache == "hit"

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(seconds + 60)
    elapsed = time.perf_counter() - started
    return {**tally, "seconds": elapsed, "rate": tally["ok"] / elapsed if elapsed else 0.0}


class Server:
    """gunicorn with WORKERS sync workers on 127.0.0.1 against `url`; stopped (and waited for) on exit."""

    def __init__(self, url: str, *, env: dict | None = None, app: str = "wijkwaarde.wsgi"):
        self.port = free_port()
        self.app = app
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "false",
            "STATIC_MANIFEST": "false",
            "ALLOWED_HOSTS": HOST,
            "CONN_MAX_AGE": os.environ.get("BENCH_CONN_MAX_AGE", "60"),
            "LOG_LEVEL": "WARNING",
            "JOBS_MODE": "sync",
        }
        self.env.update(env or {})
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in __exit__)
        self.process = None

    def __enter__(self):
        args = [sys.executable, "-m", "gunicorn", self.app, "--workers", str(WORKERS)]
        args += ["--bind", f"{HOST}:{self.port}", "--log-level", "warning", "--timeout", "120", *EXTRA_ARGS]
        self.process = subprocess.Popen(args, cwd=common.ROOT, env=self.env, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start: {self.output()}")
            try:
                if fetch(self.port, "/gezond", timeout=2)[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within 60 s: {self.output()}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.log.close()


def prepare() -> tuple[str, dict]:
    """The largest synthetic municipality and its pages (one commissioning published there through the services)."""
    from django.db.models import Count
    from django.urls import reverse

    from core import services as core_services
    from core.models import Municipality, Role

    common.ensure_landscape()
    m = (
        Municipality.objects.filter(cbs_code__in=common.municipality_codes())
        .annotate(n=Count("organisations"))
        .order_by("-n", "cbs_code")
        .first()
    )
    commissioning = publish_commissioning(m, core_services, Role)
    pages = {
        f"overview {m.cbs_code} ({m.n} organisations)": reverse("landscape:overview", args=[m.cbs_code]),
        "organisation list": reverse("landscape:organisation_list", args=[m.cbs_code]),
        "public commissioning": reverse("publication:detail", args=[m.cbs_code, commissioning.pk]),
        "/api/v1/organisations": "/api/v1/organisations",
    }
    return m.cbs_code, pages


def publish_commissioning(m, core_services, Role):
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from tenders import rules
    from tenders import services as tenders
    from tenders.models import Commissioning, CPVCode

    existing = Commissioning.objects.filter(municipality=m, published_at__isnull=False).first()
    if existing is not None:
        return existing
    user = core_services.upsert_user("bench-inkoper")
    core_services.assign_role(user, Role.PROCUREMENT_OFFICER, municipality=m)
    c = tenders.create_commissioning(
        user,
        municipality=m,
        title="Samen Meedoen",
        goals="Inwoners doen mee in hun wijk, met vrijwilligers en buurtorganisaties.",
        route="open",
        term_years=5,
        option_count=4,
        option_years=1,
        main_cpv=CPVCode.objects.get(code="85310000-5"),
        tie_break="Bij gelijke score beslist de hoogste score op het zwaarste criterium.",
    )
    for i in range(3):
        tenders.save_lot(c, user, title=f"Perceel {i + 1}", annual_budget=Decimal("1000000"))
    scale = c.scale
    for title, weight in (("Plan van aanpak", 50), ("Samenwerking in de wijk", 30), ("Vrijwilligers", 20)):
        anchors = {s: f"Wat een inschrijving laat zien voor {s} punten." for s in scale}
        tenders.add_criterion(c, user, title=title, weight=weight, anchors=anchors)
    now = timezone.now()
    for i, kind in enumerate(rules.REQUIRED_DEADLINES[c.route], start=1):
        tenders.set_deadline(c, user, kind, now + datetime.timedelta(days=30 * i))
    # light regime: the notice is published on TED first (Directive art. 52(1))
    tenders.record_notice(c, user, tenderned_id="412345", dispatched_at=now, ted_published_at=now)
    tenders.publish(c, user)
    c.refresh_from_db()
    return c


WARM_UP_LIMIT = 200  # requests at most to warm one page in every worker


def measure(url: str, pages: dict, *, env: dict, n_rounds: int) -> dict:
    """Rates per path (the minimal view first, then the pages, `n_rounds` times in turn) on one server."""
    seconds, threads, limit = seconds_per_measurement(), concurrency(), request_limit()
    paths = {MINIMAL: "/gezond", **pages}
    totals = {label: {"ok": 0, "failed": 0, "hits": 0, "seconds": 0.0} for label in paths}
    with Server(url, env=env) as server:
        for label, path in paths.items():  # every worker has each page before the clock runs
            in_a_row = 0
            for _ in range(2 * WORKERS if label == MINIMAL else WARM_UP_LIMIT):
                status, cache, body = fetch(server.port, path)
                if status != 200:
                    raise RuntimeError(f"{path}: status {status}: {body[:300]!r} {server.output()}")
                # The kernel, not gunicorn, chooses the worker: warm until several answers in a row were hits.
                in_a_row = in_a_row + 1 if cache == "hit" else 0
                if label != MINIMAL and in_a_row >= 2 * WORKERS:
                    break
        for _ in range(n_rounds):
            for label, path in paths.items():
                result = hammer(server.port, path, seconds, threads, limit)
                for k in ("ok", "failed", "hits", "seconds"):
                    totals[label][k] += result[k]
    return {
        label: {**t, "rate": t["ok"] / t["seconds"] if t["seconds"] else 0.0, "hit share": t["hits"] / max(1, t["ok"])}
        for label, t in totals.items()
    }


def cpu_per_request(paths: dict, repeat: int) -> dict:
    """Milliseconds of this process's CPU per request through Django's whole stack (test client, no network), with the
    page cache warm and off: less sensitive to other work on the machine than a rate, since it counts only this
    process's time."""
    from django.test import Client, override_settings

    client = Client(HTTP_HOST=HOST)
    result = {}
    for cache_seconds in (None, 0):
        with override_settings(**({} if cache_seconds is None else {"PUBLIC_CACHE_SECONDS": cache_seconds})):
            for label, path in paths.items():
                assert client.get(path).status_code == 200, path
                started = time.process_time()
                for _ in range(repeat):
                    client.get(path)
                result[(label, cache_seconds)] = 1000 * (time.process_time() - started) / repeat
    return result


# The servers of one run: the page cache as configured by default (in each process's memory), off, and with the pages
# in the shared cache of settings.CACHES (a database table) instead.
VARIANTS = {
    "": {"PUBLIC_CACHE_STORE": "local"},
    "without page cache": {"PUBLIC_CACHE_SECONDS": "0"},
    "pages in the shared database cache": {"PUBLIC_CACHE_STORE": "shared"},
}


def run() -> dict:
    common.setup_django()
    from django.db import connection

    _code, pages = prepare()
    repeat = int(os.environ.get("BENCH_PAGES_CPU_REPEAT", "200"))
    cpu = cpu_per_request({MINIMAL: "/gezond", **pages}, repeat)
    url = database_url(connection.settings_dict, connection.vendor)
    connection.close()  # SQLite: the workers read the file; nothing of this process holds it
    figures = {
        "gunicorn workers (sync)": WORKERS,
        "load generator threads": concurrency(),
        "seconds per measurement": seconds_per_measurement(),
        "rounds (page cache / each other variant)": f"{rounds()} / {max(1, rounds() // 3)}",
        "CONN_MAX_AGE (s)": int(os.environ.get("BENCH_CONN_MAX_AGE", "60")),
    }
    for label in (MINIMAL, *pages):
        figures[f"{label}: CPU per request in-process, page cache / none (ms)"] = (
            f"{cpu[(label, None)]:.2f} / {cpu[(label, 0)]:.2f}"
        )
    failed, lowest = 0, None
    for variant, env in VARIANTS.items():
        results = measure(url, pages, env=env, n_rounds=rounds() if not variant else max(1, rounds() // 3))
        failed += sum(r["failed"] for r in results.values())
        minimal = results[MINIMAL]["rate"]
        suffix = f", {variant}" if variant else ""
        figures[f"{MINIMAL}{suffix} (req/s)"] = round(minimal, 1)
        for label in pages:
            share = 100 * results[label]["rate"] / minimal if minimal else 0.0
            figures[f"{label}{suffix} (req/s)"] = round(results[label]["rate"], 1)
            figures[f"{label}{suffix}: share of the minimal view (%)"] = round(share, 1)
            if not variant:
                figures[f"{label}: served from the page cache (%)"] = round(100 * results[label]["hit share"], 1)
                lowest = share if lowest is None else min(lowest, share)
    figures["failed requests"] = failed
    figures["lowest share with the page cache (%)"] = round(lowest, 1)
    figures["goal: every page ≥ 50% of the minimal view"] = "met" if lowest >= 50 and not failed else "not met"
    return figures


if __name__ == "__main__":
    for label, value in run().items():
        print(f"{label}: {value}")
