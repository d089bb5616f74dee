import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(__file__).resolve().parent / "static" / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Background tasks (core.jobs, e-mail) run at once, in the caller. A test that needs a job to wait in the queue
    uses the `queued_tasks` fixture (the database backend of production) and then runs a worker
    (`call_command("run_worker", "--batch", "--no-startup-delay")`) or plays it with `core.jobs.run_job(job.pk)`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def queued_tasks(settings):
    """Tasks wait in the database queue, as in production, until a worker takes them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's language (Dutch), whatever an earlier test in the same worker activated (a
    request through LocaleMiddleware leaves its language active in the thread); tests that want English say so."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests check logins, not the cost of PBKDF2: a cheap hasher keeps each login in milliseconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _audit_signing_key_outside_the_repository(settings, tmp_path):
    """No test signs audit checkpoints with (or creates) the developer's key under var/ (audit/anchoring.py)."""
    settings.AUDIT_SIGNING_KEY = ""
    settings.AUDIT_SIGNING_KEY_FILE = str(tmp_path / "audit-signing-key.pem")


@pytest.fixture(autouse=True)
def _bids_kek_outside_the_repository(settings, tmp_path):
    """Every test seals with its own key-encryption key, never the developer's file under var/ (bids/sealing.py)."""
    settings.BIDS_KEK = ""
    settings.BIDS_KEK_FILE = str(tmp_path / "bids-kek")
    settings.BIDS_KEK_CREATE = True


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Each test starts with an empty cache and an empty public page store (core.page_cache.store); the login lock,
    core.throttle, is a database row. Tests use a memory cache, so that tests without a database can run (production
    shares a database table, settings.CACHES)."""
    from django.core.cache import cache

    from core import page_cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    page_cache.store.clear()  # the database rolls back the page versions, so no test may find another's pages
    yield
    cache.clear()
    page_cache.store.clear()


def pytest_collection_modifyitems(config, items):
    """`@pytest.mark.postgres` tests need PostgreSQL (real row locks, concurrent connections): skipped on SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL=postgres://…)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


# --- browser tests (Playwright + Debian's chromium) ----------------------------------------------------------------
# One chromium per test session (per xdist worker); every test gets a fresh context (cookies) and page. Browser tests
# use pytest-django's `live_server`, which runs the site in a thread against the test database; it needs a
# transactional database, which `live_server` requests itself (SQLite in memory is shared with the server thread).


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside one unless told
    # that this is safe, and here it is (the loop only drives the browser; our test code is synchronous).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab on the live server, speaking Dutch like a Dutch resident's browser."""
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def assert_no_axe_violations(page):
    """Run axe-core (vendored) on the page for WCAG 2.1 A and AA; fail with a readable list of what is wrong."""
    # Loaded from our own static files, not inlined: the Content-Security-Policy allows no inline script.
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    violations = result["violations"]
    if violations:
        lines = [f"axe-core: {len(violations)} WCAG 2.1 A/AA violation(s) on {page.url}"]
        for v in violations:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"][:5]:
                lines.append(f"    {json.dumps(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
            if len(v["nodes"]) > 5:
                lines.append(f"    … and {len(v['nodes']) - 5} more")
        pytest.fail("\n".join(lines), pytrace=False)


def browser_login_helper(page, user, password=None, next_url="/"):
    """Log in through the real login pages; for municipal staff also type the current TOTP code (django-otp).
    Returns the page, on `next_url`."""
    from django.urls import reverse
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core import otp
    from core.testing import PASSWORD

    page.goto(f"{reverse('core:login')}?next={next_url}")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", password or PASSWORD)
    page.locator("main form button[type=submit]").click()
    if "/inloggen/" in page.url:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        assert device is not None, f"{user} must enter a code but has no confirmed TOTP device"
        page.fill("#id_token", otp.current_token(device))
        page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{next_url}")
    return page


@pytest.fixture
def axe_check():
    """`axe_check(page)`: assert_no_axe_violations as a fixture, so tests need not import conftest."""
    return assert_no_axe_violations


@pytest.fixture
def browser_login():
    """`browser_login(page, user, next_url="/")`: log in through the real pages, with the TOTP code if needed."""
    return browser_login_helper
