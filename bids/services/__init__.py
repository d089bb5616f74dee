"""The bids app's write path (docs/conventions.md), split by topic."""

# B1: sealing key, drafts, submission
from .drafts import add_file, create_submission, mark_confidential, remove_file, save_answer  # noqa: F401
from .keys import ensure_commissioning_key  # noqa: F401
from .submission import LateSubmission, submit, withdraw  # noqa: F401
