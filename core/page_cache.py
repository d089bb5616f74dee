"""Fast public pages: whole responses of public pages kept in each web process's memory, keyed by a version that
every service write bumps.

Public pages change only when a service writes, and every service write appends an audit event with its
municipality (audit.services.record). On its signal `event_recorded`, sent inside the service's transaction, `bump()`
increments a counter (core.PublicVersion) for that municipality and one for all writes; a write without a
municipality (a purchasing organisation's commissioning, a national generation, user accounts) bumps the
"no municipality" counter, which is part of every municipality page's key. A cached page is looked up under

    (counters of its scope, scheme, host, path, query string, language, Accept, HX-Request)

so the first request after a write, in any web process, reads the new counter (one small query) and renders afresh
(writes no public page shows are exempt: `register_unpublished`, e.g. a draft bid's changes before the opening);
the old entries are never found again and age out of the bounded store. The counter lives in the database rather than
in settings.CACHES: it commits or rolls back with the write, is never culled, and several processes on several
machines all see it. The pages themselves stay in process memory (PUBLIC_CACHE_MAX_BYTES per process): a hit costs one
primary-key query and no pickling (docs/benchmarks.md, bench_pages).

Only what is the same for every anonymous visitor is cached:
- views marked `@cached_public` (HTML, on top of `@public_view`) or DRF views with `public_cache = True`;
- GET requests whose only cookies are the CSRF and language cookies (no session: never a logged-in user, never a
  pending message) and without an Authorization header;
- responses 200, not streamed, without Set-Cookie, without a CSRF token in them (the view did not call get_token),
  not private or no-store, and with an unmodified session.
Pages that depend on the clock (a deadline passing) are kept at most PUBLIC_CACHE_SECONDS (default 60).
"""

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.http import HttpResponse

from .models import PublicVersion

ALL = "*"  # bumped by every write: pages about every municipality (the API lists, the home page)
NO_MUNICIPALITY = "-"  # bumped by writes without a municipality: part of every municipality page's key
HEADER = "X-Page-Cache"  # "hit" or "stored": how a response was served (tests and bench_pages read it)
DEFAULT_SECONDS = 60
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def bump(municipality_code: str = "") -> None:
    """Mark the public data of `municipality_code` (or, without one, of every municipality) as changed. Call inside
    the writing transaction (audit.services.record does): the bump commits or rolls back with the write. An event
    of a purchasing organisation names all its municipalities, comma-separated: each of them is bumped."""
    codes = [c.strip() for c in (municipality_code or "").split(",") if c.strip()]
    scopes = [*(codes or [NO_MUNICIPALITY]), ALL]
    PublicVersion.objects.bulk_create([PublicVersion(scope=s) for s in scopes], ignore_conflicts=True)
    PublicVersion.objects.filter(scope__in=scopes).update(version=F("version") + 1)


_unpublished_actions: set[str] = set()


def register_unpublished(*actions: str) -> None:
    """Audit actions whose writes no public page shows (an app registers them in its ready()): a draft bid's changes
    and its sealed submission before the opening. They skip the bump, which is two writes to two rows that every
    other write also updates; at a bid deadline hundreds of such writes would otherwise queue on those rows and
    throw away every cached public page of the municipality for nothing."""
    _unpublished_actions.update(actions)


def on_event_recorded(sender, event, **kwargs) -> None:
    """Receiver of audit.services.event_recorded (connected in core.apps): inside the writing transaction."""
    if event.action not in _unpublished_actions:
        bump(event.municipality_code)


def versions(scopes: list | tuple) -> tuple[int, ...]:
    """The current counters of `scopes`, in that order (0 for a scope never written), in one query."""
    # Plain SQL: on a cached page this is most of the work, and the ORM would build the same query every time.
    table = connection.ops.quote_name(PublicVersion._meta.db_table)
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(scopes))  # the values are parameters; the table name is our own
        cursor.execute(f"SELECT scope, version FROM {table} WHERE scope IN ({placeholders})", list(scopes))  # noqa: S608
        found = dict(cursor.fetchall())
    return tuple(found.get(s, 0) for s in scopes)


