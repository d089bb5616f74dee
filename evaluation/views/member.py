"""A committee member: their seats ("mijn beoordelingen"), the conflict-of-interest declaration (Directive
2014/24/EU art. 24) with the names of every operator in the lot's bids, then per bid the answers beside a score form
per leaf criterion, and the final submission. A member sees their own scores only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bids import access as bids_access
from bids import services as bids_services
from core.access import login_view, role_view
from tenders import selectors as tender_selectors

from .. import rules, selectors, services
from ..access import COMMITTEE_ROLES, seat_of
from ..forms import DeclarationForm, ScoreForm, add_errors
from ..models import CriteriaSnapshot, Member
from . import private


def _seats_page(request, seats):
    seats = list(seats.select_related("committee__lot", "committee__commissioning__municipality"))
    for s in seats:
        s.is_chair = s.role == Member.Role.CHAIR
    return private(render(request, "evaluation/my_seats.html", {"seats": seats}))


@login_view
def my_seats(request):
    return _seats_page(request, Member.objects.filter(user=request.user))


@role_view(*COMMITTEE_ROLES)
def my_seats_here(request, municipality):
    """The same list within one municipality (its menu links here)."""
    here = tender_selectors.of_municipality(request.municipality)
    return _seats_page(request, Member.objects.filter(user=request.user, committee__commissioning__in=here))


def _declaration_page(request, seat, form=None, status=200):
    committee = seat.committee
    bids = selectors.operator_names(committee)
    context = {
        "seat": seat,
        "committee": committee,
        "opened": selectors.bids_opened(committee.commissioning_id),
        "bids": bids,
        "all_names": sorted({n for row in bids for n in row["names"]}),
        "form": form or DeclarationForm(),
    }
    return private(render(request, "evaluation/declaration.html", context, status=status))


@login_view
def declaration(request, seat):
    seat = seat_of(request.user, seat)
    if request.method != "POST":
        return _declaration_page(request, seat)
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            services.declare_interests(
                seat,
                actor=request.user,
                has_conflict=form.cleaned_data["has_conflict"],
                relations=form.cleaned_data["relations"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your declaration was recorded."))
            return redirect("evaluation:seat", seat.pk)
    return _declaration_page(request, seat, form, status=400)


def _snapshot(seat):
    snapshot = CriteriaSnapshot.objects.filter(commissioning=seat.committee.commissioning_id).first()
    if snapshot is None:
        raise Http404
    return snapshot


@login_view
def seat(request, seat):
    """The member's overview of the lot: declaration state, the bids (labels), progress, and the final submit."""
    seat = seat_of(request.user, seat)
    if seat.declared_at is None:
        return redirect("evaluation:declaration", seat.pk)
    committee = seat.committee
    snapshot = CriteriaSnapshot.objects.filter(commissioning=committee.commissioning_id).first()
    keys = rules.leaf_keys(snapshot) if snapshot else []
    own = selectors.own_scores(seat)
    visible = rules.may_see_bids(seat, opened=selectors.bids_opened(committee.commissioning_id))
    bids = selectors.bids_of(committee) if visible else []
    names = selectors.labels(committee) if visible else {}
    rows = [
        {
            "submission": b,
            "name": selectors.display_name(committee, b, names),
            "done": sum(1 for k in keys if (b.pk, k) in own),
            "total": len(keys),
        }
        for b in bids
    ]
    context = {
        "seat": seat,
        "committee": committee,
        "rows": rows,
        "visible": visible,
        "may_submit": bool(rows) and seat.role == Member.Role.MEMBER and not seat.scores_submitted_at,
        "all_submitted": rules.all_submitted(committee),
    }
    return private(render(request, "evaluation/seat.html", context))


def _bid_page(request, seat, submission, snapshot, forms=None, status=200):
    committee = seat.committee
    criteria = [{**c, "scale": snapshot.data["scale"]} for c in snapshot.data["criteria"] if c["leaf"]]
    own = selectors.own_scores(seat)
    version = selectors.counting_version(submission)
    answers = selectors.opened_answers(submission, criteria)
    if version is not None:
        bids_services.record_read(version, request.user, "answers")
    items = []
    for i, c in enumerate(criteria):
        saved = own.get((submission.pk, c["key"]))
        initial = {"score": saved.score, "reason": saved.reason} if saved else None
        form = (forms or {}).get(c["key"]) or ScoreForm(initial=initial, criterion=c, prefix=c["key"])
        items.append(
            {"criterion": c, "answer": answers[i]["answer"] if answers else None, "form": form, "saved": saved}
        )
    context = {
        "seat": seat,
        "committee": committee,
        "submission": submission,
        "name": selectors.display_name(committee, submission),
        "decrypted": answers is not None,
        "items": items,
        "final": bool(seat.scores_submitted_at),
    }
    return private(render(request, "evaluation/bid.html", context, status=status))


def _readable_bid(request, seat, submission):
    if not seat.may_evaluate:
        raise PermissionDenied
    bid = next((b for b in selectors.bids_of(seat.committee) if b.pk == submission), None)
    if bid is None:
        raise Http404
    if not bids_access.may_read(request.user, bid):
        raise PermissionDenied
    return bid


@login_view
def bid(request, seat, submission):
    seat = seat_of(request.user, seat)
    bid = _readable_bid(request, seat, submission)
    snapshot = _snapshot(seat)
    if request.method != "POST":
        return _bid_page(request, seat, bid, snapshot)
    key = request.POST.get("criterion", "")
    criterion = next((c for c in snapshot.data["criteria"] if c["key"] == key and c["leaf"]), None)
    if criterion is None:
        raise Http404
    form = ScoreForm(request.POST, criterion={**criterion, "scale": snapshot.data["scale"]}, prefix=key)
    if form.is_valid():
        try:
            services.save_score(
                seat,
                actor=request.user,
                submission=bid,
                criterion_key=key,
                score=form.cleaned_data["score"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your score was saved."))
            return redirect(f"{request.path}#criterion-{key}")
    return _bid_page(request, seat, bid, snapshot, forms={key: form}, status=400)


@require_POST
@login_view
def submit(request, seat):
    seat = seat_of(request.user, seat)
    try:
        services.submit_scores(seat, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("evaluation:seat", seat.pk)
    messages.success(request, _("Your scores are final. The chair sees them once every member has submitted."))
    return redirect("evaluation:seat", seat.pk)
