"""A grant round (Awb title 4.2) in evaluation with opened applications on lot 1, scored and with a consensus, for
the grant decision tests (ADR 0010). Applications are bids' rows, as in factories.bid."""

from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from bids.models import Opening
from core.models import Role
from core.testing import MunicipalityFactory, user_with_role
from evaluation import services
from tenders import services as tender_services
from tenders.models import Phase, Route
from tenders.tests.factories import advance_to, complete, draft, officer

from .factories import REASON, bid, declare_all, score_all


def grant_world(scores=(75, 50, 25), *, budget=Decimal("100000"), ceiling=Decimal("250000"), code="GM0546", lot2=None):
    """Applications i = 0, 1, ... on lot 1 scored scores[i] on every criterion by one member, consensus the same.
    With `lot2=(budget, scores)` also a second lot with its own committee and applications (`w.lot2`, `w.bids2`)."""
    m = MunicipalityFactory(cbs_code=code, name="Leiden" if code == "GM0546" else f"Gemeente {code}")
    boss = officer(m)
    c = complete(draft(m, boss, route=Route.GRANT_ROUND, grant_ceiling=ceiling), boss, budget=budget)
    if lot2:
        tender_services.save_lot(c, boss, title="Perceel 2", annual_budget=lot2[0])
    tender_services.publish(c, boss)
    c.refresh_from_db()
    advance_to(c, boss, Phase.EVALUATION)
    lot = c.lots.get(number=1)
    subs = [bid(c, lot, 10 * int(code[2:]) + i) for i in range(1, len(scores) + 1)]
    Opening.objects.create(commissioning=c, kind="bid", started_at=timezone.now(), opened_at=timezone.now())
    chair = user_with_role(Role.EVALUATOR, m, username=f"voorzitter-{code}")
    person = user_with_role(Role.EVALUATOR, m, username=f"lid-{code}")
    snapshot = services.freeze_criteria(c, actor=boss)
    committee = services.appoint_committee(lot, actor=boss, chair=chair, members=[person])
    w = SimpleNamespace(
        m=m,
        officer=boss,
        c=c,
        lot=lot,
        bids=subs,
        chair=chair,
        people=[person],
        snapshot=snapshot,
        committee=committee,
        keys=[k["key"] for k in snapshot.data["criteria"] if k["leaf"]],
        member=lambda user: committee.members.get(user=user),
    )
    declare_all(w)
    score_all(w, {person.username: {(i, j): s for i, s in enumerate(scores) for j in range(len(w.keys))}})
    for i, b in enumerate(subs):
        for key in w.keys:
            services.record_consensus(
                committee, actor=chair, submission=b, criterion_key=key, score=scores[i], reason=REASON
            )
    if lot2:
        w.lot2 = c.lots.get(number=2)
        w.bids2 = [bid(c, w.lot2, 10 * int(code[2:]) + 50 + i) for i in range(1, len(lot2[1]) + 1)]
        second = services.appoint_committee(w.lot2, actor=boss, chair=chair, members=[person])
        w2 = SimpleNamespace(**{**vars(w), "bids": w.bids2, "member": lambda user: second.members.get(user=user)})
        declare_all(w2)
        score_all(w2, {person.username: {(i, j): s for i, s in enumerate(lot2[1]) for j in range(len(w.keys))}})
        for i, b in enumerate(w.bids2):
            for key in w.keys:
                services.record_consensus(
                    second, actor=chair, submission=b, criterion_key=key, score=lot2[1][i], reason=REASON
                )
    return w
