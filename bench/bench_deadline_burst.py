"""Deadline burst: BENCH_BURST_BIDS bids (default 200) of BENCH_BURST_MB MB each (default 5), uploaded and submitted
at the same moment against a server started like production (gunicorn --preload, BENCH_BURST_WORKERS workers
(default 4) of BENCH_BURST_WORKER_CLASS (default sync) with BENCH_BURST_THREADS threads each (default 1), the
PostgreSQL bench database), with the sealing (SHA-256, AES-256-GCM, X25519 wrapping) and the deadline lock of the
real submit service (docs/adr/0008).

Reports, in one run:
- the machine's raw disk write speed: the same number of bytes written to the media folder's disk with one fsync
  (the median of three writes);
- the bids' throughput (MB of bid content per second, from the first request to the last receipt) and its share of
  that disk speed (the goal: at least 60%);
- the same bodies sent the same way to two reference servers under the same gunicorn options (bench.burst_reference):
  one that only receives and writes, one that also hashes and encrypts; the bids' throughput as a share of the
  second: what the machine, its HTTP server and the load generator on the same cores allow, against what the
  application takes on top;
- the slowest receipt (from a bidder's first byte to its receipt) and the median;
- lost: bids with neither a receipt nor a recorded late attempt (must be 0), and late attempts.

Set-up outside the measurement: one published commissioning with one lot; its deadline for bids is moved to
BENCH_BURST_WINDOW seconds (default 600) after the set-up through the database, so that the burst falls just before
it; BENCH_BURST_BIDS operators with a user, a confirmed e-mail address and a draft bid each; a logged-in session per
user. Every bidder's thread then uploads its file (multipart POST to the draft) and submits (POST), as a browser does.
PostgreSQL only: SQLite is the demo's database, not a production server.
"""

import io
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

if not __package__:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common

HOST = "127.0.0.1"


def settings_from_env() -> dict:
    return {
        "bids": int(os.environ.get("BENCH_BURST_BIDS", "200")),
        "mb": float(os.environ.get("BENCH_BURST_MB", "5")),
        "workers": int(os.environ.get("BENCH_BURST_WORKERS", "4")),
        "worker_class": os.environ.get("BENCH_BURST_WORKER_CLASS", "sync"),
        "threads": int(os.environ.get("BENCH_BURST_THREADS", "1")),
        "window": int(os.environ.get("BENCH_BURST_WINDOW", "600")),
    }


def disk_write_speed(directory: Path, total: int, chunk: int = 1 << 20, repeat: int = 3) -> float:
    """Bytes per second writing `total` random-looking bytes to a new file in `directory`, with one fsync: the median
    of `repeat` writes (one write swung between 160 and 1,560 MB/s from run to run, as the page cache and the disk's
    own cache absorbed more or less of it)."""
    block = os.urandom(chunk)
    directory.mkdir(parents=True, exist_ok=True)
    speeds = []
    for _ in range(repeat):
        fd, path = tempfile.mkstemp(dir=directory, prefix="disk-speed-")
        try:
            started = time.perf_counter()
            written = 0
            while written < total:
                written += os.write(fd, block[: min(chunk, total - written)])
            os.fsync(fd)
            speeds.append(total / (time.perf_counter() - started))
        finally:
            os.close(fd)
            os.unlink(path)
    return statistics.median(speeds)


