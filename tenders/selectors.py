"""Read-side queries of tenders: who sees which commissioning, the scope overview of lots, the public timeline."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import has_role, represented_organisation_ids
from core.models import Role
from landscape import selectors as landscape_selectors
from landscape.models import Activity, Funding

from . import rules
from .models import Anchor, Candidate, Commissioning, Criterion, DialogueSession, Phase, Route

DESIGN_ROLES = (Role.POLICY_ADVISOR, Role.PROCUREMENT_OFFICER)
OFFICER_ROLES = (Role.PROCUREMENT_OFFICER,)


def of_municipality(municipality):
    """Commissionings of a municipality: its own and those of purchasing organisations acting for it."""
    return Commissioning.objects.filter(
        Q(municipality=municipality) | Q(purchasing_organisation__municipalities=municipality)
    ).distinct()


def published(municipality):
    return of_municipality(municipality).filter(published_at__isnull=False)


def can_design(user, municipality) -> bool:
    return has_role(user, DESIGN_ROLES, municipality)


def get_for(user, municipality, pk) -> Commissioning:
    """A commissioning as `user` may see it in `municipality`: a draft only for its designers (404 otherwise, so
    that the public and other municipalities cannot even tell that it exists)."""
    c = of_municipality(municipality).filter(pk=pk).select_related("municipality", "purchasing_organisation").first()
    if c is None or (not c.is_published and not can_design(user, municipality)):
        raise Http404
    return c


def criteria_tree(commissioning) -> list[Criterion]:
    """Main criteria with `.subs` and `.anchor_list` (in scale order), in two queries."""
    criteria = list(
        commissioning.criteria.prefetch_related(Prefetch("anchors", queryset=Anchor.objects.order_by("score")))
    )
    by_parent: dict = {}
    for c in criteria:
        c.anchor_list = list(c.anchors.all())
        by_parent.setdefault(c.parent_id, []).append(c)
    for c in criteria:
        c.subs = by_parent.get(c.pk, [])
    return by_parent.get(None, [])


def lot_scope(commissioning) -> dict:
    """What falls inside each lot and what falls in no lot: activities (chosen directly, or by a district or target
    group of the lot), their organisations and the municipal grant money of the latest year."""
    municipalities = commissioning.municipalities()
    activities = list(
        Activity.objects.filter(organisation__municipality__in=municipalities)
        .select_related("organisation")
        .prefetch_related("districts", "target_groups")
        .order_by("organisation__name", "title")
    )
    year = latest_grant_year(municipalities)
    grants = grants_per_activity(municipalities, year, activities)
    lots = list(commissioning.lots.prefetch_related("activities", "districts", "target_groups"))
    # An activity chosen by name for a lot belongs to that lot; the district/target-group filters of the other
    # lots do not claim it too.
    chosen_anywhere = {a.pk for lot in lots for a in lot.activities.all()}
    rows, covered = [], set()
    for lot in lots:
        chosen = {a.pk for a in lot.activities.all()}
        districts = {d.pk for d in lot.districts.all()}
        groups = {g.pk for g in lot.target_groups.all()}
        inside = [
            a for a in activities if a.pk in chosen or (a.pk not in chosen_anywhere and _matches(a, districts, groups))
        ]
        covered |= {a.pk for a in inside}
        rows.append(_scope_row(lot, inside, grants))
    outside = [a for a in activities if a.pk not in covered]
    return {"year": year, "lots": rows, "outside": _scope_row(None, outside, grants), "grants": grants}


def latest_grant_year(municipalities) -> int | None:
    return (
        Funding.objects.filter(municipality__in=municipalities).order_by("-year").values_list("year", flat=True).first()
    )


def grants_per_activity(municipalities, year, activities) -> dict[int, Decimal]:
    """Municipal grant money of `year` per activity: the landscape's one attribution rule, shared with the
    continuity analysis (landscape.selectors.grants_per_activity)."""
    return landscape_selectors.grants_per_activity(municipalities, year, activities)


def _matches(activity, districts: set, groups: set) -> bool:
    """Matching a lot's districts and target groups (each filter only when the lot sets it; none set: no match)."""
    if not districts and not groups:
        return False
    in_district = not districts or bool({d.pk for d in activity.districts.all()} & districts)
    in_group = not groups or bool({g.pk for g in activity.target_groups.all()} & groups)
    return in_district and in_group


def _scope_row(lot, activities, grants) -> dict:
    return {
        "lot": lot,
        "activities": activities,
        "organisations": sorted({a.organisation.name for a in activities}),
        "grants": sum((grants.get(a.pk) or Decimal("0") for a in activities), Decimal("0")),
        "volunteer_hours": sum(a.volunteer_hours for a in activities),
    }


