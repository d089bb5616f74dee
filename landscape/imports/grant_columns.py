"""Which column of a grant register holds which field.

Columns are recognised by name, case- and spacing-insensitively, with the spellings municipalities use (ALIASES);
a title row above the header row is skipped (`find_header`). Other headers are guessed (`guess_columns`: a scheme
from "Soort" or "Programma" when no column names one, else a word the header contains) unless a person mapped them
(`Mapping`, remembered per municipality in GrantColumnMapping, or a --mapping file); which amount counts, granted
(default) or settled, is part of the mapping.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .reading import Problem, Table, is_empty, normalise_header

ALIASES = {
    "applicant": [
        "aanvrager",
        "naam aanvrager",
        "aanvrager naam",
        "organisatie",
        "naam organisatie",
        "ontvanger",
        "subsidieontvanger",
        "naam ontvanger",
        "begunstigde",
        "subsidieaanvrager",
    ],
    "kvk_number": ["kvk", "kvk-nummer", "kvk nummer", "kvknummer", "kvk-nr", "kvk nr", "kvk-nr.", "kvk nr."],
    "scheme": ["regeling", "regelingnaam", "regeling naam", "naam regeling", "subsidieregeling", "subsidie regeling"],
    "description": [
        "omschrijving",
        "projectnaam",
        "project",
        "omschrijving project",
        "activiteit",
        "doel",
        "doel subsidie",
        "projectomschrijving",
    ],
    "year": ["subsidiejaar", "jaar", "boekjaar", "subsidie jaar"],
    "amount_requested": ["aangevraagd bedrag", "aangevraagd", "bedrag aangevraagd", "gevraagd bedrag"],
    "amount_granted": [
        "verleend bedrag",
        "verleend",
        "bedrag verleend",
        "toegekend bedrag",
        "toegekend",
        "subsidiebedrag",
        "bedrag",
        "verleningsbedrag",
    ],
    "amount_settled": ["vastgesteld bedrag", "vastgesteld", "bedrag vastgesteld", "vaststellingsbedrag"],
    "policy_area": [
        "beleidsterrein",
        "programma",
        "beleidsveld",
        "beleidsprogramma",
        "thema",
        "beleidsdoel",
        "taakveld",
        "begrotingsprogramma",
    ],
    "periodic": [
        "periodiek/eenmalig",
        "eenmalig/periodiek",
        "periodiek",
        "eenmalig",
        "soort subsidie",
        "type subsidie",
        "looptijd",
    ],
    "applicant_type": [
        "type aanvrager",
        "soort aanvrager",
        "aanvrager type",
        "particulier",
        "natuurlijk persoon",
        "rechtsvorm aanvrager",
        "type ontvanger",
    ],
}
FIELDS = list(ALIASES)
FIELD_LABELS = {
    "applicant": gettext_lazy("applicant"),
    "kvk_number": gettext_lazy("KvK number"),
    "scheme": gettext_lazy("scheme"),
    "description": gettext_lazy("description"),
    "year": gettext_lazy("year"),
    "amount_requested": gettext_lazy("amount requested"),
    "amount_granted": gettext_lazy("amount granted"),
    "amount_settled": gettext_lazy("amount settled"),
    "policy_area": gettext_lazy("policy area"),
    "periodic": gettext_lazy("periodic or one-off"),
    "applicant_type": gettext_lazy("applicant type"),
}
# Registers without a scheme column often name it in one of these (the budget programme or the kind of grant).
SCHEME_FALLBACKS = ["soort", "programma", "subsidiesoort", "soort regeling", "begrotingsprogramma"]
# Headers that are none of the spellings in ALIASES are guessed from a word they contain, in this order of fields.
KEYWORDS = [
    ("kvk_number", ["kvk", "kamer van koophandel"]),
    ("applicant_type", ["type aanvrager", "soort aanvrager", "particulier", "rechtsvorm"]),
    ("amount_requested", ["aangevraagd", "gevraagd", "aanvraagbedrag"]),
    ("amount_settled", ["vastgesteld", "vaststelling", "gerealiseerd", "definitief"]),
    ("amount_granted", ["verleend", "verlening", "toegekend", "beschikt", "beschikking", "bedrag"]),
    ("year", ["jaar"]),
    ("periodic", ["eenmalig", "periodiek", "structureel", "incidenteel"]),
    ("scheme", ["regeling"]),
    ("policy_area", ["beleid", "programma", "taakveld", "thema"]),
    ("description", ["omschrijving", "project", "activiteit", "doel", "toelichting"]),
    ("applicant", ["ontvanger", "aanvrager", "begunstigde", "organisatie", "instelling", "naam"]),
]


@dataclass
class Mapping:
    """How the columns of a register map to FIELDS: `columns` {normalised header: field, or "" to ignore it} chosen
    by a person (remembered per municipality, or given with --mapping); other headers are guessed. `amount` says which
    amount counts ("granted" or "settled"); `year` is the year of every row of a register without a year column."""

    columns: dict = field(default_factory=dict)
    amount: str = "granted"
    year: int | None = None

    @classmethod
    def from_dict(cls, value: dict | None) -> "Mapping":
        value = value or {}
        columns = {normalise_header(k): (f if f in FIELDS else "") for k, f in (value.get("columns") or {}).items()}
        amount = value.get("amount") if value.get("amount") in ("granted", "settled") else "granted"
        year = value.get("year")
        year = int(year) if isinstance(year, int) or str(year or "").isdigit() else None
        return cls(columns, amount, year if year and 1900 <= year <= 2100 else None)

    def as_dict(self) -> dict:
        return {"columns": self.columns, "amount": self.amount, "year": self.year}

    def required(self) -> list[str]:
        needed = ["applicant", "scheme", "amount_granted" if self.amount == "granted" else "amount_settled"]
        return needed if self.year else needed + ["year"]


def guess_columns(headers, mapping: Mapping | None = None) -> dict[str, int]:
    """{field: column index}: what a person chose for a header first, then the known spellings (ALIASES), a scheme
    from "Soort" or "Programma" when no column names one, then a word the header contains (KEYWORDS). Each field
    takes the first column that fits, each column one field."""
    mapping = mapping or Mapping()
    keys = [normalise_header(h) for h in headers]
    chosen: list[str | None] = [mapping.columns.get(k) if k in mapping.columns else None for k in keys]
    taken = {f for f in chosen if f}

    def assign(fits) -> None:
        for f in FIELDS:
            if f in taken:
                continue
            for i, key in enumerate(keys):
                if chosen[i] is None and key and fits(f, key):
                    chosen[i] = f
                    taken.add(f)
                    break

    if "scheme" not in taken and not any(k in ALIASES["scheme"] for k in keys):
        fallback = next((i for i, k in enumerate(keys) if k in SCHEME_FALLBACKS and chosen[i] is None), None)
        if fallback is not None:
            chosen[fallback] = "scheme"
            taken.add("scheme")
    assign(lambda f, key: key in ALIASES[f])
    for f, words in KEYWORDS:
        if f not in taken:
            i = next((i for i, k in enumerate(keys) if chosen[i] is None and any(w in k for w in words)), None)
            if i is not None:
                chosen[i] = f
                taken.add(f)
    found: dict[str, int] = {}
    for i, f in enumerate(chosen):
        if f and f not in found:  # a field remembered for two headers: the first column holds it
            found[f] = i
    return found


def find_header(table: Table, mapping: Mapping | None = None) -> tuple[dict[str, int], list, int]:
    """The header row: the first row (of the first 10) naming an applicant and an amount; returns (columns, header
    cells, index of the first data row in table.rows)."""
    candidates = [(table.headers, 0)] + [(cells, i + 1) for i, (_n, cells) in enumerate(table.rows[:10])]
    for cells, start in candidates:
        columns = guess_columns(cells, mapping)
        if "applicant" in columns and any(a in columns for a in ("amount_granted", "amount_settled")):
            return columns, cells, start
    return guess_columns(table.headers, mapping), table.headers, 0


def describe_columns(header_cells, columns: dict[str, int], mapping: Mapping) -> dict:
    """What the preview shows and lets a person change: each column with the field it maps to ("" ignored)."""
    by_index = {i: f for f, i in columns.items()}
    return {
        "headers": [str(h) if h is not None else "" for h in header_cells],
        "fields": [by_index.get(i, "") for i in range(len(header_cells))],
        "amount": mapping.amount,
        "year": mapping.year,
    }


def missing_field_problem(name: str, missing: str, header_cells, columns: dict[str, int], mapping) -> Problem:
    """A required field no column maps to, with the columns that could (those not taken by another required field)."""
    required_columns = {i for f, i in columns.items() if f in mapping.required()}
    free = [str(h) for i, h in enumerate(header_cells) if i not in required_columns and not is_empty(h)]
    return Problem(
        _("No column for the required field %(field)s; columns it could map to: %(columns)s.")
        % {"field": FIELD_LABELS[missing], "columns": ", ".join(free) or _("none")},
        name,
        1,
    )


def remembered_mapping(municipality) -> Mapping:
    from ..models import GrantColumnMapping

    saved = GrantColumnMapping.objects.filter(municipality=municipality).first() if municipality else None
    return Mapping(dict(saved.columns), saved.amount) if saved else Mapping()
