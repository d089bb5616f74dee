"""The shared body of `manage.py import_landscape` and `manage.py import_grants` (exit code 1 on any problem)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import Municipality

from .reading import ImportRefused, check_size
from .run import RECORD_TYPE_LABELS, run_import


class ImportCommand(BaseCommand):
    format = ""

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="CBS code, e.g. GM0546")
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args, municipality, files, dry_run, **options):
        with translation.override(settings.LANGUAGE_CODE):
            self._handle(municipality, files, dry_run, options)

    def import_options(self, municipality, options) -> dict:
        """Extra keyword arguments of run_import for this format."""
        return {}

    def refused_hint(self, refused: ImportRefused) -> str:
        return ""

    def _handle(self, code, paths, dry_run, options=None):
        m = Municipality.objects.filter(cbs_code=code).first()
        if m is None:
            raise CommandError(_("Unknown municipality %(code)s.") % {"code": code})
        files = []
        try:
            for path in map(Path, paths):
                if not path.is_file():
                    raise CommandError(_("File not found: %(path)s") % {"path": path})
                check_size(path.stat().st_size)  # before reading a huge file into memory
                files.append((path.name, path.read_bytes()))
            extra = self.import_options(m, options or {})
            result = run_import(m, files, format=self.format, actor="manage.py", dry_run=dry_run, **extra)
        except ImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(str(problem))
            if hint := self.refused_hint(refused):
                self.stderr.write(hint)
            n = len(refused.problems)
            raise CommandError(
                ngettext("%(n)s problem found; nothing was imported.", "%(n)s problems found; nothing was imported.", n)
                % {"n": n}
            ) from None
        for kind, counts in result["counts"].items():
            self.stdout.write(
                _("%(kind)s: %(create)s new, %(update)s updated, %(unchanged)s unchanged")
                % {"kind": RECORD_TYPE_LABELS[kind], **counts}
            )
        if "private_applications" in result:
            self.stdout.write(
                _("Applications by private individuals (stored anonymously): %(n)s")
                % {"n": result["private_applications"]}
            )
        self.stdout.write(_("Dry run: nothing was saved.") if dry_run else _("Done: everything was imported."))
