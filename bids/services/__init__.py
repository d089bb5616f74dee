"""The only write path of bids, split by topic; each engineer adds the import lines of their own module."""

from .opening import appoint_opener, confirm_opening, record_read, remove_opener

__all__ = ["appoint_opener", "confirm_opening", "record_read", "remove_opener"]
