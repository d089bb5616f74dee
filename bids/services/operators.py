"""Economic operators register themselves, confirm their e-mail address, invite colleagues, and are matched to the
landscape registry (issue 11). Every function runs in one transaction with an audit event; e-mails go out after the
commit through bids.tasks."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.eu import vat as eu_vat
from stdnum.nl import postcode as nl_postcode

from core.access import has_role
from core.models import Role
from core.validators import normalise_kvk, validate_kvk
from landscape.imports.records import name_key
from landscape.models import Organisation

from .. import rules
from ..models import EconomicOperator, OperatorKind, OperatorMatch, OperatorMember, OperatorToken
from ._helpers_b2 import _audit_event, _fail, _mail_token_after_commit, _new_token, _token_hash

User = get_user_model()

# Who confirms or rejects a proposed match, for the municipality of the landscape organisation.
MATCH_DECIDERS = (Role.POLICY_ADVISOR, Role.PROCUREMENT_OFFICER, Role.ADMINISTRATOR)

REGISTRATION_FIELDS = (
    "name",
    "kind",
    "kvk_number",
    "foreign_registration",
    "country",
    "vat_number",
    "street",
    "postcode",
    "city",
    "contact_name",
    "contact_email",
    "contact_phone",
)


def _clean_registration(values: dict) -> dict:
    """Normalise and check the operator's details; raises a ValidationError per field (Dutch messages)."""
    v = {f: str(values.get(f) or "").strip() for f in REGISTRATION_FIELDS}
    v["country"] = (v["country"] or "NL").upper()
    v["kvk_number"] = normalise_kvk(v["kvk_number"])
    v["contact_email"] = v["contact_email"].lower()
    errors = {}
    if not v["name"]:
        errors["name"] = _("Give the name of the organisation.")
    if v["kind"] not in OperatorKind.values:
        errors["kind"] = _("Choose the kind of organisation.")
    if len(v["country"]) != 2 or not v["country"].isalpha():
        errors["country"] = _("Give the country as a two-letter code, e.g. NL or BE.")
    if v["kvk_number"]:
        try:
            validate_kvk(v["kvk_number"])
        except ValidationError as e:
            errors["kvk_number"] = e.messages[0]
    elif v["country"] == "NL":
        errors["kvk_number"] = _("A Dutch organisation gives its KvK number.")
    elif not v["foreign_registration"]:
        errors["foreign_registration"] = _("Give the KvK number or the registration number in your country.")
    if v["vat_number"]:
        if message := rules.vat_number_error(v["vat_number"], v["country"]):
            errors["vat_number"] = message
        else:
            v["vat_number"] = eu_vat.compact(v["vat_number"])
    if v["country"] == "NL":
        if nl_postcode.is_valid(v["postcode"]):
            v["postcode"] = nl_postcode.validate(v["postcode"])
        else:
            errors["postcode"] = _("Not a valid Dutch postcode (e.g. 2311 EZ).")
    elif not v["postcode"]:
        errors["postcode"] = _("Give the postcode.")
    for f, message in (
        ("street", _("Give the street and number.")),
        ("city", _("Give the place.")),
        ("contact_name", _("Give the name of the contact person.")),
    ):
        if not v[f]:
            errors[f] = message
    try:
        validate_email(v["contact_email"])
    except ValidationError:
        errors["contact_email"] = _("Give a valid e-mail address.")
    if v["kvk_number"] and EconomicOperator.objects.filter(kvk_number=v["kvk_number"]).exists():
        errors["kvk_number"] = _(
            "An organisation with this KvK number is already registered. Ask its colleagues to invite you."
        )
    _fail(errors)
    return v


