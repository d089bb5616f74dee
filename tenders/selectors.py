"""Read-side queries of tenders: who sees which commissioning, the scope overview of lots, the public timeline."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.access import has_role
from core.models import Role
from landscape import selectors as landscape_selectors
from landscape.models import Activity, Funding

from . import intake, regime, rules, time_limits
from .models import Anchor, Candidate, Commissioning, Criterion, Deadline, DialogueSession, Phase, Route

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
    """What falls inside each lot and what falls in no lot: the activities chosen for the lot, their organisations
    and the municipal grant money of the latest year (the attribution the continuity analysis uses too).

    A lot's districts and target groups describe it; they do not add activities by themselves: the lot editor
    proposes the activities they match (`proposals`), and only the chosen ones are in scope. An activity chosen
    for two lots counts in both (see `scope_warnings`)."""
    municipalities = commissioning.municipalities()
    activities = list(
        Activity.objects.filter(organisation__municipality__in=municipalities)
        .select_related("organisation")
        .order_by("organisation__name", "title")
    )
    year = latest_grant_year(municipalities)
    grants = grants_per_activity(municipalities, year, activities)
    # The manage page also lists the KPIs, and the proposal notes read the districts and target groups.
    lots = list(commissioning.lots.prefetch_related("activities", "kpis", "districts", "target_groups"))
    rows, covered = [], set()
    for lot in lots:
        chosen = {a.pk for a in lot.activities.all()}
        inside = [a for a in activities if a.pk in chosen]
        covered |= chosen
        rows.append(_scope_row(lot, inside, grants))
    outside = [a for a in activities if a.pk not in covered]
    return {"year": year, "lots": rows, "outside": _scope_row(None, outside, grants), "grants": grants}


# A lot's budget that differs more than this share from its activities' current grants gets a warning.
BUDGET_WARNING_SHARE = Decimal("0.10")


def scope_warnings(scope: dict, threshold: Decimal = BUDGET_WARNING_SHARE) -> list[str]:
    """Plain warnings about a lot design: an activity in more than one lot (its money would count twice), and a lot
    whose budget differs from its activities' current grants by more than `threshold`, with the amounts."""
    warnings, seen = [], {}
    for row in scope["lots"]:
        for a in row["activities"]:
            seen.setdefault(a.pk, (a, []))[1].append(row["lot"])
    for a, lots in seen.values():
        if len(lots) > 1:
            warnings.append(
                _("“%(activity)s” (%(organisation)s) is in more than one lot: %(lots)s. Its grant counts in each.")
                % {
                    "activity": a.title,
                    "organisation": a.organisation.name,
                    "lots": ", ".join(f"{lot.number}. {lot.title}" for lot in lots),
                }
            )
    for row in scope["lots"]:
        lot, grants = row["lot"], row["grants"]
        difference = lot.annual_budget - grants
        if grants and abs(difference) <= threshold * grants:
            continue
        values = {
            "lot": f"{lot.number}. {lot.title}",
            "budget": _euro(lot.annual_budget),
            "grants": _euro(grants),
            "difference": _euro(abs(difference)),
        }
        if difference < 0:
            warnings.append(
                _(
                    "Lot %(lot)s: its budget of %(budget)s is %(difference)s below the current grants of its "
                    "activities (%(grants)s): money the municipality stops paying."
                )
                % values
            )
        else:
            warnings.append(
                _(
                    "Lot %(lot)s: its budget of %(budget)s is %(difference)s above the current grants of its "
                    "activities (%(grants)s): money the municipality adds."
                )
                % values
            )
    return warnings


def _euro(amount) -> str:
    return "€ " + f"{amount:,.0f}".replace(",", ".")


def proposal_notes(commissioning, scope) -> list[str]:
    """Per lot of a draft whose districts and target groups match activities it does not contain: a note that the
    lot editor proposes them."""
    notes, candidates = [], None
    for row in scope["lots"]:
        lot = row["lot"]
        if candidates is None and (lot.districts.all() or lot.target_groups.all()):
            candidates = _proposable(commissioning)  # read once for all lots
        found = proposals(commissioning, lot.districts.all(), lot.target_groups.all(), row["activities"], candidates)
        if found:
            notes.append(
                ngettext(
                    "Lot %(lot)s: its districts and target groups match %(n)s activity that is not in it; the lot "
                    "editor proposes it.",
                    "Lot %(lot)s: its districts and target groups match %(n)s activities that are not in it; the lot "
                    "editor proposes them.",
                    len(found),
                )
                % {"lot": f"{lot.number}. {lot.title}", "n": len(found)}
            )
    return notes


