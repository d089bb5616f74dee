"""Signals of the login flow beyond Django's own (user_logged_in, user_login_failed), so that the audit log can record
them without the login code knowing about it. Never send a password or a code with them."""

from django.dispatch import Signal

# A wrong (or expired) second-factor code was entered: kwargs user, request.
second_factor_failed = Signal()
# A username was locked after too many failed attempts: kwargs username, request (may be None).
login_locked_out = Signal()
