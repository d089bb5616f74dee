"""Readable (Dutch) labels for the codes stored in audit events: actions, roles, object types and summaries.

Codes stay English and stable in the chain (they are hashed); only their display is translated. Every action code the
code base records must have a label here: audit/tests/test_labels.py scans the sources and fails on a missing one.
"""

import json

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ACTION_LABELS = {
    # core
    "core.municipality.create": gettext_lazy("Municipality created"),
    "core.municipality.update": gettext_lazy("Municipality changed"),
    "core.purchasing_organisation.create": gettext_lazy("Purchasing organisation created"),
    "core.purchasing_organisation.update": gettext_lazy("Purchasing organisation changed"),
    "core.user.create": gettext_lazy("User created"),
    "core.user.update": gettext_lazy("User changed"),
    "core.user.set_password": gettext_lazy("Password set"),
    "core.superuser.create": gettext_lazy("Superuser created"),
    "core.role.assign": gettext_lazy("Role assigned"),
    "core.totp.create": gettext_lazy("Authenticator linked"),
    "core.totp.confirm": gettext_lazy("Authenticator confirmed"),
    "core.login": gettext_lazy("Logged in"),
    "core.login_failed": gettext_lazy("Login failed"),
    "core.second_factor_failed": gettext_lazy("Wrong second-factor code"),
    "core.lockout": gettext_lazy("Account locked after failed attempts"),
    # landscape
    "landscape.district.create": gettext_lazy("District created"),
    "landscape.grant_mapping": gettext_lazy("Columns of the grant register mapped"),
    "landscape.district.update": gettext_lazy("District changed"),
    "landscape.organisation.create": gettext_lazy("Organisation created"),
    "landscape.organisation.update": gettext_lazy("Organisation changed"),
    "landscape.activity.create": gettext_lazy("Activity created"),
    "landscape.activity.update": gettext_lazy("Activity changed"),
    "landscape.funding.create": gettext_lazy("Funding created"),
    "landscape.funding.update": gettext_lazy("Funding changed"),
    "landscape.import": gettext_lazy("Landscape imported"),
    "landscape.generate_synthetic": gettext_lazy("Synthetic landscape generated"),
    # continuity
    "evaluation.criteria_frozen": gettext_lazy("Award criteria frozen for the evaluation"),
    "evaluation.committee_appointed": gettext_lazy("Evaluation committee appointed"),
    "evaluation.interests_declared": gettext_lazy("Conflict-of-interest declaration made"),
    "evaluation.score_saved": gettext_lazy("Score saved"),
    "evaluation.scores_submitted": gettext_lazy("Scores submitted"),
    "evaluation.grants_decided": gettext_lazy("Grant decisions taken for every applicant"),
    "evaluation.consensus_recorded": gettext_lazy("Consensus score recorded"),
    "evaluation.award_decided": gettext_lazy("Award decision taken and sent"),
    "evaluation.award_withdrawn": gettext_lazy("Award decision withdrawn"),
    "evaluation.evidence_requested": gettext_lazy("Evidence requested from the winner"),
    "evaluation.evidence_received": gettext_lazy("Evidence of the winner received"),
    "evaluation.proceedings_registered": gettext_lazy("Summary proceedings registered"),
    "evaluation.judgment_recorded": gettext_lazy("Judgment recorded"),
    "evaluation.debriefing_requested": gettext_lazy("Debriefing requested"),
    "evaluation.debriefing_answered": gettext_lazy("Debriefing answered"),
    "evaluation.award_definitive": gettext_lazy("Award made definitive"),
    "contracts.created": gettext_lazy("Contract record created"),
    "contracts.report_generated": gettext_lazy("Procurement report (art. 84) made"),
    "contracts.kpi_reported": gettext_lazy("KPI result reported"),
    "contracts.payment_reported": gettext_lazy("Payment to a subcontractor reported"),
    "contracts.payment_confirmed": gettext_lazy("Payment confirmed by the subcontractor"),
    "contracts.payment_disputed": gettext_lazy("Payment disputed by the subcontractor"),
    "continuity.create": gettext_lazy("Scenario created"),
    "continuity.update": gettext_lazy("Scenario changed"),
    "continuity.delete": gettext_lazy("Scenario deleted"),
    "continuity.moves": gettext_lazy("Scenario moves set"),
    "continuity.compute": gettext_lazy("Scenario impact computed"),
    "continuity.optimise": gettext_lazy("Transition plan saved"),
    "continuity.publish": gettext_lazy("Scenario published"),
    "continuity.unpublish": gettext_lazy("Scenario withdrawn from publication"),
    "continuity.lot_budgets": gettext_lazy("Lot budgets of a scenario set"),
    # tenders
    "tenders.criterion_minimum": gettext_lazy("Knock-out minimum of a criterion set"),
    "tenders.kpi_add": gettext_lazy("KPI added to a lot"),
    "tenders.kpi_delete": gettext_lazy("KPI removed from a lot"),
    "tenders.create": gettext_lazy("Commissioning created"),
    "tenders.update": gettext_lazy("Commissioning changed"),
    "tenders.lot_add": gettext_lazy("Lot added"),
    "tenders.lot_change": gettext_lazy("Lot changed"),
    "tenders.lot_delete": gettext_lazy("Lot deleted"),
    "tenders.reserve": gettext_lazy("Budget reserved"),
    "tenders.criterion_add": gettext_lazy("Award criterion added"),
    "tenders.criterion_delete": gettext_lazy("Award criterion deleted"),
    "tenders.anchor": gettext_lazy("Score anchor set"),
    "tenders.deadline": gettext_lazy("Deadline set"),
    "tenders.notice": gettext_lazy("Dispatch of the contract notice recorded"),
    "tenders.publish": gettext_lazy("Commissioning published"),
    "tenders.transition": gettext_lazy("Procedure moved to the next phase"),
    "tenders.cancel": gettext_lazy("Commissioning cancelled"),
    "tenders.rectify": gettext_lazy("Rectification published"),
    "tenders.question_ask": gettext_lazy("Question asked"),
    "tenders.question_answer": gettext_lazy("Question answered"),
    "tenders.clarify": gettext_lazy("Clarifications published"),
    "tenders.info_session": gettext_lazy("Information session recorded"),
    "tenders.candidate_apply": gettext_lazy("Application as candidate"),
    "tenders.candidate_register": gettext_lazy("Candidate registered from an opened request to participate"),
    "tenders.candidate_decide": gettext_lazy("Candidate admitted or refused"),
    "tenders.dialogue_select": gettext_lazy("Candidates selected for the dialogue"),
    "tenders.dialogue_session": gettext_lazy("Dialogue session recorded"),
    "tenders.policy": gettext_lazy("Procurement policy changed"),
    # publication
    "publication.release": gettext_lazy("Open-data release published"),
    "publication.subscribe": gettext_lazy("Subscribed to updates"),
    "publication.subscription_confirm": gettext_lazy("Subscription to updates confirmed"),
    "publication.unsubscribe": gettext_lazy("Unsubscribed from updates"),
    # bids: sealing key, drafts, submission (B1)
    "bids.key_create": gettext_lazy("Sealing key of a commissioning created"),
    "bids.submission_create": gettext_lazy("Draft submission started"),
    "bids.answer_save": gettext_lazy("Answer of a draft submission saved"),
    "bids.file_add": gettext_lazy("Attachment added to a draft submission"),
    "bids.file_remove": gettext_lazy("Attachment removed from a draft submission"),
    "bids.file_reencrypt": gettext_lazy("Attachment of a draft given its own key"),
    "bids.confidential_mark": gettext_lazy("Confidential mark of a submission part changed"),
    "bids.submit": gettext_lazy("Submission sealed and received"),
    "bids.withdraw": gettext_lazy("Submission withdrawn"),
    "bids.late_attempt": gettext_lazy("Late submission refused"),
    # bids: operators and consortia (B2)
    "bids.operator_register": gettext_lazy("Organisation registered"),
    "bids.operator_confirm_email": gettext_lazy("Organisation's e-mail address confirmed"),
    "bids.operator_confirm_demo_email": gettext_lazy("Demo organisation's e-mail address confirmed"),
    "bids.operator_resend_confirmation": gettext_lazy("Confirmation link sent again"),
    "bids.operator_invite": gettext_lazy("Colleague invited"),
    "bids.operator_join": gettext_lazy("Colleague joined the organisation"),
    "bids.match_propose": gettext_lazy("Match with the landscape proposed"),
    "bids.match_refresh": gettext_lazy("Matches with the landscape looked up again"),
    "bids.match_decide": gettext_lazy("Match with the landscape decided"),
    "bids.participation_lead": gettext_lazy("Lead recorded in the consortium"),
    "bids.participation_add": gettext_lazy("Organisation invited into a consortium"),
    "bids.participation_decide": gettext_lazy("Participation in a consortium confirmed or declined"),
    "bids.consortium_name": gettext_lazy("Name of the consortium changed"),
    "bids.commitment_save": gettext_lazy("Subcontract commitment saved"),
    "bids.commitment_delete": gettext_lazy("Subcontract commitment deleted"),
    "bids.declaration": gettext_lazy("Self-declaration made"),
    "bids.reliance": gettext_lazy("Reliance on another's capacity stated"),
    # bids: the opening
    "bids.opener_appoint": gettext_lazy("Opener appointed"),
    "bids.opener_remove": gettext_lazy("Opener removed"),
    "bids.opening_confirm": gettext_lazy("Opening confirmed by an opener"),
    "bids.opening_second_factor_failed": gettext_lazy("Opening refused: wrong second-factor code"),
    "bids.opening": gettext_lazy("Submissions opened"),
    "bids.read": gettext_lazy("Opened submission read"),
}

