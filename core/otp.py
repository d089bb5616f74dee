"""Two-factor authentication with TOTP (django-otp): device lookup, enrolment, and the demo hint."""

import base64

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


# The key of an authenticator being linked lives in the session until the user confirms it with a code: showing the
# enrolment page (a GET) writes nothing; the device is stored, confirmed and audited only on a correct code
# (core.services.confirm_totp_device).
ENROL_KEY = "wijkwaarde_enrol_key"


def enrolment_device(session, user) -> TOTPDevice:
    """An unsaved device with the key kept in the session (a new random key the first time)."""
    key = session.get(ENROL_KEY)
    if not key:
        key = session[ENROL_KEY] = random_hex(20)
    return TOTPDevice(user=user, name="wijkwaarde", key=key, confirmed=False)


def verify_enrolment(device: TOTPDevice, token: str) -> bool:
    """Check a code against an unsaved device without writing anything."""
    try:
        value = int(token)
    except ValueError:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return totp.verify(value, tolerance=device.tolerance)


# The name of the devices `manage.py load_demo` creates (core.demo.demo_user): only their codes are ever shown.
DEMO_DEVICE_NAME = "wijkwaarde-demo"


def demo_hint(device: TOTPDevice) -> str | None:
    """The current code to show on the login page, or None. Only in a demo: DEMO_SHOW_TOTP set, DEBUG on (never in
    production), and only for a device the demo created; every other account's code stays secret."""
    from django.conf import settings

    if settings.DEMO_SHOW_TOTP and settings.DEBUG and device.confirmed and device.name == DEMO_DEVICE_NAME:
        return current_token(device)
    return None


def current_token(device: TOTPDevice) -> str:
    """The code the authenticator shows now (used only for the demo hint, settings.DEMO_SHOW_TOTP)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def qr_svg(device: TOTPDevice) -> str:
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def secret_base32(device: TOTPDevice) -> str:
    """The key for typing into an authenticator app by hand, in groups of four characters."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
