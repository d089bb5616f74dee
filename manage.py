#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Commands that serve requests, send mail or may sign links need the real SECRET_KEY when DEBUG is off; every other
# command (checks, migrations, translations, imports, exports, the demo) may run with the development key.
KEY_COMMANDS = {"runserver", "run_worker", "shell", "sendtestemail"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwaarde.settings")
    if sys.argv[1:2] and sys.argv[1] not in KEY_COMMANDS and "--deploy" not in sys.argv:
        os.environ.setdefault("WIJKWAARDE_OFFLINE_COMMAND", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
