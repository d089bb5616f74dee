"""Settings for mutation testing only (`make mutation`, docs/continuity.md "Mutation testing").

mutmut runs the tests once per mutant in a fresh process. With the default in-memory SQLite test database every run
would migrate a new database first (about 2.5 s, longer than the tests themselves); here the test database is a
SQLite file under mutmut's work folder, created once and reused (`--reuse-db`). Always SQLite, whatever DATABASE_URL
says. The file is shared by every run; with two workers (`--max-children 2`) two runs may write at once. SQLite's
default deferred transactions would then fail one of them at once with "database is locked" when both upgrade a read
to a write (waiting would deadlock), and that failure would count as a killed mutant. `BEGIN IMMEDIATE` takes the write
lock when a transaction starts and waits for it (up to `timeout` seconds) instead: runs that write take turns, and a
mutant is only killed by a failing assertion.
"""

from hypothesis import Phase
from hypothesis import settings as hypothesis_settings

from .settings import *  # noqa: F403
from .settings import BASE_DIR

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(BASE_DIR / "db.sqlite3"),
        "OPTIONS": {"timeout": 60, "transaction_mode": "IMMEDIATE"},
        "TEST": {"NAME": str(BASE_DIR / "mutation-test.sqlite3")},
    }
}

# A killed mutant fails a hypothesis test at its first failing example; shrinking that example to the smallest one
# (hypothesis' default) costs seconds per mutant and tells mutmut nothing more. Same examples as the normal run
# otherwise; no deadline (a shared machine is slow at times). With "--tb=native" in pyproject.toml pytest does not
# parse the mutated impact.py (a hundred thousand lines) to show each failure.
hypothesis_settings.register_profile(
    "mutation", phases=[Phase.explicit, Phase.reuse, Phase.generate], deadline=None, derandomize=True
)
hypothesis_settings.load_profile("mutation")
