"""The only write path of bids, split by topic; each engineer adds the import lines of their own module."""

from .consortium import (  # noqa: F401  (B2: consortia, commitments, declarations)
    add_participation,
    decide_participation,
    declare,
    delete_commitment,
    ensure_lead_participation,
    save_commitment,
    set_consortium_name,
    set_reliance,
)
from .demo_accounts import confirm_demo_operator_email  # noqa: F401  (D: the demo's operators)
from .drafts import add_file, create_submission, mark_confidential, remove_file, save_answer  # B1
from .keys import ensure_commissioning_key  # B1
from .opening import appoint_opener, confirm_opening, record_read, remove_opener  # B3
from .operators import (  # noqa: F401  (B2: operators, colleagues, landscape matches)
    accept_invitation,
    confirm_operator_email,
    decide_match,
    invite_colleague,
    propose_matches,
    register_operator,
    resend_confirmation,
)
from .submission import LateSubmission, submit, withdraw  # B1

__all__ = [
    "LateSubmission",
    "add_file",
    "appoint_opener",
    "confirm_opening",
    "create_submission",
    "ensure_commissioning_key",
    "mark_confidential",
    "record_read",
    "remove_file",
    "remove_opener",
    "save_answer",
    "submit",
    "withdraw",
]
