"""The only write path of the evaluation (ADR 0007 conventions): scoring (committee, declarations, scores,
consensus), award (decision, letters, standstill, proceedings, debriefing, definitive award) and the grant
round's decisions (ADR 0010)."""

from .award import (
    answer_debriefing,
    decide_award,
    make_definitive,
    record_evidence,
    record_judgment,
    register_proceedings,
    request_debriefing,
    request_evidence,
    withdraw_award,
)
from .grants import take_grant_decisions
from .scoring import (
    appoint_committee,
    declare_interests,
    freeze_criteria,
    record_consensus,
    save_score,
    submit_scores,
)

__all__ = [
    "answer_debriefing",
    "appoint_committee",
    "decide_award",
    "declare_interests",
    "freeze_criteria",
    "make_definitive",
    "record_consensus",
    "record_evidence",
    "record_judgment",
    "register_proceedings",
    "request_debriefing",
    "request_evidence",
    "save_score",
    "submit_scores",
    "take_grant_decisions",
    "withdraw_award",
]
