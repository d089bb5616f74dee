"""Plug points for the later stages (ADR 0007): the procedure's domain events, sent inside the service's transaction,
and the registry of transition guards that other apps fill without tenders importing them."""

import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from audit.models import AuditEvent
from core.testing import MunicipalityFactory, login
from publication.models import Release
from publication.receivers import RELEASE_KINDS
from tenders import events, guards, rules, services
from tenders.models import Deadline, Phase, PhaseChange, Route

from .factories import HOUR, advance_to, after, candidate, complete, draft, published

K = Deadline.Kind
pytestmark = pytest.mark.django_db


@contextmanager
def listening():
    """Collect every procedure_changed event, with whether it came inside a transaction."""
    heard = []

    def receiver(sender, **kwargs):
        heard.append({**kwargs, "atomic": connection.in_atomic_block})

    events.procedure_changed.connect(receiver, weak=False, dispatch_uid="test.listening")
    try:
        yield heard
    finally:
        events.procedure_changed.disconnect(dispatch_uid="test.listening")


@contextmanager
def guarded(from_phase, to_phase, guard):
    guards.register(from_phase, to_phase)(guard)
    try:
        yield guard
    finally:
        guards.unregister(from_phase, to_phase, guard)


@pytest.fixture
def m():
    return MunicipalityFactory()


# --- events ------------------------------------------------------------------------------------------------------
def test_publishing_sends_the_published_event_inside_the_transaction(m, user):
    c = complete(draft(m, user), user)
    with listening() as heard:
        services.publish(c, user)
    [event] = heard
    assert event["kind"] == events.PUBLISHED and event["actor"] == user and event["atomic"]
    assert event["commissioning"].pk == c.pk and event["commissioning"].phase == Phase.TENDERING
    assert event["payload"]["from_phase"] == Phase.DRAFT and event["payload"]["to_phase"] == Phase.TENDERING
    assert event["payload"]["message"] == "The commissioning was published."


def test_every_published_change_of_the_procedure_sends_its_event(m, user):
    c = published(m, user=user)
    with listening() as heard:
        services.rectify(c, user, explanation="Titel verduidelijkt.", fields={"title": "Samen Opgroeien 2027"})
        question = services.ask_question(
            c,
            user,
            "Mag een consortium inschrijven?",
            now=c.deadlines.get(kind=K.QUESTIONS).at - HOUR,
        )
        services.answer_question(question, user, answer="Ja.")
        services.publish_clarification(c, user)
        services.transition(c, user, Phase.EVALUATION, now=after(c, K.BIDS))
        services.cancel(c, user, reason="Budget vervalt.")
    assert [e["kind"] for e in heard] == [events.RECTIFIED, events.CLARIFIED, events.PHASE_CHANGED, events.CANCELLED]
    assert all(e["atomic"] and e["actor"] == user for e in heard)
    rectified, clarified, moved, cancelled = (e["payload"] for e in heard)
    assert rectified["rectification"].number == 1
    assert clarified["clarification"].number == 1
    assert (moved["from_phase"], moved["to_phase"]) == (Phase.TENDERING, Phase.EVALUATION)
    assert cancelled["reason"] == "Budget vervalt." and cancelled["to_phase"] == Phase.CANCELLED


def test_a_failing_receiver_rolls_back_the_whole_change(m, user):
    c = published(m, user=user)
    counts = (PhaseChange.objects.count(), AuditEvent.objects.count(), Release.objects.count())

    def broken(sender, **kwargs):
        raise RuntimeError("receiver failed")

    events.procedure_changed.connect(broken, weak=False, dispatch_uid="test.broken")
    try:
        with pytest.raises(RuntimeError):
            services.transition(c, user, Phase.EVALUATION, now=after(c, K.BIDS))
    finally:
        events.procedure_changed.disconnect(dispatch_uid="test.broken")
    c.refresh_from_db()
    assert c.phase == Phase.TENDERING
    assert (PhaseChange.objects.count(), AuditEvent.objects.count(), Release.objects.count()) == counts


def test_publication_turns_every_procedure_event_into_an_ocds_release(m, user):
    assert set(RELEASE_KINDS) == events.KINDS
    c = published(m, user=user)
    services.transition(c, user, Phase.EVALUATION, now=after(c, K.BIDS))
    assert list(Release.objects.filter(commissioning=c).order_by("pk").values_list("tags", flat=True)) == [
        ["planning", "tender"],
        ["tenderUpdate"],
    ]


def test_an_event_needs_a_known_kind_and_a_message(m, user):
    c = published(m, user=user)
    with pytest.raises(AssertionError):
        events.send("awarded_by_magic", c, user, message="?")
    with pytest.raises(AssertionError):
        events.send(events.PHASE_CHANGED, c, user)


