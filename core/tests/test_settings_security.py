"""Production settings (issue #9): no start without SECRET_KEY when DEBUG is off; HTTPS protections on by default with
DEBUG off; `manage.py check --deploy` reports nothing with DEBUG off, a SECRET_KEY and ALLOWED_HOSTS set; a
Content-Security-Policy on every page."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEY = "k" * 20 + "an-example-secret-key-for-this-test-only-0123456789"


def _run(args, **env):
    # Only what the test gives: other tests (the benchmarks) put settings switches in this process's environment.
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and not k.startswith(("SECURE_", "WIJKWAARDE_"))
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


SHOW = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'wijkwaarde.settings'); django.setup(); from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"  # noqa: E501


def test_settings_refuse_to_start_with_debug_off_and_no_secret_key():
    result = _run(["-c", SHOW], DEBUG="false")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
    assert _run(["-c", SHOW], DEBUG="true").returncode == 0


def test_with_debug_off_https_redirect_hsts_and_secure_cookies_are_on_unless_switched_off():
    on = _run(["-c", SHOW], DEBUG="false", SECRET_KEY=KEY)
    assert on.stdout.split() == ["True", "True", "True", str(365 * 24 * 3600)]
    off = _run(["-c", SHOW], DEBUG="false", SECRET_KEY=KEY, SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="0")
    assert off.stdout.split() == ["False", "True", "True", "0"]


def test_check_deploy_reports_nothing_with_debug_off_a_secret_key_and_allowed_hosts():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="false",
        SECRET_KEY=KEY,
        BIDS_KEK="A" * 43,
        ALLOWED_HOSTS="wijkwaarde.example.nl",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_every_page_has_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-eval'" not in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
