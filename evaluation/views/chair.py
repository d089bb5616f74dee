"""The chair: once every scoring member has submitted, the spread of the scores per bid and criterion (large
disagreements highlighted), the consensus per bid and criterion (median shown, a deviation explained) and the
ranking by consensus totals. Before that, only who has submitted — never a score."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import login_view

from .. import rules, selectors, services
from ..access import seat_of
from ..forms import ConsensusForm, add_errors
from ..models import CriteriaSnapshot, Member
from . import private


def _chair_seat(request, seat):
    seat = seat_of(request.user, seat)
    if seat.role != Member.Role.CHAIR:
        raise PermissionDenied
    return seat


def _page(request, seat, forms=None, status=200):
    committee = seat.committee
    snapshot = CriteriaSnapshot.objects.filter(commissioning=committee.commissioning_id).first()
    if snapshot is None:
        raise Http404
    titles = {c["key"]: c["title"] for c in snapshot.data["criteria"]}
    consensus = {(c.submission_id, c.criterion_key): c for c in committee.consensus.all()}
    rows = selectors.spread(committee, snapshot)
    names = selectors.labels(committee)
    for row in rows:
        key = f"{row['submission'].pk}-{row['key']}"
        row["title"] = titles[row["key"]]
        row["name"] = selectors.display_name(committee, row["submission"], names)
        row["consensus"] = consensus.get((row["submission"].pk, row["key"]))
        row["anchor"] = key
        done = row["consensus"]
        initial = (
            {"score": done.score, "reason": done.reason, "deviation_reason": done.deviation_reason}
            if done
            else {"score": row["median"]}
        )
        row["form"] = (forms or {}).get(key) or ConsensusForm(initial=initial, scale=snapshot.data["scale"], prefix=key)
    members = [m for m in committee.members.all() if m.role == Member.Role.MEMBER]
    ranking = selectors.ranking(committee, snapshot)
    excluded = selectors.excluded(committee, snapshot)
    for r in ranking + excluded:
        r["name"] = selectors.display_name(committee, r["submission"], names)
    context = {
        "seat": seat,
        "committee": committee,
        "rows": rows,
        "members": members,
        "all_submitted": rules.all_submitted(committee),
        "ranking": ranking,
        "excluded": excluded,
    }
    return private(render(request, "evaluation/consensus.html", context, status=status))


@login_view
def consensus(request, seat):
    return _page(request, _chair_seat(request, seat))


@require_POST
@login_view
def record(request, seat):
    seat = _chair_seat(request, seat)
    committee = seat.committee
    snapshot = CriteriaSnapshot.objects.filter(commissioning=committee.commissioning_id).first()
    try:
        submission_pk, key = request.POST.get("cell", "").split("-", 1)
        bid = next(b for b in selectors.bids_of(committee) if str(b.pk) == submission_pk)
    except (ValueError, StopIteration):
        raise Http404 from None
    if snapshot is None or key not in rules.leaf_keys(snapshot):
        raise Http404
    prefix = f"{bid.pk}-{key}"
    form = ConsensusForm(request.POST, scale=snapshot.data["scale"], prefix=prefix)
    if form.is_valid():
        try:
            services.record_consensus(
                committee,
                actor=request.user,
                submission=bid,
                criterion_key=key,
                score=form.cleaned_data["score"],
                reason=form.cleaned_data["reason"],
                deviation_reason=form.cleaned_data["deviation_reason"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The consensus was recorded."))
            return redirect(reverse("evaluation:consensus", args=[seat.pk]) + f"#cell-{prefix}")
    return _page(request, seat, forms={prefix: form}, status=400)
