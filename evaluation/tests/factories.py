"""A published commissioning with opened bids on lot 1 and a committee (chair + members), for the evaluation tests.

Bids are built as rows (bids' own services are tested in bids/tests); the evaluation only reads which bids count."""

from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from bids.models import EconomicOperator, Opening, SealedVersion, Submission
from core.models import Role
from core.testing import MunicipalityFactory, user_with_role
from evaluation import services
from tenders import services as tender_services
from tenders.models import Phase
from tenders.tests.factories import advance_to, complete, draft, officer, published

REASON = "Het plan laat zien wat het anker voor deze score vraagt: concrete doelen per wijk."


def operator(n: int) -> EconomicOperator:
    return EconomicOperator.objects.create(
        name=f"Inschrijver {n}",
        kind="welfare",
        kvk_number=f"{70000000 + n}",
        street="Straat 1",
        postcode="2311 CS",
        city="Leiden",
        contact_name="C",
        contact_email=f"i{n}@example.org",
    )


def bid(c, lot, n: int, *, opened=True) -> Submission:
    now = timezone.now()
    s = Submission.objects.create(
        commissioning=c, lot=lot, kind="bid", lead=operator(n), status="submitted", created_at=now
    )
    SealedVersion.objects.create(
        submission=s,
        number=1,
        received_at=now,
        receipt_sha256=f"{n:064x}",
        size=1,
        ephemeral_public_key=b"e" * 32,
        wrapped_data_key=b"w" * 60,
        sealed_blob=ContentFile(b"x", name="v.bin"),
    )
    return s


def world(bids=3, members=3, *, opened=True, anonymous=False, minimums=None, kpis=()):
    """`minimums`: {criterion title: knock-out minimum score}; `kpis`: add_kpi's keyword arguments for lot 1; both
    set while the commissioning is a draft."""
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    boss = officer(m)
    if minimums or kpis:
        c = complete(draft(m, boss), boss)
        for title, minimum in (minimums or {}).items():
            tender_services.set_criterion_minimum(c.criteria.get(title=title), boss, minimum)
        for kpi in kpis:
            tender_services.add_kpi(c.lots.get(number=1), boss, **kpi)
        tender_services.publish(c, boss)
        c.refresh_from_db()
    else:
        c = published(m, user=boss)
    advance_to(c, boss, Phase.EVALUATION)
    lot = c.lots.get(number=1)
    subs = [bid(c, lot, i) for i in range(1, bids + 1)]
    if opened:
        Opening.objects.create(commissioning=c, kind="bid", started_at=timezone.now(), opened_at=timezone.now())
    chair = user_with_role(Role.EVALUATOR, m, username="voorzitter")
    people = [user_with_role(Role.EVALUATOR, m, username=f"lid{i}") for i in range(1, members + 1)]
    snapshot = services.freeze_criteria(c, actor=boss)
    committee = services.appoint_committee(lot, actor=boss, chair=chair, members=people, anonymous=anonymous)
    return SimpleNamespace(
        m=m,
        officer=boss,
        c=c,
        lot=lot,
        bids=subs,
        chair=chair,
        people=people,
        snapshot=snapshot,
        committee=committee,
        keys=[k["key"] for k in snapshot.data["criteria"] if k["leaf"]],
        member=lambda user: committee.members.get(user=user),
    )


def declare_all(w, conflict_for=()):
    for user in w.people:
        services.declare_interests(
            w.member(user),
            actor=user,
            has_conflict=user in conflict_for,
            relations="Bestuurslid" * (user in conflict_for),
        )


def score_all(w, scores):
    """scores: {username: {(bid index, key index): score}} — every member scores everything (default 50)."""
    for user in w.people:
        member = w.member(user)
        if not member.may_evaluate or member.scores_submitted_at:
            continue
        for i, b in enumerate(w.bids):
            for j, key in enumerate(w.keys):
                value = scores.get(user.username, {}).get((i, j), 50)
                services.save_score(member, actor=user, submission=b, criterion_key=key, score=value, reason=REASON)
        services.submit_scores(member, actor=user)
