"""The only write path of the landscape registry, split by topic: `registry` (districts, organisations, activities and
fundings one at a time), `matching` (an import checked against the registry, read-only) and `importing` (an import
written all-or-nothing, and the remembered column mapping of a grant register). Every function runs in a transaction,
locks the row it changes, validates it, and appends an audit event.

Natural keys (re-importing or re-loading the same data updates, never duplicates):
- District: CBS code.
- Organisation: KvK number within the municipality when known, else the exact name.
- Activity: (organisation, title).
- Funding: (organisation, activity, year, kind, source_name, description).

Imports (`import_records`) are audited differently from the single upserts: ONE event per import (action
"landscape.import", summary: file name, SHA-256 of the file, counts per record type), and nothing per row. A grant
register or a national-scale template has up to 100k rows; one chained event per row would flood the audit chain,
make `verify_audit` slow and hide the other events, while the file's hash identifies exactly what was imported (keep
the file to replay it). Imports validate every record against the registry first and then write everything in one
transaction with bulk inserts and updates (a fixed number of queries per batch, not per row): all or nothing.
"""

from .importing import BATCH_SIZE, check_records, import_records, save_grant_mapping
from .matching import RECORD_TYPES
from .registry import (
    ACTIVITY_FIELDS,
    FUNDING_FIELDS,
    ORGANISATION_FIELDS,
    find_organisation,
    upsert_activity,
    upsert_district,
    upsert_funding,
    upsert_organisation,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "BATCH_SIZE",
    "FUNDING_FIELDS",
    "ORGANISATION_FIELDS",
    "RECORD_TYPES",
    "check_records",
    "find_organisation",
    "import_records",
    "save_grant_mapping",
    "upsert_activity",
    "upsert_district",
    "upsert_funding",
    "upsert_organisation",
]
