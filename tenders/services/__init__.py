"""The only write path of tenders, split by topic: design (draft only), kpis (per lot, draft only), notice (the
contract notice), procedure (publish, transition, cancel), rectification, questions (questions, clarifications, info
sessions), selection (candidates, dialogue) and policy (the municipal procurement policy).

Every service runs in a transaction, locks the commissioning, checks the rules of tenders.rules (and the guards
registered in tenders.guards), appends an audit event and, when something is published, sends a
tenders.events.procedure_changed event in the same transaction (publication stores its OCDS release from it; ADR
0005, 0007). Callers keep `from tenders import services; services.publish(...)`.

Guards raise django.core.exceptions.ValidationError with a Dutch (gettext) message, a dict keyed by form field
where a field is to blame; nothing is written when a guard fails.
"""

from .design import (
    DESIGN_FIELDS,
    add_criterion,
    add_library_criterion,
    add_reserved_line,
    create_commissioning,
    delete_criterion,
    delete_lot,
    save_lot,
    set_anchor,
    set_criterion_minimum,
    set_deadline,
    update_commissioning,
)
from .kpis import add_kpi, delete_kpi
from .notice import record_notice
from .policy import POLICY_FIELDS, save_policy
from .procedure import cancel, publish, transition
from .questions import MAX_QUESTION_LENGTH, add_info_session, answer_question, ask_question, publish_clarification
from .rectification import RECTIFIABLE_FIELDS, rectify
from .selection import (
    apply_as_candidate,
    decide_candidate,
    record_dialogue_session,
    register_candidate,
    select_for_phase_2,
)

__all__ = [
    "DESIGN_FIELDS",
    "MAX_QUESTION_LENGTH",
    "POLICY_FIELDS",
    "RECTIFIABLE_FIELDS",
    "add_criterion",
    "add_info_session",
    "add_kpi",
    "add_library_criterion",
    "add_reserved_line",
    "answer_question",
    "apply_as_candidate",
    "ask_question",
    "cancel",
    "create_commissioning",
    "decide_candidate",
    "delete_criterion",
    "delete_kpi",
    "delete_lot",
    "publish",
    "publish_clarification",
    "record_dialogue_session",
    "record_notice",
    "rectify",
    "register_candidate",
    "save_policy",
    "save_lot",
    "select_for_phase_2",
    "set_anchor",
    "set_criterion_minimum",
    "set_deadline",
    "transition",
    "update_commissioning",
]
