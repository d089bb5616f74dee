"""The only write path of core: municipalities, purchasing organisations, users, role assignments and TOTP devices.

Every function runs in a transaction, locks the row it changes and appends an audit event when something changed;
calling it again with the same values changes nothing and records nothing (the demo loader relies on that).
Secrets (password hashes, TOTP keys) never go into an audit summary.
"""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import diff, record

from .models import Municipality, PurchasingOrganisation, Role, RoleAssignment, User

USER_FIELDS = ["first_name", "last_name", "email", "is_active", "is_staff", "is_superuser"]


def _changed(obj, values: dict) -> dict:
    before = {f: getattr(obj, f) for f in values}
    for f, v in values.items():
        setattr(obj, f, v)
    return diff(before, {f: getattr(obj, f) for f in values})


def _contact(contact) -> dict:
    unknown = set(contact or {}) - set(Municipality.CONTACT_FIELDS)
    assert not unknown, unknown
    return {name: value or "" for name, value in (contact or {}).items()}


@transaction.atomic
def upsert_municipality(
    cbs_code: str, *, name: str, design_tokens=None, contact=None, actor=None, role=""
) -> Municipality:
    """Create or update a municipality by its CBS code. `design_tokens` None leaves the tokens unchanged; `contact`
    (a dict of Municipality.CONTACT_FIELDS) sets the address and contact point given, None leaves them."""
    municipality = Municipality.objects.select_for_update().filter(cbs_code=cbs_code).first()
    created = municipality is None
    if created:
        municipality = Municipality(cbs_code=cbs_code)
    values = {"name": name} | _contact(contact)
    if design_tokens is not None:
        values["design_tokens"] = dict(design_tokens)
    summary = _changed(municipality, values)
    if created or summary["after"]:
        municipality.full_clean()
        municipality.save()
        record(
            f"core.municipality.{'create' if created else 'update'}",
            actor=actor,
            role=role,
            municipality=municipality,
            obj=municipality,
            summary=summary,
        )
    return municipality


@transaction.atomic
def upsert_purchasing_organisation(
    name: str, *, municipalities, contact=None, actor=None, role=""
) -> PurchasingOrganisation:
    """Create a purchasing organisation or set the municipalities it acts for (and, with `contact`, its address and
    contact point)."""
    organisation, created = PurchasingOrganisation.objects.select_for_update().get_or_create(name=name)
    before = sorted(organisation.municipalities.values_list("cbs_code", flat=True))
    after = sorted(m.cbs_code for m in municipalities)
    contact_summary = _changed(organisation, _contact(contact))
    if created or before != after or contact_summary["after"]:
        organisation.full_clean()
        organisation.save()
        organisation.municipalities.set(municipalities)
        summary = diff({"municipalities": before}, {"municipalities": after})
        summary["before"] |= contact_summary["before"]
        summary["after"] |= contact_summary["after"]
        record(
            f"core.purchasing_organisation.{'create' if created else 'update'}",
            actor=actor,
            role=role,
            obj=organisation,
            summary=summary,
        )
    return organisation


@transaction.atomic
def upsert_user(username: str, *, password_hash: str | None = None, actor=None, role="", **values) -> User:
    """Create a user or update the given fields (USER_FIELDS).

    `password_hash` (from django.contrib.auth.hashers.make_password) is set only when the user is created, so that
    re-running a loader never resets a password someone changed; use `set_password` to change it on purpose.
    """
    unknown = set(values) - set(USER_FIELDS)
    if unknown:
        raise TypeError(f"unknown user fields: {sorted(unknown)}")
    user = User.objects.select_for_update().filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username)
        if password_hash:
            user.password = password_hash
        else:
            user.set_unusable_password()
    summary = _changed(user, values)
    if created or summary["after"]:
        user.full_clean(exclude=["password"])
        user.save()
        record(f"core.user.{'create' if created else 'update'}", actor=actor, role=role, obj=user, summary=summary)
    return user


@transaction.atomic
def set_password(user: User, raw_password: str, *, actor=None, role="") -> None:
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(raw_password)
    user.save(update_fields=["password"])
    record("core.user.set_password", actor=actor, role=role, obj=user, summary={"password": "changed"})


@transaction.atomic
def assign_role(
    user: User,
    role: str,
    *,
    municipality: Municipality | None = None,
    purchasing_organisation: PurchasingOrganisation | None = None,
    organisation=None,
    actor=None,
    actor_role="",
) -> RoleAssignment:
    """Give `user` a role for a municipality or for every municipality a purchasing organisation acts for.
    A provider representative names the (landscape) organisation they speak for. Assigning twice changes nothing."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    if (municipality is None) == (purchasing_organisation is None):
        raise ValueError("a role is held for exactly one municipality or one purchasing organisation")
    if (role == Role.PROVIDER_REPRESENTATIVE) != (organisation is not None):
        raise ValueError("only (and every) provider representative names the organisation they represent")
    if organisation is not None and municipality is not None and organisation.municipality_id != municipality.pk:
        raise ValueError("the organisation belongs to another municipality")
    assignment, created = RoleAssignment.objects.select_for_update().get_or_create(
        user=user,
        role=role,
        municipality=municipality,
        purchasing_organisation=purchasing_organisation,
        organisation=organisation,
    )
    if created:
        scope = municipality.cbs_code if municipality else purchasing_organisation.name
        record(
            "core.role.assign",
            actor=actor,
            role=actor_role,
            municipality=municipality,
            obj=assignment,
            summary={
                "user": user.username,
                "role": role,
                "scope": scope,
                "organisation": organisation.pk if organisation else None,
            },
        )
    return assignment


@transaction.atomic
def ensure_totp_device(user: User, *, name: str = "wijkwaarde", actor=None, role="") -> TOTPDevice:
    """Give `user` a confirmed TOTP device (with a fresh random key) unless they already have one."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        record("core.totp.create", actor=actor, role=role, obj=user, summary={"device": name})  # never the key
    return device


@transaction.atomic
def confirm_totp_device(user: User, key: str, *, name: str = "wijkwaarde", actor=None, role="") -> TOTPDevice:
    """Store the authenticator a user linked at their first login, confirmed (they typed a correct code). Devices that
    were never confirmed are removed. Audited; the key never enters the event."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    removed, _details = TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name=name, key=key, confirmed=True)
    from .access import municipalities_for, roles_for  # noqa: PLC0415

    record(
        "core.totp.confirm",
        actor=actor,
        role=role or ",".join(sorted(roles_for(user))),
        municipality=None if user.is_superuser else list(municipalities_for(user)),
        obj=user,
        summary={"device": name, "unconfirmed_removed": removed},
    )
    return device


def ensure_municipalities(rows: list[tuple[str, str]]) -> dict[str, Municipality]:
    """Bulk variant for generated (synthetic) data: create the municipalities (code, name) that do not exist yet,
    without an audit event per row: the caller records one event for the whole run. Returns them by CBS code."""
    for code, name in rows:
        Municipality(cbs_code=code, name=name).clean_fields()
    codes = [code for code, _ in rows]
    existing = set(Municipality.objects.filter(cbs_code__in=codes).values_list("cbs_code", flat=True))
    Municipality.objects.bulk_create(
        [Municipality(cbs_code=code, name=name) for code, name in rows if code not in existing]
    )
    return {m.cbs_code: m for m in Municipality.objects.filter(cbs_code__in=codes)}