def proposals(commissioning, districts, target_groups, chosen=(), activities=None) -> list:
    """Activities that the chosen districts and target groups match and that are not chosen yet: a proposal for the
    lot editor, never added by themselves. `activities` are those `_proposable` read, when the caller has them."""
    districts = {d.pk for d in districts}
    groups = {g.pk for g in target_groups}
    if not districts and not groups:
        return []
    chosen = {a.pk for a in chosen}
    activities = _proposable(commissioning) if activities is None else activities
    return [a for a in activities if a.pk not in chosen and _matches(a, districts, groups)]


def _proposable(commissioning) -> list:
    return list(
        Activity.objects.filter(organisation__municipality__in=commissioning.municipalities())
        .select_related("organisation")
        .prefetch_related("districts", "target_groups")
        .order_by("organisation__name", "title")
    )


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
    """Deadlines, phase changes, the dispatch of the contract notice and its publication on TED in order, in
    Europe/Amsterdam time, marked past or future by the server clock; a deadline moved by a rectification carries its
    `amendments` (see amendment_notes)."""
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
    if commissioning.notice_dispatched_at:  # the minimum periods count from here (tenders.regime.dispatch_moment)
        items.append(
            {
                "at": commissioning.notice_dispatched_at,
                "label": _("Contract notice dispatched to TenderNed/TED: the minimum periods count from this moment"),
                "kind": "notice",
                "past": commissioning.notice_dispatched_at <= now,
            }
        )
    if commissioning.notice_published_at:  # the publication here follows it (Directive 2014/24/EU art. 52(1))
        items.append(
            {
                "at": commissioning.notice_published_at,
                "label": _("Contract notice published on TED"),
                "kind": "notice",
                "past": commissioning.notice_published_at <= now,
            }
        )
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


def _invited_candidates(commissioning):
    candidates = commissioning.candidates.filter(status=Candidate.Status.ADMITTED)
    if commissioning.route == Route.COMPETITIVE_DIALOGUE:
        candidates = candidates.filter(selected_for_phase_2=True)
    return candidates


def invited(commissioning, organisation_id) -> bool:
    """May this organisation submit a bid (issue 5)? In an open procedure or grant round anyone may; after a
    preselection only admitted candidates are invited, and in a competitive dialogue only those selected for
    dialogue phase 2 submit final bids."""
    if commissioning.route in (Route.OPEN, Route.GRANT_ROUND):
        return True
    return _invited_candidates(commissioning).filter(organisation_id=organisation_id).exists()


def invited_candidate_ids(commissioning, candidate_ids) -> set[int]:
    """Which of these candidates are invited to bid (the same rule as `invited`, by candidate rather than by
    organisation: a candidate created from a sealed request may have no landscape organisation, ADR 0011)."""
    return set(_invited_candidates(commissioning).filter(pk__in=list(candidate_ids)).values_list("pk", flat=True))


def visible_dialogue_sessions(user, commissioning):
    """Minutes are shared only with the participant concerned and the municipality."""
    qs = DialogueSession.objects.filter(candidate__commissioning=commissioning).select_related(
        "candidate__organisation"
    )
    if any(has_role(user, DESIGN_ROLES, m) for m in commissioning.municipalities()):
        return qs
    return qs.filter(candidate__in=intake.own_candidates(user, commissioning))


def published_questions(commissioning):
    return commissioning.questions.filter(clarification__isnull=False).select_related("lot").order_by("number")


def question_counts(commissioning) -> dict:
    return commissioning.questions.aggregate(
        total=Count("id"),
        unanswered=Count("id", filter=Q(answer="")),
        ready=Count("id", filter=Q(clarification__isnull=True) & ~Q(answer="")),
    )


def time_limit_notes(commissioning, now=None) -> list[str]:
    """The time limits that apply to the commissioning, for its dashboard: the minimum periods of its regime
    (from the dispatch of the notice, else the publication, or from now for a draft: tenders.regime.dispatch_moment),
    the clarification minimum and the policy's minimum extension."""
    c = commissioning
    dispatch = regime.dispatch_moment(c, now)
    notes = [
        _("%(deadline)s: at least %(days)s calendar days after %(start)s (%(basis)s).")
        % {
            "deadline": Deadline.Kind(p.kind).label,
            "days": p.days,
            "start": p.start_text(),
            "basis": p.basis_text(),
        }
        for p in time_limits.minimum_periods(c, dispatch)
    ]
    if c.route != Route.GRANT_ROUND:
        notes.append(
            _("Clarifications: at least %(days)s calendar days before the next submission deadline (Aw 2.54).")
            % {"days": time_limits.clarification_minimum_days(c)}
        )
    notes.append(
        _(
            "A material change after publication: every following submission deadline at least %(days)s calendar "
            "days later (municipal procurement policy)."
        )
        % {"days": time_limits.policy_for(c).minimum_extension_days}
    )
    return notes