def cached_public(view):
    """Mark a public view (put it above `@public_view`) whose anonymous GET responses may be cached."""
    view.public_cache = True
    return view


def is_cached_view(view_func) -> bool:
    return bool(
        getattr(view_func, "public_cache", False) or getattr(getattr(view_func, "cls", None), "public_cache", False)
    )


@dataclass
class Entry:
    expires: float
    status: int
    headers: list
    content: bytes

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            response[name] = value
        response[HEADER] = "hit"
        return response


class Store:
    """A bounded least-recently-used map of entries, by the bytes of their content."""

    def __init__(self):
        self._entries: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key, now: float):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.expires <= now:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key, entry: Entry, max_bytes: int) -> None:
        size = len(entry.content)
        if size > max_bytes // 4:  # one page never pushes out most others
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key) -> None:
        self._bytes -= len(self._entries.pop(key).content)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


class SharedStore:
    """The alternative measured in bench_pages: entries in settings.CACHES["default"] (a database table by default),
    shared by all processes, at the price of a cache read (a query and unpickling) on every hit.
    PUBLIC_CACHE_STORE=shared chooses it."""

    def get(self, key, now: float):
        from django.core.cache import cache

        entry = cache.get(self._name(key))
        return entry if entry is not None and entry.expires > now else None

    def put(self, key, entry: Entry, max_bytes: int) -> None:
        from django.core.cache import cache

        cache.set(self._name(key), entry, timeout=max(1, int(entry.expires - time.time())))

    @staticmethod
    def _name(key) -> str:
        return "page:" + hashlib.sha256(repr(key).encode()).hexdigest()


store = Store()
shared_store = SharedStore()


def _store():
    return shared_store if getattr(settings, "PUBLIC_CACHE_STORE", "local") == "shared" else store


def _seconds() -> int:
    return int(getattr(settings, "PUBLIC_CACHE_SECONDS", DEFAULT_SECONDS))


def _cacheable_request(request) -> bool:
    allowed = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    return (
        request.method == "GET"
        and _seconds() > 0
        and set(request.COOKIES) <= allowed
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _storable(request, response) -> bool:
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds a CSRF token: it is this visitor's
        and "private" not in cache_control
        and "no-store" not in cache_control
        and not (session is not None and session.modified)
        and not (user is not None and user.is_authenticated)
    )


def _key(request, view_kwargs) -> tuple:
    code = view_kwargs.get("municipality")
    scopes = (code, NO_MUNICIPALITY) if code else (ALL,)
    return (
        scopes,
        versions(scopes),
        request.scheme,
        request.get_host(),
        request.path,
        request.META.get("QUERY_STRING", ""),
        getattr(request, "LANGUAGE_CODE", ""),
        request.META.get("HTTP_ACCEPT", ""),
        request.META.get("HTTP_HX_REQUEST", ""),
    )


class PublicPageCacheMiddleware:
    """Serve and keep anonymous GET responses of cacheable public views. Sits after LocaleMiddleware (the language is
    part of the key); the middleware around it (sessions, locale, security) still run on a cached response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_public_cache_key", None)
        if key is not None and _storable(request, response):
            headers = [(k, v) for k, v in response.items() if k != HEADER]
            entry = Entry(time.time() + _seconds(), response.status_code, headers, response.content)
            _store().put(key, entry, int(getattr(settings, "PUBLIC_CACHE_MAX_BYTES", DEFAULT_MAX_BYTES)))
            response[HEADER] = "stored"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not (is_cached_view(view_func) and _cacheable_request(request)):
            return None
        key = _key(request, view_kwargs)
        entry = _store().get(key, time.time())
        if entry is not None:
            return entry.response()
        request._public_cache_key = key
        return None
