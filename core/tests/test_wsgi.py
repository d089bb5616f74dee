"""The WSGI module loads every view while the process starts (a worker's first request is then as fast as the
others) and opens no database connection doing so: with gunicorn's --preload the master imports it once and forks
its workers, which must not share a connection."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
import wijkwaarde.wsgi
from django.db import connections
print([c.alias for c in connections.all() if c.connection is not None])
print("bids.views.submission" in sys.modules, "tenders.views" in sys.modules or any(
    m.startswith("tenders.views") for m in sys.modules))
"""


def test_importing_the_wsgi_module_loads_the_views_and_opens_no_database_connection():
    env = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "test-only", "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1"}
    env |= {name: os.environ[name] for name in ("DATABASE_URL",) if name in os.environ}
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[:2] == ["[]", "True True"]