def _new_account(email: str, password: str):
    if User.objects.filter(username__iexact=email).exists():
        raise ValidationError({"contact_email": _("An account with this e-mail address exists already: log in first.")})
    candidate = User(username=email, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as e:
        raise ValidationError({"password": e.messages}) from e
    candidate.set_password(password)
    candidate.save()
    return candidate


def _issue_token(operator, purpose, email, user, now):
    raw, digest = _new_token()
    token = OperatorToken.objects.create(
        operator=operator,
        purpose=purpose,
        email=email,
        token_sha256=digest,
        created_by=user,
        created_at=now,
        expires_at=now + timedelta(days=rules.TOKEN_DAYS),
    )
    _mail_token_after_commit(token.pk, raw)
    return token


def register_operator(*, user=None, password: str = "", now=None, **values) -> EconomicOperator:
    """Register an operator with its registrant as its first member (manager). Without a logged-in `user` an account
    is made: the username is the contact e-mail address, the password passes Django's validators. A link to confirm
    the address is mailed after the commit; until then the operator cannot take part."""
    now = now or timezone.now()
    with transaction.atomic():
        v = _clean_registration(values)
        if user is None:
            user = _new_account(v["contact_email"], password)
        try:
            with transaction.atomic():
                operator = EconomicOperator.objects.create(**v)
        except IntegrityError as e:  # a registration with the same KvK number committed in between
            raise ValidationError(
                {"kvk_number": _("An organisation with this KvK number is already registered.")}
            ) from e
        OperatorMember.objects.create(operator=operator, user=user, is_manager=True, joined_at=now)
        _issue_token(operator, OperatorToken.Purpose.CONFIRM_EMAIL, operator.contact_email, user, now)
        _audit_event(
            "bids.operator_register",
            actor=user,
            obj=operator,
            summary={"kind": operator.kind, "country": operator.country, "kvk": bool(operator.kvk_number)},
        )
        _propose(operator, now)
    return operator


def _find_token(raw: str, purpose, now):
    token = (
        OperatorToken.objects.select_for_update()
        .select_related("operator")
        .filter(token_sha256=_token_hash(raw), purpose=purpose)
        .first()
    )
    if not rules.token_is_valid(token, now):
        raise ValidationError(_("This link is not valid (any more). Ask for a new one."), code="token")
    return token


def confirm_operator_email(raw_token: str, now=None) -> EconomicOperator:
    """The link from the registration mail: the operator's e-mail address is confirmed; the token is used up."""
    now = now or timezone.now()
    with transaction.atomic():
        token = _find_token(raw_token, OperatorToken.Purpose.CONFIRM_EMAIL, now)
        operator = EconomicOperator.objects.select_for_update().get(pk=token.operator_id)
        token.used_at = now
        token.save(update_fields=["used_at"])
        if operator.email_confirmed_at is None:
            operator.email_confirmed_at = now
            operator.save(update_fields=["email_confirmed_at"])
        _audit_event("bids.operator_confirm_email", actor=token.created_by, obj=operator, summary={"token": token.pk})
    return operator


def resend_confirmation(operator, user, now=None) -> OperatorToken:
    """A new confirmation link (the old ones stop working), for a manager of an unconfirmed operator."""
    now = now or timezone.now()
    with transaction.atomic():
        operator = EconomicOperator.objects.select_for_update().get(pk=operator.pk)
        if not rules.is_manager(user, operator):
            raise ValidationError(_("Only a manager of the organisation can do this."), code="forbidden")
        if operator.email_confirmed_at is not None:
            raise ValidationError(_("The e-mail address is confirmed already."), code="confirmed")
        operator.tokens.filter(purpose=OperatorToken.Purpose.CONFIRM_EMAIL, used_at__isnull=True).update(expires_at=now)
        token = _issue_token(operator, OperatorToken.Purpose.CONFIRM_EMAIL, operator.contact_email, user, now)
        _audit_event("bids.operator_resend_confirmation", actor=user, obj=operator, summary={"token": token.pk})
    return token


def invite_colleague(operator, user, email: str, now=None) -> OperatorToken:
    """A manager invites a colleague by e-mail; the link (valid 3 days) is mailed after the commit."""
    now = now or timezone.now()
    email = (email or "").strip().lower()
    with transaction.atomic():
        operator = EconomicOperator.objects.select_for_update().get(pk=operator.pk)
        if not rules.is_manager(user, operator):
            raise ValidationError(_("Only a manager of the organisation can invite colleagues."), code="forbidden")
        if not rules.operator_may_take_part(operator):
            raise ValidationError(_("Confirm the organisation's e-mail address first."), code="unconfirmed")
        try:
            validate_email(email)
        except ValidationError as e:
            raise ValidationError({"email": _("Give a valid e-mail address.")}) from e
        if operator.members.filter(user__username__iexact=email).exists():
            raise ValidationError({"email": _("This colleague is a member already.")})
        token = _issue_token(operator, OperatorToken.Purpose.INVITATION, email, user, now)
        _audit_event("bids.operator_invite", actor=user, obj=operator, summary={"token": token.pk})
    return token


def accept_invitation(raw_token: str, *, user=None, password: str = "", now=None) -> OperatorMember:
    """The invitee accepts: logged in (`user`), or with a new account for the invited address (`password`)."""
    now = now or timezone.now()
    with transaction.atomic():
        token = _find_token(raw_token, OperatorToken.Purpose.INVITATION, now)
        if user is None:
            user = _new_account(token.email, password)
        if OperatorMember.objects.filter(operator=token.operator, user=user).exists():
            raise ValidationError(_("You act for this organisation already."), code="member")
        member = OperatorMember.objects.create(operator=token.operator, user=user, is_manager=False, joined_at=now)
        token.used_at = now
        token.save(update_fields=["used_at"])
        _audit_event(
            "bids.operator_join", actor=user, obj=token.operator, summary={"token": token.pk, "member": member.pk}
        )
    return member


# --- matching to the landscape registry ----------------------------------------------------------------------------


def _propose(operator, now) -> list[OperatorMatch]:
    """Landscape organisations with the same KvK number (any municipality) or, in municipalities without such a
    match, the same name (case, spacing and invisible characters ignored)."""
    known = set(OperatorMatch.objects.filter(operator=operator).values_list("organisation_id", flat=True))
    by_kvk = (
        list(Organisation.objects.filter(kvk_number=operator.kvk_number).order_by("id")) if operator.kvk_number else []
    )
    kvk_municipalities = {o.municipality_id for o in by_kvk}
    wanted = name_key(operator.name)
    longest_word = max(wanted.split(), key=len) if wanted else ""
    by_name = [
        o
        for o in Organisation.objects.filter(name__icontains=longest_word)
        .exclude(municipality_id__in=kvk_municipalities)
        .order_by("id")
        if name_key(o.name) == wanted
    ]
    created = []
    for org in by_kvk + by_name:
        if org.pk not in known:
            created.append(OperatorMatch.objects.create(operator=operator, organisation=org, proposed_at=now))
            known.add(org.pk)
    if created:
        _audit_event(
            "bids.match_propose",
            actor=None,
            obj=operator,
            municipality=sorted({m.organisation.municipality for m in created}, key=lambda m: m.pk),
            summary={"matches": [m.pk for m in created]},
        )
    return created


def propose_matches(operator, user=None, now=None) -> list[OperatorMatch]:
    """Propose matches again (e.g. after the registry was imported); existing ones are kept as they are."""
    now = now or timezone.now()
    with transaction.atomic():
        operator = EconomicOperator.objects.select_for_update().get(pk=operator.pk)
        created = _propose(operator, now)
        _audit_event("bids.match_refresh", actor=user, obj=operator, summary={"new": len(created)})
    return created


def decide_match(match, user, *, confirm: bool, now=None) -> OperatorMatch:
    """A policy advisor, procurement officer or administrator of the organisation's municipality confirms or
    rejects a proposed match. An operator has at most one confirmed match per municipality."""
    now = now or timezone.now()
    with transaction.atomic():
        match = OperatorMatch.objects.select_for_update().select_related("organisation__municipality").get(pk=match.pk)
        municipality = match.organisation.municipality
        if not has_role(user, MATCH_DECIDERS, municipality):
            raise ValidationError(_("Only the municipality of this organisation decides on the match."), code="role")
        if match.status != OperatorMatch.Status.PROPOSED:
            raise ValidationError(_("This match has been decided already."), code="decided")
        if (
            confirm
            and OperatorMatch.objects.filter(
                operator_id=match.operator_id,
                organisation__municipality=municipality,
                status=OperatorMatch.Status.CONFIRMED,
            ).exists()
        ):
            raise ValidationError(
                _("This organisation is matched to another organisation of the municipality already."), code="twice"
            )
        match.status = OperatorMatch.Status.CONFIRMED if confirm else OperatorMatch.Status.REJECTED
        match.decided_by, match.decided_at = user, now
        match.save(update_fields=["status", "decided_by", "decided_at"])
        _audit_event(
            "bids.match_decide",
            actor=user,
            obj=match,
            municipality=municipality,
            summary={"status": match.status, "organisation": match.organisation_id, "operator": match.operator_id},
        )
    return match
