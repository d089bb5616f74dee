"""Deployment checks of sealed bids (`manage.py check --deploy`): a key-encryption key must be configured, and it
must not live where a copy of the media folder or the static files would carry it (docs/security.md)."""

from pathlib import Path

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def kek_configured(app_configs=None, **kwargs):
    if getattr(settings, "BIDS_KEK", ""):
        return []
    path = Path(getattr(settings, "BIDS_KEK_FILE", "") or "")
    if not str(path) or (not path.is_file() and not getattr(settings, "BIDS_KEK_CREATE", False)):
        return [
            checks.Error(
                "No key-encryption key for sealed bids: set BIDS_KEK, or BIDS_KEK_FILE to an existing file.",
                hint="python -c 'import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())'",
                id="bids.E001",
            )
        ]
    resolved = path.resolve()
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        root = Path(getattr(settings, name)).resolve()
        if resolved == root or root in resolved.parents:
            return [
                checks.Error(
                    f"BIDS_KEK_FILE lies inside {name}: a copy of that folder would carry the key with the bids.",
                    id="bids.E002",
                )
            ]
    return []
