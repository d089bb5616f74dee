"""Sealed submissions for the opening tests, made with bids.sealing directly (independent of the submit service):
a commissioning key, operators, sealed versions stored as ciphertext in the default storage, openers and their
current authenticator codes."""

import itertools
from datetime import timedelta

from django.core.files.base import ContentFile
from django_otp.plugins.otp_totp.models import TOTPDevice

from bids import sealing, selectors, services
from bids.models import EconomicOperator, Participation, SealedVersion, Submission
from bids.services.submission import _operator, _participations
from core.models import Role
from core.otp import current_token
from core.testing import user_with_role
from tenders.models import Deadline
from tenders.tests.factories import published

_kvk = itertools.count(10000000)
K = Deadline.Kind


def commissioning_with_key(municipality=None, **kw):
    c = published(municipality, **kw)
    services.ensure_commissioning_key(c)  # publishing made it already (bids.receivers); this changes nothing then
    return c


def the_officer(c):
    from core.models import RoleAssignment

    return RoleAssignment.objects.filter(role=Role.PROCUREMENT_OFFICER, municipality=c.municipality).first().user


def operator(name="Wijkkracht"):
    return EconomicOperator.objects.create(
        name=name,
        kind="welfare",
        kvk_number=str(next(_kvk)),
        street="Breestraat 1",
        postcode="2311 CS",
        city="Leiden",
        contact_name="Contact",
        contact_email="info@example.org",
    )


def deadline(c, kind=None):
    kind = kind or K.BIDS
    return c.deadlines.get(kind=kind).at


def manifest_for(submission, number, answers, files):
    return {
        "commissioning": submission.commissioning_id,
        "lot": submission.lot_id,
        "kind": submission.kind,
        "lead": _operator(submission.lead),
        "version": number,
        "answers": [
            {"criterion": criterion, "text": text, "confidential": False, "reason": ""} for criterion, text in answers
        ],
        "files": [
            {
                "name": name,
                "size": len(data),
                "media_type": "application/pdf",
                "sha256": sealing.sha256_hex(data),
                "confidential": False,
                "reason": "",
            }
            for name, data in files
        ],
        "consortium_name": submission.consortium_name,
        "participations": _participations(selectors.participations_for_sealing(submission)),  # the service's (ADR 0011)
    }


def seal(
    c,
    lead,
    *,
    lot=None,
    kind=Submission.Kind.BID,
    answers=None,
    files=None,
    received_at=None,
    consortium_name="",
    partners=(),
    **version_kw,
):
    """A new sealed version of `lead`'s submission (the previous one superseded), received `received_at` (default:
    an hour before the deadline); `partners` are (operator, ring, role) confirmed participations added when the
    submission is made, sealed with it as the consortium structure."""
    if kind == Submission.Kind.BID:
        lot = lot or c.lots.first()
    received_at = received_at or deadline(c, K.REQUESTS if kind == Submission.Kind.REQUEST else K.BIDS) - timedelta(
        hours=1
    )
    submission, created = Submission.objects.get_or_create(
        commissioning=c,
        lot=lot,
        kind=kind,
        lead=lead,
        defaults={"created_at": received_at, "status": "submitted", "consortium_name": consortium_name},
    )
    if created:
        for operator_, ring, role in [(lead, Participation.Ring.LEAD, "penvoerder"), *partners]:
            Participation.objects.create(
                submission=submission,
                operator=operator_,
                ring=ring,
                role=role,
                status=Participation.Status.CONFIRMED,
                invited_at=received_at,
                decided_at=received_at,
            )
    criteria = list(c.criteria.values_list("pk", flat=True))
    answers = (
        answers if answers is not None else [(pk, f"Ons plan voor criterium {pk} van {lead.name}.") for pk in criteria]
    )
    files = files if files is not None else [("plan.pdf", b"%PDF-1.4 plan van " + lead.name.encode())]
    number = submission.versions.count() + 1
    submission.versions.filter(superseded_at__isnull=True, withdrawn_at__isnull=True).update(superseded_at=received_at)
    manifest = manifest_for(submission, number, answers, files)
    aad = sealing.version_aad(submission.pk, number)
    sealed = sealing.seal_bundle(manifest, [data for _, data in files], bytes(c.seal_key.public_key), aad)
    version = SealedVersion(
        submission=submission,
        number=number,
        received_at=received_at,
        receipt_sha256=sealed.receipt_sha256,
        size=len(sealed.ciphertext),
        ephemeral_public_key=sealed.ephemeral_public_key,
        wrapped_data_key=sealed.wrapped_data_key,
        **version_kw,
    )
    version.sealed_blob.save(f"{submission.pk}-{number}.bin", ContentFile(sealed.ciphertext), save=False)
    version.save()
    return version


def municipal_user(c, role=Role.POLICY_ADVISOR, **kw):
    return user_with_role(role, c.municipality, **kw)


def opener(c, role=Role.POLICY_ADVISOR, **kw):
    user = municipal_user(c, role, **kw)
    services.appoint_opener(c, the_officer(c), user)
    return user


def token(user) -> str:
    return current_token(TOTPDevice.objects.get(user=user, confirmed=True))


def open_submissions(c, first, second, kind=Submission.Kind.BID, now=None):
    now = now or deadline(c, K.REQUESTS if kind == Submission.Kind.REQUEST else K.BIDS) + timedelta(minutes=5)
    services.confirm_opening(c, first, kind, token(first), now=now)
    return services.confirm_opening(c, second, kind, token(second), now=now + timedelta(minutes=2))


def seated_evaluator(c, **kw):
    """An evaluator seated on the committee of the first lot with a declaration without conflict: since issue 12
    evaluation's reader check (bids.access.register_reader_check) lets only such an evaluator read that lot's bids."""
    from evaluation import services as evaluation_services

    user = municipal_user(c, Role.EVALUATOR, **kw)
    chair = municipal_user(c, Role.EVALUATOR)
    committee = evaluation_services.appoint_committee(c.lots.first(), actor=the_officer(c), chair=chair, members=[user])
    evaluation_services.declare_interests(committee.members.get(user=user), actor=user, has_conflict=False)
    return user
