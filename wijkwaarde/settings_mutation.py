"""Settings for mutation testing only (`make mutation`, docs/continuity.md "Mutation testing").

mutmut runs the tests once per mutant in a fresh process. With the default in-memory SQLite test database every run
would migrate a new database first (about 2.5 s, longer than the tests themselves); here the test database is a
SQLite file under mutmut's work folder, created once and reused (`--reuse-db`). Always SQLite, whatever DATABASE_URL
says, and run with one worker (`--max-children 1`): the file is shared by every run.
"""

from .settings import *  # noqa: F403
from .settings import BASE_DIR

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(BASE_DIR / "db.sqlite3"),
        "OPTIONS": {"timeout": 30},
        "TEST": {"NAME": str(BASE_DIR / "mutation-test.sqlite3")},
    }
}
