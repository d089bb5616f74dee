#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Commands that neither serve requests nor sign anything may run without a SECRET_KEY when DEBUG is off (they get
# the development key): checks (not --deploy), migrations, translations, the cache table, static files, the demo.
OFFLINE_COMMANDS = {
    "check",
    "makemigrations",
    "migrate",
    "showmigrations",
    "sqlmigrate",
    "makemessages",
    "compilemessages",
    "createcachetable",
    "collectstatic",
    "load_demo",
}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwaarde.settings")
    if sys.argv[1:2] and sys.argv[1] in OFFLINE_COMMANDS and "--deploy" not in sys.argv:
        os.environ.setdefault("WIJKWAARDE_OFFLINE_COMMAND", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
