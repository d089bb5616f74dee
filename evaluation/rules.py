"""May this happen now? The committee's rules: declare before seeing any bid (Directive 2014/24/EU art. 24), score
independently on the anchored absolute scale (ADR 0004), see the others' scores only when every member has
submitted theirs, and record a consensus that explains a deviation from the members' median. Reads only."""

from statistics import median

from django.utils.translation import gettext as _

from .models import Member

# Policy (not law): a reason must say something about the anchor, not "ok".
MIN_REASON_CHARS = 40


def scoring_members(committee) -> list[Member]:
    """The members who score: every member (not the chair) whose declaration shows no conflict of interest."""
    return [m for m in committee.members.all() if m.role == Member.Role.MEMBER and m.may_evaluate]


def may_see_bids(member, *, opened: bool) -> bool:
    """Art. 24: only after a declaration without conflict, and only once the bids are opened."""
    return opened and member.may_evaluate


def all_submitted(committee) -> bool:
    members = scoring_members(committee)
    pending = [m for m in committee.members.all() if m.role == Member.Role.MEMBER and m.declared_at is None]
    return bool(members) and not pending and all(m.scores_submitted_at for m in members)


def may_see_all_scores(user, committee) -> bool:
    """Nobody — member, chair or officer — sees a member's scores other than their own until every scoring member
    has submitted theirs for the lot."""
    return all_submitted(committee)


def leaf_keys(snapshot) -> list[str]:
    return [c["key"] for c in snapshot.data["criteria"] if c["leaf"]]


def score_errors(member, snapshot, submission, key: str, score, reason: str, bids: list) -> list[str]:
    errors = []
    if not member.may_evaluate:
        errors.append(_("Declare your interests first; with a conflict of interest you do not evaluate this lot."))
    if member.role != Member.Role.MEMBER:
        errors.append(_("The chair does not score; the chair records the consensus."))
    if member.scores_submitted_at:
        errors.append(_("Your scores for this lot are final."))
    if submission.pk not in {b.pk for b in bids}:
        errors.append(_("This bid is not evaluated in this lot."))
    if key not in leaf_keys(snapshot):
        errors.append(_("Score the criteria without sub-criteria."))
    if score not in snapshot.data["scale"]:
        levels = ", ".join(str(s) for s in snapshot.data["scale"])
        errors.append(_("A score is one of the levels of the scale: %(levels)s.") % {"levels": levels})
    if len((reason or "").strip()) < MIN_REASON_CHARS:
        errors.append(
            _("Give a reason of at least %(n)s characters that refers to the anchor.") % {"n": MIN_REASON_CHARS}
        )
    return errors


def submit_errors(member, snapshot, bids: list, scored: set[tuple[int, str]]) -> list[str]:
    if not member.may_evaluate or member.role != Member.Role.MEMBER:
        return [_("Only a member without a conflict of interest submits scores.")]
    if member.scores_submitted_at:
        return [_("Your scores for this lot are final.")]
    missing = [(b.pk, k) for b in bids for k in leaf_keys(snapshot) if (b.pk, k) not in scored]
    if missing:
        return [_("Score every criterion of every bid first (%(n)s to go).") % {"n": len(missing)}]
    return []


def consensus_errors(committee, user, snapshot, member_scores: list[int], score, reason, deviation_reason) -> list:
    errors = []
    if not committee.members.filter(user=user, role=Member.Role.CHAIR).exists():
        errors.append(_("Only the chair records the consensus."))
    if not all_submitted(committee):
        errors.append(_("The consensus comes after every member has submitted their scores."))
    if score not in snapshot.data["scale"]:
        errors.append(_("A score is one of the levels of the scale."))
    if len((reason or "").strip()) < MIN_REASON_CHARS:
        errors.append(
            _("Give a reason of at least %(n)s characters that refers to the anchor.") % {"n": MIN_REASON_CHARS}
        )
    if member_scores and score != median(member_scores) and not (deviation_reason or "").strip():
        errors.append(
            _("Explain why the consensus differs from the members' median (%(m)s).")
            % {"m": f"{median(member_scores):g}"}
        )
    return errors
