"""The only write path of bids, split by topic; each engineer adds the import lines of their own module."""

# drafts, keys, submission: B1; opening: B3
from .drafts import add_file, create_submission, mark_confidential, remove_file, save_answer
from .keys import ensure_commissioning_key
from .opening import appoint_opener, confirm_opening, record_read, remove_opener
from .submission import LateSubmission, submit, withdraw

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
