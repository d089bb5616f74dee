"""Who may use what. Every view and API endpoint declares its access here; nothing is open by accident.

- `public_view`: anyone, also without logging in (the public registry, the accessibility statement).
- `login_view`: any logged-in user (own job progress, own account).
- `role_view(*roles)`: a user holding one of `roles` for the municipality in the URL (kwarg `municipality`, a CBS code)
  or, for views without one, for any municipality.
Municipal roles need a verified second factor (TOTP); a session without it is sent back to the login.
`core.tests.test_access_declared` walks every URL and fails on a view without a declaration.
"""

from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import MUNICIPAL_ROLES, Municipality, Role, RoleAssignment


@dataclass(frozen=True)
class Access:
    public: bool = False
    authenticated: bool = False
    roles: frozenset = field(default_factory=frozenset)

    def describe(self) -> str:
        if self.public:
            return "public"
        if not self.roles:
            return "any logged-in user"
        return ", ".join(sorted(str(r) for r in self.roles))


def _assignments(user):
    cached = getattr(user, "_wijkwaarde_assignments", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user).prefetch_related("purchasing_organisation__municipalities")
        )
        user._wijkwaarde_assignments = cached
    return cached


def _unverified(user) -> bool:
    """A user of a request (django-otp's middleware gives it `is_verified`) whose session has no verified second
    factor. Users loaded elsewhere (commands, services called with a stored user) carry no such attribute."""
    verified = getattr(user, "is_verified", None)
    return verified is not None and not verified()


def roles_for(user, municipality: Municipality | None = None) -> set[str]:
    """The roles `user` holds for `municipality` (directly or through a purchasing organisation); any, if None.

    Municipal roles count only in a session with a verified second factor: a session logged in with a password
    alone (e.g. before the role was given) holds none of them (issue #9), wherever roles are checked."""
    if not getattr(user, "is_authenticated", False):
        return set()
    held = set()
    for a in _assignments(user):
        direct = municipality is None or a.municipality_id == municipality.pk
        through_purchasing = (
            not direct
            and a.purchasing_organisation_id
            and any(m.pk == municipality.pk for m in a.purchasing_organisation.municipalities.all())
        )
        if direct or through_purchasing:
            held.add(a.role)
    if _unverified(user):
        held -= set(MUNICIPAL_ROLES)
    return held


def municipalities_for(user, roles=None):
    """Municipalities in which `user` holds one of `roles` (any role if None)."""
    if not getattr(user, "is_authenticated", False):
        return Municipality.objects.none()
    if user.is_superuser:
        return Municipality.objects.all()
    q = RoleAssignment.objects.filter(user=user)
    if roles:
        q = q.filter(role__in=roles)
    return Municipality.objects.filter(
        Q(pk__in=q.values("municipality")) | Q(purchasing_organisations__in=q.values("purchasing_organisation"))
    ).distinct()


def represented_organisation_ids(user) -> set[int]:
    """Organisations (landscape) a provider representative speaks for."""
    return (
        {a.organisation_id for a in _assignments(user) if a.role == Role.PROVIDER_REPRESENTATIVE and a.organisation_id}
        if getattr(user, "is_authenticated", False)
        else set()
    )


def needs_second_factor(user) -> bool:
    """Municipal staff (and Django staff) must log in with TOTP."""
    return bool(user.is_staff or user.is_superuser or any(a.role in MUNICIPAL_ROLES for a in _assignments(user)))


def has_role(user, roles, municipality: Municipality | None = None) -> bool:
    if getattr(user, "is_superuser", False):
        return not _unverified(user)
    return bool(roles_for(user, municipality) & set(roles))


def _resolve_municipality(request, kwargs):
    code = kwargs.get("municipality")
    request.municipality = get_object_or_404(Municipality, cbs_code=code) if code else None
    return request.municipality


def _second_factor_missing(request) -> bool:
    user = request.user
    return needs_second_factor(user) and not (hasattr(user, "is_verified") and user.is_verified())


def public_view(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        _resolve_municipality(request, kwargs)
        return view(request, *args, **kwargs)

    wrapped.access = Access(public=True)
    return wrapped


def login_view(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated or _second_factor_missing(request):
            return redirect_to_login(request.get_full_path())
        _resolve_municipality(request, kwargs)
        return view(request, *args, **kwargs)

    wrapped.access = Access(authenticated=True)
    return wrapped


def role_view(*roles):
    allowed = frozenset(roles)
    assert allowed and allowed <= set(Role.values), roles

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated or _second_factor_missing(request):
                return redirect_to_login(request.get_full_path())
            municipality = _resolve_municipality(request, kwargs)
            if not has_role(request.user, allowed, municipality):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access = Access(roles=allowed)
        return wrapped

    return decorator


# --- API (DRF) -------------------------------------------------------------------------------------------------


class NoAccessDeclared(BasePermission):
    """Default permission: an endpoint that does not declare its access is closed to everyone."""

    def has_permission(self, request, view):
        return False


class PublicReadOnly(BasePermission):
    """Public open data: anyone may read, nobody may write through this endpoint."""

    declared = "public, read-only"

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS


def api_roles(*roles):
    """A DRF permission class for users holding one of `roles` for the `municipality` of the request
    (URL kwarg or query parameter, a CBS code); `view.get_municipality()` may resolve it otherwise."""
    allowed = frozenset(roles)

    class HasRole(BasePermission):
        declared = ", ".join(sorted(allowed))

        def has_permission(self, request, view):
            user = request.user
            if not user or not user.is_authenticated:
                return False
            if _second_factor_missing(request):
                return False
            code = view.kwargs.get("municipality") or request.query_params.get("municipality")
            municipality = Municipality.objects.filter(cbs_code=code).first() if code else None
            if code and municipality is None:
                return False
            return has_role(user, allowed, municipality)

    HasRole.__name__ = "HasRole_" + "_".join(sorted(allowed))
    return HasRole
