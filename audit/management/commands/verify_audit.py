from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.anchoring import load_export, store_check, verify


class Command(BaseCommand):
    help = (
        "Check the audit chain: its links, and the signed checkpoints stored in the database and in an auditor's "
        "file (--checkpoints). Exit 0 when intact; otherwise name every problem (rewrites, truncation) in Dutch."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            metavar="FILE",
            action="append",
            default=[],
            help="a checkpoint export (JSON) an auditor kept; may be given more than once",
        )

    def handle(self, *args, checkpoints, **options):
        extra = []
        for name in checkpoints:
            try:
                extra += load_export(Path(name).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(
                    _("Cannot read checkpoint file %(file)s: %(error)s") % {"file": name, "error": exc}
                ) from exc
        report = verify(extra_checkpoints=extra)
        store_check(report, checked_by="verify_audit")
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("Audit chain broken: %(count)s problem(s). First: %(problem)s")
                % {"count": len(report.problems), "problem": report.problems[0]}
            )
        last = report.last_verified
        self.stdout.write(
            _("Audit chain intact: %(events)s events, %(checkpoints)s signed checkpoint(s) checked.")
            % {"events": report.events, "checkpoints": report.checkpoints_checked}
        )
        if last:
            self.stdout.write(
                _("Last verified checkpoint: event %(seq)s, %(at)s.") % {"seq": last["seq"], "at": last["created_at"]}
            )
        else:
            self.stdout.write(_("No signed checkpoint covers the chain yet: run manage.py audit_checkpoint."))