def prepare(n: int, window: int) -> dict:
    """A published commissioning whose bid deadline is `window` seconds away, n operators each with a draft bid and a
    session; returns what the load generator needs."""
    from datetime import timedelta
    from decimal import Decimal

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string
    from django.utils import timezone

    from bids import services as bid_services
    from bids.models import EconomicOperator, OperatorMember
    from bids.rules import EXCLUSION_CODES
    from core.models import Municipality, Role, RoleAssignment, User
    from tenders.models import Deadline

    m, _ = Municipality.objects.get_or_create(cbs_code="GM9990", defaults={"name": "Burstdorp"})
    officer = User.objects.filter(username="burst-officer").first() or User.objects.create(username="burst-officer")
    RoleAssignment.objects.get_or_create(user=officer, role=Role.PROCUREMENT_OFFICER, municipality=m)
    c = publish(m, officer)
    lot = c.lots.first()
    Deadline.objects.filter(commissioning=c, kind=Deadline.Kind.BIDS).update(
        at=timezone.now() + timedelta(seconds=window)
    )
    bidders = []
    for i in range(n):
        user, _ = User.objects.get_or_create(username=f"burst-bidder-{i}")
        operator, _ = EconomicOperator.objects.get_or_create(
            kvk_number=f"{90000000 + i}",
            defaults={
                "name": f"Inschrijver {i}",
                "kind": "welfare",
                "street": "Straat 1",
                "postcode": "2311 CS",
                "city": "Burstdorp",
                "contact_name": "Contact",
                "contact_email": f"burst{i}@example.org",
                "email_confirmed_at": timezone.now(),
            },
        )
        OperatorMember.objects.get_or_create(operator=operator, user=user, defaults={"joined_at": timezone.now()})
        submission = bid_services.create_submission(user, operator, c, kind="bid", lot=lot)
        bid_services.declare(
            submission.participations.get(ring=0), user, {code: {"applies": False} for code in EXCLUSION_CODES}
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        bidders.append({"submission": submission.pk, "session": session.session_key, "csrf": _get_new_csrf_string()})
    return {"commissioning": c, "bidders": bidders, "budget": Decimal(lot.annual_budget)}


def publish(m, officer):
    """A published open procedure with one lot, built like the tests build one (tenders.tests.factories keeps up with
    the publish rules), so that the benchmark exercises the real services."""
    from tenders.tests.factories import published

    return published(m, user=officer)


def multipart(field: str, filename: str, content: bytes, extra: dict) -> tuple[bytes, str]:
    boundary = "----wijkwaarde-burst-" + os.urandom(8).hex()
    out = io.BytesIO()
    for name, value in extra.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    out.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
    )
    out.write(content)
    out.write(f"\r\n--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def post(port: int, path: str, body: bytes, content_type: str, bidder: dict, timeout: float = 600) -> int:
    import http.client

    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": content_type,
                "Cookie": f"sessionid={bidder['session']}; csrftoken={bidder['csrf']}",
                "X-CSRFToken": bidder["csrf"],
                "Referer": f"http://{HOST}:{port}/",
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def burst(port: int, bidders: list[dict], size: int) -> dict:
    from django.urls import reverse

    barrier = threading.Barrier(len(bidders))
    results = [None] * len(bidders)

    def bidder(i: int, b: dict):
        content = b"%PDF-1.7\n" + os.urandom(size - 9)
        body, ctype = multipart("file", f"plan-{i}.pdf", content, {"confidential_reason": ""})
        barrier.wait()
        started = time.perf_counter()
        try:
            up = post(port, reverse("bids:upload", args=[b["submission"]]), body, ctype, b)
            uploaded = time.perf_counter()
            sub = post(
                port, reverse("bids:submit", args=[b["submission"]]), b"", "application/x-www-form-urlencoded", b
            )
        except OSError as exc:
            up, sub, uploaded = f"error {exc}", None, time.perf_counter()
        results[i] = {
            "upload": up,
            "submit": sub,
            "started": started,
            "uploaded": uploaded,
            "done": time.perf_counter(),
        }

    threads = [threading.Thread(target=bidder, args=(i, b)) for i, b in enumerate(bidders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _process_ticks() -> dict[int, tuple[str, int, int]]:
    """{pid: (command, parent pid, CPU ticks (user + system))} of every process (Linux /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        command = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        found[int(entry.name)] = (command, int(fields[1]), int(fields[11]) + int(fields[12]))
    return found


def cpu_split(before: dict, after: dict, server_pid: int) -> dict[str, float]:
    """CPU seconds spent between two _process_ticks() snapshots by the server's processes (the gunicorn master and
    its workers), by PostgreSQL's processes, by this process (the load generator) and by everything else."""
    tick = os.sysconf("SC_CLK_TCK")
    server = {server_pid} | {pid for pid, (_c, parent, _t) in after.items() if parent == server_pid}
    split = {"web server": 0.0, "PostgreSQL": 0.0, "load generator": 0.0, "other": 0.0}
    for pid, (command, _parent, ticks) in after.items():
        used = (ticks - before.get(pid, (command, 0, 0))[2]) / tick
        if pid in server:
            split["web server"] += used
        elif command.startswith("postgres"):
            split["PostgreSQL"] += used
        elif pid == os.getpid():
            split["load generator"] += used
        else:
            split["other"] += used
    return split


def reference_burst(port: int, count: int, size: int) -> float:
    """`count` bodies of `size` bytes, built and released like the bids' uploads, POSTed to a reference server
    (bench.burst_reference); the bytes per second from the first request to the last answer."""
    barrier = threading.Barrier(count)
    spans = [None] * count
    statuses = set()

    def sender(i: int):
        content = b"%PDF-1.7\n" + os.urandom(size - 9)
        body, ctype = multipart("file", f"plan-{i}.pdf", content, {"confidential_reason": ""})
        barrier.wait()
        started = time.perf_counter()
        statuses.add(post(port, "/", body, ctype, {"session": "", "csrf": ""}))
        spans[i] = (started, time.perf_counter())

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if statuses != {200}:
        raise RuntimeError(f"the reference server answered {sorted(statuses)}")
    return count * size / (max(end for _, end in spans) - min(start for start, _ in spans))


def references(url: str, folder: Path, count: int, size: int) -> dict:
    """The two reference servers (bench.burst_reference) with the same gunicorn options as the bids' server:
    {name: (bytes per second, the server's CPU seconds)}."""
    from bench.bench_pages import Server

    speeds = {}
    for name, app in (("receive + hash + encrypt + write", "application"), ("receive + write", "plain")):
        with Server(url, env={"BENCH_REFERENCE_DIR": str(folder)}, app=f"bench.burst_reference:{app}") as server:
            ticks = _process_ticks()
            speed = reference_burst(server.port, count, size)
            speeds[name] = (speed, cpu_split(ticks, _process_ticks(), server.process.pid)["web server"])
        for path in folder.iterdir():
            path.unlink()
    return speeds


def run() -> dict:
    import base64

    from django.conf import settings
    from django.db import connection

    if not settings.BIDS_KEK and not Path(settings.BIDS_KEK_FILE).is_file():
        settings.BIDS_KEK = base64.urlsafe_b64encode(os.urandom(32)).decode()  # this run only
    if connection.vendor != "postgresql":
        return {"skipped": "needs PostgreSQL (a production-like server); run with DATABASE_URL"}
    from bench.bench_pages import Server, database_url
    from bids.models import LateAttempt, SealedVersion

    cfg = settings_from_env()
    size = int(cfg["mb"] * 1024 * 1024)
    prepared = prepare(cfg["bids"], cfg["window"])
    bidders = prepared["bidders"]
    total = size * len(bidders)
    # The server writes the bids into a folder of its own on the media folder's disk, removed after the run: a run
    # of 200 bids of 5 MB would otherwise leave 1 GB of ciphertext in the project's media folder each time.
    Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
    media = Path(tempfile.mkdtemp(prefix="bench-burst-", dir=settings.MEDIA_ROOT))
    kek = settings.BIDS_KEK or Path(settings.BIDS_KEK_FILE).read_text().strip()
    try:
        disk = disk_write_speed(media, total)
        url = database_url(connection.settings_dict, "postgresql")
        import bench.bench_pages as pages

        pages.WORKERS = cfg["workers"]
        # --preload: the workers fork from a master that loaded the application (wijkwaarde/wsgi.py loads every
        # view), so all of them are ready when the first answers, as on a server that has been running a while.
        pages.EXTRA_ARGS = ["--preload", "--worker-class", cfg["worker_class"], "--threads", str(cfg["threads"])]
        with Server(url, env={"MEDIA_ROOT": str(media), "BIDS_KEK": kek}) as server:
            ticks = _process_ticks()
            results = burst(server.port, bidders, size)
            cpu = cpu_split(ticks, _process_ticks(), server.process.pid)
        reference = references(url, Path(tempfile.mkdtemp(prefix="reference-", dir=media)), len(bidders), size)
    finally:
        shutil.rmtree(media, ignore_errors=True)
    first = min(r["started"] for r in results)
    last = max(r["done"] for r in results)
    ids = [b["submission"] for b in bidders]
    received = SealedVersion.objects.filter(submission_id__in=ids).values("submission_id").distinct().count()
    late = LateAttempt.objects.filter(submission_id__in=ids).values("submission_id").distinct().count()
    latencies = sorted(r["done"] - r["started"] for r in results)
    throughput = total / (last - first)
    return {
        "bids": len(bidders),
        "MB per bid": cfg["mb"],
        "gunicorn workers": f"{cfg['workers']} {cfg['worker_class']} x {cfg['threads']} threads",
        "raw disk write (MB/s)": round(disk / 1e6, 1),
        "bid throughput (MB/s)": round(throughput / 1e6, 1),
        "share of disk speed (%)": round(100 * throughput / disk, 1),
        **{
            f"reference server, {name} (MB/s, % of disk)": f"{speed / 1e6:.1f} ({100 * speed / disk:.1f}%)"
            for name, (speed, _cpu) in reference.items()
        },
        "bids as share of the reference that hashes and encrypts (%)": round(
            100 * throughput / reference["receive + hash + encrypt + write"][0], 1
        ),
        "web server CPU per bid (ms): bids / reference that hashes and encrypts / reference that writes": " / ".join(
            f"{1000 * seconds / len(bidders):.0f}"
            for seconds in (cpu["web server"], *(cpu_seconds for _speed, cpu_seconds in reference.values()))
        ),
        "wall time (s)": round(last - first, 2),
        "last upload done after (s)": round(max(r["uploaded"] for r in results) - first, 2),
        "submits (s, sum of their durations)": round(sum(r["done"] - r["uploaded"] for r in results), 2),
        "slowest receipt (s)": round(latencies[-1], 2),
        "median receipt (s)": round(statistics.median(latencies), 2),
        "CPU seconds during the burst (web server / PostgreSQL / load generator / other)": " / ".join(
            f"{seconds:.1f}" for seconds in cpu.values()
        ),
        "cores x wall time (s)": round((os.cpu_count() or 1) * (last - first), 1),
        "received": received,
        "late (recorded)": late,
        "lost": len(bidders) - received - late,
        "HTTP statuses": sorted({f"{r['upload']}/{r['submit']}" for r in results}),
    }


if __name__ == "__main__":
    common.setup_django()
    for label, figure in run().items():
        print(f"{label}: {figure}")