# Writes through the Django admin: "<app label>.admin_<verb>" (core.admin.AuditedModelAdmin).
ADMIN_VERBS = {
    "add": gettext_lazy("Admin: added"),
    "change": gettext_lazy("Admin: changed"),
    "delete": gettext_lazy("Admin: deleted"),
    "password_change": gettext_lazy("Admin: password changed"),
}

# Role code -> label; core fills it with core.models.Role at start-up (CoreConfig.ready), so audit imports no app.
ROLE_LABELS: dict = {}

# Roles recorded in events besides core.models.Role.
EXTRA_ROLE_LABELS = {
    "superuser (admin)": gettext_lazy("Superuser (admin)"),
    "superuser": gettext_lazy("Superuser"),
}

# Kinds of action for the filter: the first part of the code.
KIND_LABELS = {
    "core": gettext_lazy("Accounts, roles and logins"),
    "landscape": gettext_lazy("Landscape"),
    "continuity": gettext_lazy("Scenarios"),
    "tenders": gettext_lazy("Commissioning"),
    "publication": gettext_lazy("Publication"),
    "bids": gettext_lazy("Bids"),
    "auth": gettext_lazy("Groups (admin)"),
    "otp_totp": gettext_lazy("Authenticators (admin)"),
}


def action_label(code: str) -> str | None:
    """The Dutch label of an action code, or None when the code is unknown."""
    if code in ACTION_LABELS:
        return str(ACTION_LABELS[code])
    app_label, _sep, verb = code.partition(".admin_")
    if _sep and verb in ADMIN_VERBS:
        try:
            app_name = apps.get_app_config(app_label).verbose_name
        except LookupError:
            app_name = app_label
        return f"{ADMIN_VERBS[verb]} ({app_name})"
    return None


