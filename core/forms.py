from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import throttle


def locked_message(username: str) -> str:
    minutes = throttle.minutes_locked(username)
    return ngettext(
        "Too many failed attempts. Try again in %(minutes)d minute.",
        "Too many failed attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class LoginForm(forms.Form):
    """Username and password. Every failure counts towards the lock of that username (core.throttle)."""

    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        username = cleaned["username"]

        def check():
            user = authenticate(self.request, username=username, password=cleaned["password"])
            return user if user is not None and user.is_active else None

        # The lock is checked, the password verified and a failure counted under one row lock (core.throttle). A
        # password-only account is logged in by this step, so its count is cleared; staff still need the code.
        outcome, self.user = throttle.guarded(username, check, reset_on_success=_completes_login)
        if outcome is throttle.Outcome.LOCKED:
            raise forms.ValidationError(locked_message(username), code="locked")
        if outcome is throttle.Outcome.WRONG:
            raise forms.ValidationError(_("Username or password is not correct."), code="invalid_login")
        return cleaned


def _completes_login(user) -> bool:
    from .access import needs_second_factor

    return not needs_second_factor(user)


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6-digit code."), "required": _("Enter the 6-digit code.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "maxlength": 8}
        )
