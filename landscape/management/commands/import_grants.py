import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from landscape.imports.command import ImportCommand
from landscape.imports.grants import FIELDS, Mapping, remembered_mapping
from landscape.imports.reading import ImportRefused


class Command(ImportCommand):
    help = (
        "Import a municipality's open grant register (CSV or XLSX) as organisations and municipal grants. Columns are "
        "recognised by their usual names, else by the mapping remembered for the municipality (saved in the import "
        'screen) or given with --mapping FILE: JSON {"columns": {"<header>": "<field>" or ""}, "amount": "granted" or '
        '"settled", "year": 2024}; fields: ' + ", ".join(FIELDS) + "."
    )
    format = "grants"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--mapping", metavar="FILE", help="JSON file mapping the register's columns to fields")
        parser.add_argument("--amount", choices=["granted", "settled"], help="which amount counts (default granted)")
        parser.add_argument("--year", type=int, help="the year of every row, for a register without a year column")

    def import_options(self, municipality, options) -> dict:
        mapping = remembered_mapping(municipality)
        if options.get("mapping"):
            mapping = self._read_mapping(Path(options["mapping"]))
        if options.get("amount"):
            mapping.amount = options["amount"]
        if options.get("year") is not None:
            if not 1900 <= options["year"] <= 2100:
                raise CommandError(_("%(value)s is not a year.") % {"value": options["year"]})
            mapping.year = options["year"]
        return {"mapping": mapping.as_dict()}

    def _read_mapping(self, path: Path) -> Mapping:
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(
                _("The mapping file %(path)s is not readable JSON: %(error)s") % {"path": path, "error": exc}
            ) from None
        columns = value.get("columns") if isinstance(value, dict) else None
        if not isinstance(columns, dict):
            raise CommandError(_('The mapping file needs "columns": {"<column>": "<field>"}.'))
        wrong = sorted({str(f) for f in columns.values() if f not in FIELDS and f not in ("", None)})
        if wrong:
            raise CommandError(
                _(
                    "Unknown fields in the mapping file: %(wrong)s; use one of: %(fields)s, or an empty string to "
                    "ignore a column."
                )
                % {"wrong": ", ".join(wrong), "fields": ", ".join(FIELDS)}
            )
        return Mapping.from_dict({**value, "columns": {k: f or "" for k, f in columns.items()}})

    def refused_hint(self, refused: ImportRefused) -> str:
        if refused.extra.get("missing"):
            return _("Say which column holds which field with --mapping FILE (see docs/import-template.md).")
        return ""
