"""Questions from providers, their answers published as numbered clarifications, and information sessions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import events, rules, time_limits
from ..models import Clarification, InfoSession, Question
from ._common import _audit, _aware, _ensure_open, _lock
from .rectification import _data_text, rectify

MAX_QUESTION_LENGTH = 5000


@transaction.atomic
def ask_question(commissioning, user, text: str, lot=None, now=None):
    now = now or timezone.now()
    c = _lock(commissioning)
    if not rules.questions_open(c, now):
        raise ValidationError(_("Questions can no longer be asked: the deadline for questions has passed."))
    if not time_limits.may_ask_in_round(user, c):
        raise ValidationError(_("In this round only the candidates taking part may ask questions."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your question.")})
    if len(text) > MAX_QUESTION_LENGTH:
        raise ValidationError({"text": _("A question is at most %(n)s characters.") % {"n": MAX_QUESTION_LENGTH}})
    if lot is not None and lot.commissioning_id != c.pk:
        raise ValidationError({"lot": _("Choose a lot of this commissioning.")})
    question = Question.objects.create(commissioning=c, lot=lot, asked_by=user, text=text, asked_at=now)
    # The audit summary leaves the text out: who asked what stays inside the municipality's records.
    _audit("tenders.question_ask", c, user, obj=question)
    return question


@transaction.atomic
def answer_question(question, user, *, answer: str, topic: str = ""):
    c = _lock(question.commissioning)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.clarification_id:
        raise ValidationError(_("This answer has been published; correct it in a later clarification."))
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Write the answer.")})
    question.answer, question.topic = answer.strip(), topic.strip()
    question.answered_by, question.answered_at = user, timezone.now()
    question.save()
    _audit("tenders.question_answer", c, user, obj=question, summary={"topic": question.topic})
    return question


@transaction.atomic
def publish_clarification(commissioning, user, *, introduction="", extend_to=None, now=None):
    """Publish all answered, unpublished questions as the next numbered clarifications document. Questions are
    numbered on from the previous document, grouped by topic, so later clarifications extend earlier ones.

    Clarifications come at least 10 calendar days (4 when accelerated) before the next submission deadline
    (Aw 2.54); later, only together with an extension of that deadline to `extend_to`, published in the same act
    as a rectification."""
    now = now or timezone.now()
    c = _lock(commissioning)
    _ensure_open(c)
    if errors := time_limits.clarification_errors(c, now, extend_to):
        raise ValidationError(errors)
    if extend_to is not None and (deadline := time_limits.next_submission_deadline(c, now)) is not None:
        rectify(
            c,
            user,
            explanation=_data_text(
                gettext_lazy("The %(deadline)s is extended so that the clarifications come in time (Aw 2.54).")
            )
            % {"deadline": _data_text(deadline.get_kind_display()).lower()},
            deadlines={deadline.kind: extend_to},
            now=now,
        )
    pending = list(
        c.questions.select_for_update()
        .filter(clarification__isnull=True)
        .exclude(answer="")
        .order_by("topic", "asked_at", "pk")
    )
    if not pending:
        raise ValidationError(_("There are no answered questions to publish."))
    number = c.clarifications.count() + 1
    clarification = Clarification.objects.create(
        commissioning=c, number=number, introduction=introduction.strip(), published_at=now, published_by=user
    )
    next_number = (c.questions.aggregate(n=Max("number"))["n"] or 0) + 1
    for i, question in enumerate(pending):
        question.clarification, question.number = clarification, next_number + i
        question.save(update_fields=["clarification", "number"])
    _audit("tenders.clarify", c, user, obj=clarification, summary={"number": number, "questions": len(pending)})
    events.send(
        events.CLARIFIED,
        c,
        user,
        message=_("Clarifications %(n)s were published.") % {"n": number},
        clarification=clarification,
    )
    return clarification


@transaction.atomic
def add_info_session(commissioning, user, *, title, held_at, location="", summary=""):
    c = _lock(commissioning)
    _ensure_open(c)
    _aware(held_at, "held_at")
    if not title.strip():
        raise ValidationError({"title": _("Give the session a title.")})
    session = InfoSession.objects.create(
        commissioning=c, title=title.strip(), held_at=held_at, location=location, summary=summary
    )
    _audit("tenders.info_session", c, user, obj=session, summary={"title": session.title})
    return session