def action_display(code: str) -> str:
    return action_label(code) or code


def kind_label(code: str) -> str:
    kind = code.partition(".")[0]
    return str(KIND_LABELS.get(kind, kind))


def role_label(value: str) -> str:
    """Roles as stored: one code, several comma-separated, or empty."""
    names = ROLE_LABELS | EXTRA_ROLE_LABELS
    return ", ".join(str(names.get(part, part)) for part in value.split(",") if part) if value else ""


def object_label(object_type: str) -> str:
    if not object_type:
        return ""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return object_type


def _value(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def field_label(key: str, object_type: str = "") -> str:
    """The (translated) verbose name of a field of the event's object, else the key as stored."""
    if object_type:
        try:
            return str(apps.get_model(object_type)._meta.get_field(key).verbose_name)
        except (LookupError, ValueError, AttributeError, FieldDoesNotExist):
            pass
    return key


def summary_lines(summary, object_type: str = "") -> list[str]:
    """A summary as readable lines: "field: before → after" for changes, "field: value" otherwise. Fields of the
    event's object are named by their (Dutch) label."""
    if not isinstance(summary, dict) or not summary:
        return [] if not summary else [_value(summary)]
    before, after = summary.get("before"), summary.get("after")
    lines = []
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            label = field_label(key, object_type)
            if key in before and before:
                lines.append(f"{label}: {_value(before.get(key))} → {_value(after.get(key))}")
            else:
                lines.append(f"{label}: {_value(after.get(key))}")
        rest = {k: v for k, v in summary.items() if k not in ("before", "after")}
    else:
        rest = summary
    lines += [f"{field_label(key, object_type)}: {_value(value)}" for key, value in sorted(rest.items())]
    return lines
