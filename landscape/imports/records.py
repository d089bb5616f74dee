"""What an import file means, independent of its layout: records that `landscape.services.import_records` writes.

Both the landscape template (`template.py`) and a municipality's open grant register (`grants.py`) parse into these.
Each record remembers the sheet and row it came from, so that a problem found later (e.g. a name already used by
another organisation in the registry) is still reported with its row number.
"""

from dataclasses import dataclass, field

from core.text import clean_text


def name_key(name: str) -> str:
    """Names are matched case- and spacing-insensitively, and without invisible characters (core.text.clean_text):
    'Stichting  Buurtkracht' == 'stichting buurtkracht' == 'Stichting\u200b Buurtkracht' (e.g. a name typed in a form
    before imports cleaned their text)."""
    return " ".join(clean_text(name).casefold().split())


@dataclass(frozen=True)
class OrganisationRef:
    """How a row points at an organisation: by KvK number when given, else by name."""

    kvk_number: str = ""
    name: str = ""

    def __str__(self) -> str:
        return self.kvk_number or self.name


@dataclass
class DistrictRecord:
    sheet: str
    row: int
    cbs_code: str
    name: str


@dataclass
class OrganisationRecord:
    sheet: str
    row: int
    ref: OrganisationRef
    values: dict  # Organisation fields set on create and update
    create_values: dict = field(default_factory=dict)  # set only when the organisation is new


@dataclass
class ActivityRecord:
    sheet: str
    row: int
    organisation: OrganisationRef
    title: str
    values: dict
    districts: list[str] | None = None  # CBS codes; None leaves them unchanged
    target_groups: list[str] | None = None  # TargetGroup codes; None leaves them unchanged


@dataclass
class FundingRecord:
    sheet: str
    row: int
    organisation: OrganisationRef
    year: int
    kind: str
    source_name: str
    description: str = ""
    activity_title: str = ""
    values: dict = field(default_factory=dict)


@dataclass
class ImportData:
    districts: list[DistrictRecord] = field(default_factory=list)
    organisations: list[OrganisationRecord] = field(default_factory=list)
    activities: list[ActivityRecord] = field(default_factory=list)
    fundings: list[FundingRecord] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # format-specific figures for the summary (e.g. private applicants)
    # Keys of rows that already have a problem: references to them are not reported a second time.
    failed: set = field(default_factory=set)

    def fail_organisation(self, kvk_number: str = "", name: str = ""):
        self.failed.update(k for k in (("org", kvk_number), ("org", name_key(name))) if k[1])

    def organisation_failed(self, ref: OrganisationRef) -> bool:
        return ("org", ref.kvk_number) in self.failed or ("org", name_key(ref.name)) in self.failed

    def fail_activity(self, organisation, title: str):
        self.failed.add(("activity", str(organisation).casefold(), title.casefold()))

    def activity_failed(self, organisation: OrganisationRef, title: str) -> bool:
        return ("activity", str(organisation).casefold(), title.casefold()) in self.failed

    @property
    def is_empty(self) -> bool:
        return not (self.districts or self.organisations or self.activities or self.fundings)
