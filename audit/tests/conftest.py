import pytest

from audit.anchoring import generate_key_file


@pytest.fixture
def signing_key_file(settings, tmp_path):
    """A fresh Ed25519 key in a file outside the database, as production configures it."""
    path = tmp_path / "audit-signing-key.pem"
    generate_key_file(path)
    settings.AUDIT_SIGNING_KEY = ""
    settings.AUDIT_SIGNING_KEY_FILE = str(path)
    settings.AUDIT_TRUSTED_PUBLIC_KEYS = []
    return path