def timeline(commissioning, notes=None) -> list[dict]:
    """Deadlines and phase changes in order, in Europe/Amsterdam time, marked past or future by the server clock;
    a deadline moved by a rectification carries its `amendments` (see amendment_notes)."""
    now = timezone.now()
    notes = notes or {}
    items = [
        {
            "at": d.at,
            "label": d.get_kind_display(),
            "kind": "deadline",
            "past": d.at <= now,
            "amendments": notes.get(f"deadline:{d.kind}", []),
        }
        for d in commissioning.deadlines.all()
    ]
    items += [
        {
            "at": p.at,
            "label": _("Phase “%(phase)s” begins") % {"phase": Phase(p.to_phase).label},
            "kind": "phase",
            "past": True,
        }
        for p in commissioning.phase_changes.all()
    ]
    items += [
        {
            "at": s.held_at,
            "label": _("Information session: %(title)s") % {"title": s.title},
            "kind": "info_session",
            "past": s.held_at <= now,
        }
        for s in commissioning.info_sessions.all()
    ]
    return sorted(items, key=lambda i: i["at"])


def amendment_notes(rectifications) -> dict[str, list[dict]]:
    """What the rectifications changed, per changed item ("lot:12", "criterion:5", "anchor:5:50", "deadline:bids"):
    the rectification number, what changed and the value before, for "changed by rectification N" next to it."""
    notes = defaultdict(list)
    for r in rectifications:
        for change in r.changes:
            if change.get("target"):
                notes[change["target"]].append(
                    {"number": r.number, "attribute": change["attribute"], "before": change["before"]}
                )
    return dict(notes)


def annotate_amendments(notes: dict, lots, criteria) -> None:
    """Give lots, criteria (with their sub-criteria) and anchors an `amendments` list from amendment_notes."""
    for lot in lots:
        lot.amendments = notes.get(f"lot:{lot.pk}", [])
    for criterion in criteria:
        for c in [criterion, *criterion.subs]:
            c.amendments = notes.get(f"criterion:{c.pk}", [])
            for anchor in c.anchor_list:
                anchor.amendments = notes.get(f"anchor:{c.pk}:{anchor.score}", [])


def route_phases(commissioning) -> list[dict]:
    """The phases of the route, those passed marked done. A cancelled procedure ends after the phase in which it
    was cancelled, with "Cancelled" as its current (last) phase."""
    order = rules.phases_of(commissioning.route)[1:]
    if commissioning.phase == Phase.CANCELLED:
        change = commissioning.phase_changes.filter(to_phase=Phase.CANCELLED).last()
        last = order.index(change.from_phase) if change and change.from_phase in order else -1
        order = [*order[: last + 1], Phase.CANCELLED]
    current = order.index(commissioning.phase) if commissioning.phase in order else -1
    return [
        {"phase": p, "label": Phase(p).label, "done": i < current, "current": i == current} for i, p in enumerate(order)
    ]


def invited(commissioning, organisation_id) -> bool:
    """May this organisation submit a bid (issue 5)? In an open procedure or grant round anyone may; after a
    preselection only admitted candidates are invited, and in a competitive dialogue only those selected for
    dialogue phase 2 submit final bids."""
    if commissioning.route in (Route.OPEN, Route.GRANT_ROUND):
        return True
    candidates = commissioning.candidates.filter(organisation_id=organisation_id, status=Candidate.Status.ADMITTED)
    if commissioning.route == Route.COMPETITIVE_DIALOGUE:
        candidates = candidates.filter(selected_for_phase_2=True)
    return candidates.exists()


def visible_dialogue_sessions(user, commissioning):
    """Minutes are shared only with the participant concerned and the municipality."""
    qs = DialogueSession.objects.filter(candidate__commissioning=commissioning).select_related(
        "candidate__organisation"
    )
    if any(has_role(user, DESIGN_ROLES, m) for m in commissioning.municipalities()):
        return qs
    return qs.filter(candidate__organisation_id__in=represented_organisation_ids(user))


def published_questions(commissioning):
    return commissioning.questions.filter(clarification__isnull=False).select_related("lot").order_by("number")


def question_counts(commissioning) -> dict:
    return commissioning.questions.aggregate(
        total=Count("id"),
        unanswered=Count("id", filter=Q(answer="")),
        ready=Count("id", filter=Q(clarification__isnull=True) & ~Q(answer="")),
    )