# --- guards ------------------------------------------------------------------------------------------------------
def test_a_registered_guard_blocks_its_transition_until_it_is_satisfied(m, user):
    c = published(m, user=user)
    seen = []

    def bids_opened(commissioning, now):
        seen.append((commissioning.pk, now))
        return [] if commissioning.goals.endswith("(geopend)") else ["De inschrijvingen zijn nog niet geopend."]

    late = after(c, K.BIDS)
    with guarded(Phase.TENDERING, Phase.EVALUATION, bids_opened):
        assert rules.transition_errors(c, Phase.EVALUATION, late) == ["De inschrijvingen zijn nog niet geopend."]
        with pytest.raises(ValidationError, match="nog niet geopend"):
            services.transition(c, user, Phase.EVALUATION, now=late)
        c.refresh_from_db()
        assert c.phase == Phase.TENDERING and not c.phase_changes.filter(to_phase=Phase.EVALUATION).exists()
        assert seen[-1] == (c.pk, late)
        services.rectify(c, user, explanation="Opening vastgelegd.", fields={"goals": c.goals + " (geopend)"})
        services.transition(c, user, Phase.EVALUATION, now=late)
    c.refresh_from_db()
    assert c.phase == Phase.EVALUATION


def test_a_guard_adds_to_the_built_in_rules_and_only_for_its_pair(m, user):
    c = published(m, user=user)
    with guarded(Phase.EVALUATION, Phase.AWARDED, lambda c, now: ["Nog geen definitieve gunning."]):
        assert rules.transition_errors(c, Phase.EVALUATION, after(c, K.BIDS)) == []
        early = rules.transition_errors(c, Phase.EVALUATION, c.published_at)
        assert len(early) == 1 and "closes at" in early[0]
    with guarded(Phase.TENDERING, Phase.EVALUATION, lambda c, now: ["Extra."]):
        assert rules.transition_errors(c, Phase.EVALUATION, c.published_at)[-1] == "Extra."
        # A transition outside the table is refused by the table alone.
        assert len(rules.transition_errors(c, Phase.AWARDED, after(c, K.BIDS))) == 1


def test_a_guard_on_the_first_phase_blocks_publishing(m, user):
    c = complete(draft(m, user, route=Route.GRANT_ROUND), user)
    with guarded(Phase.DRAFT, Phase.APPLICATION_PERIOD, lambda c, now: ["Het college heeft nog niet besloten."]):
        assert rules.publish_errors(c) == ["Het college heeft nog niet besloten."]
        with pytest.raises(ValidationError, match="nog niet besloten"):
            services.publish(c, user)
    c.refresh_from_db()
    assert not c.is_published
    services.publish(c, user)


def test_registering_checks_the_phases_and_is_idempotent():
    with pytest.raises(ValueError, match="Unknown phase"):
        guards.register("tendering", "opening")

    def guard(c, now):
        return []

    with guarded(Phase.EVALUATION, Phase.AWARDED, guard):
        guards.register(Phase.EVALUATION, Phase.AWARDED)(guard)
        assert guards.guards_for(Phase.EVALUATION, Phase.AWARDED).count(guard) == 1
    assert guard not in guards.guards_for(Phase.EVALUATION, Phase.AWARDED)


# --- templates get flags ------------------------------------------------------------------------------------------
@pytest.mark.django_db(databases=[])
def test_no_template_compares_phase_strings():
    """Whether something may happen now is decided in tenders.rules; templates get `may_*` flags (or the model's
    is_* properties) instead of comparing phases."""
    root = Path(settings.BASE_DIR)
    offenders = [
        str(path.relative_to(root))
        for app in ("core", "landscape", "continuity", "tenders", "publication", "audit")
        for path in (root / app / "templates").rglob("*.html")
        if re.search(r"phase\s*(==|!=)", path.read_text(encoding="utf-8"))
    ]
    assert not offenders


@pytest.mark.parametrize(
    ("phase", "shown", "hidden"),
    [
        (Phase.DIALOGUE_1, "Een dialooggesprek vastleggen", "Selecteren voor dialoogfase 2"),
        (Phase.DIALOGUE_SELECTION, "Selecteren voor dialoogfase 2", "Een dialooggesprek vastleggen"),
        (Phase.DIALOGUE_2, "Een dialooggesprek vastleggen", "Selecteren voor dialoogfase 2"),
    ],
)
def test_the_dashboard_offers_the_dialogue_steps_by_the_rules_flags(client, m, user, phase, shown, hidden):
    c = published(m, route=Route.COMPETITIVE_DIALOGUE, user=user)
    candidate(c, admit=True, user=user)
    advance_to(c, user, phase)
    login(client, user)
    page = client.get(reverse("tenders:manage", args=[m.cbs_code, c.pk])).content.decode()
    assert shown in page and hidden not in page


def test_the_dashboard_shows_the_cancellation_by_the_model_flag(client, m, user):
    c = published(m, user=user)
    login(client, user)
    manage = reverse("tenders:manage", args=[m.cbs_code, c.pk])
    assert "De procedure is ingetrokken." not in client.get(manage).content.decode()
    services.cancel(c, user, reason="Budget vervalt.")
    c.refresh_from_db()
    assert c.is_cancelled and not c.is_awarded
    page = client.get(manage).content.decode()
    assert "De procedure is ingetrokken." in page and "Budget vervalt." in page
