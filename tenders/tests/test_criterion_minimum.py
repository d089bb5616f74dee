"""Knock-out minimum scores per award criterion (issue 12): set while designing (a level of the scale above the lowest,
on a criterion without sub-criteria), published next to the criterion, and after publication changed only by a
rectification, which is material (Directive 2014/24/EU art. 67 and art. 47(3))."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from core import page_cache
from core.testing import login
from tenders import rules, services
from tenders.forms import RectificationForm
from tenders.models import Deadline
from tenders.policy import DEFAULTS

from .factories import anchors, complete, draft, published

pytestmark = pytest.mark.django_db
K = Deadline.Kind


def test_a_minimum_is_a_level_of_the_scale_above_the_lowest_directive_art_67(m, user):
    c = draft(m, user)
    for bad in (30, 0, 125):
        with pytest.raises(ValidationError, match="one of the levels 25, 50, 75, 100"):
            services.add_criterion(c, user, title="Plan", weight=100, anchors=anchors(), minimum_score=bad)
    assert not c.criteria.exists()  # nothing half-written
    plan = services.add_criterion(c, user, title="Plan", weight=100, anchors=anchors(), minimum_score=50)
    assert plan.minimum_score == 50 and rules.criteria_errors(c) == []
    assert AuditEvent.objects.filter(action="tenders.criterion_add").latest("id").summary["minimum_score"] == 50


def test_a_criterion_with_sub_criteria_has_its_minimums_on_the_sub_criteria(m, user):
    c = draft(m, user)
    parent = services.add_criterion(c, user, title="Kwaliteit", weight=100, anchors={}, minimum_score=50)
    services.add_criterion(c, user, title="A", weight=50, anchors=anchors(), parent=parent, minimum_score=75)
    services.add_criterion(c, user, title="B", weight=50, anchors=anchors(), parent=parent)
    assert rules.criteria_errors(c) == ["“Kwaliteit” has sub-criteria: set the minimum score on them."]
    with pytest.raises(ValidationError, match="has sub-criteria"):
        services.set_criterion_minimum(parent, user, 75)
    services.set_criterion_minimum(parent, user, None)
    assert rules.criteria_errors(c) == []


def test_a_minimum_off_a_changed_scale_blocks_publication(m, user):
    c = draft(m, user)
    services.add_criterion(c, user, title="Plan", weight=100, anchors=anchors(), minimum_score=75)
    c.scale = [0, 50, 100]  # the designer changes the scale later (the anchors then miss too)
    assert any("minimum score of “Plan” is one of the levels 50, 100" in e for e in rules.criteria_errors(c))


def test_the_minimum_is_set_and_cleared_only_while_a_draft(m, user):
    c = complete(draft(m, user), user)
    plan = c.criteria.get(title="Plan van aanpak")
    services.set_criterion_minimum(plan, user, 50)
    plan.refresh_from_db()
    assert plan.minimum_score == 50
    event = AuditEvent.objects.filter(action="tenders.criterion_minimum").latest("id")
    assert event.summary == {"before": None, "after": 50}
    services.publish(c, user)
    with pytest.raises(ValidationError):
        services.set_criterion_minimum(plan, user, 75)
    plan.refresh_from_db()
    assert plan.minimum_score == 50


def test_changing_a_minimum_after_publication_is_a_material_rectification_directive_art_47_3(m, user):
    c = published(m, user=user)
    plan = c.criteria.get(title="Plan van aanpak")
    bids = c.deadlines.get(kind=K.BIDS).at
    with pytest.raises(ValidationError, match="extend the deadline for bids"):
        services.rectify(c, user, explanation="Minimum", criteria={plan.pk: {"minimum_score": 50}})
    with pytest.raises(ValidationError):
        services.rectify(
            c,
            user,
            explanation="Minimum",
            criteria={plan.pk: {"minimum_score": 40}},
            deadlines={K.BIDS: bids + DEFAULTS["minimum_extension_days"] * timedelta(days=1)},
        )
    plan.refresh_from_db()
    assert plan.minimum_score is None and not c.rectifications.exists()
    r = services.rectify(
        c,
        user,
        explanation="Een ondergrens voor het plan van aanpak",
        criteria={plan.pk: {"minimum_score": 50}},
        deadlines={K.BIDS: bids + DEFAULTS["minimum_extension_days"] * timedelta(days=1)},
    )
    plan.refresh_from_db()
    assert plan.minimum_score == 50
    change = r.changes[0]
    assert (change["field"], change["before"], change["after"], change["material"]) == (
        f"criterion:{plan.pk}:minimum_score",
        "–",
        "50",
        True,
    )
    assert change["label"] == "Plan van aanpak: minimumscore"  # published data is Dutch


def test_the_rectification_form_offers_the_minimum_of_each_scored_criterion(m, user):
    c = published(m, user=user)
    plan = c.criteria.get(title="Plan van aanpak")
    form = RectificationForm(commissioning=c)
    key = f"criterion_{plan.pk}_minimum"
    assert key in form.fields and form.initial[key] == ""
    data = {f"rectify-{name}": value for name, value in form.initial.items()}
    data |= {f"rectify-{key}": "75", "rectify-explanation": "Ondergrens"}
    for d in c.deadlines.all():
        data[f"rectify-deadline_{d.kind}"] = d.at.strftime("%d-%m-%Y %H:%M")
    bound = RectificationForm(data, commissioning=c)
    assert bound.is_valid(), bound.errors
    assert bound.changes()["criteria"] == {plan.pk: {"minimum_score": 75}}


def test_the_designer_sets_a_minimum_on_the_manage_page_and_bad_input_is_a_400(client, m, user):
    c = complete(draft(m, user), user)
    plan = c.criteria.get(title="Plan van aanpak")
    login(client, user)
    url = reverse("tenders:criterion_minimum", args=[m.cbs_code, c.pk])
    with translation.override("nl"):
        page = client.get(reverse("tenders:manage", args=[m.cbs_code, c.pk]))
        assert "Een minimumscore instellen (knock-out)" in page.content.decode()
        response = client.post(url, {"minimum-criterion": plan.pk, "minimum-minimum_score": "30"})
        assert response.status_code == 400
        assert "Selecteer een geldige keuze" in response.content.decode()
        plan.refresh_from_db()
        assert plan.minimum_score is None
        response = client.post(url, {"minimum-criterion": plan.pk, "minimum-minimum_score": "50"})
        assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.minimum_score == 50


def test_the_public_page_shows_the_minimum_next_to_the_criterion(client, m, user):
    c = complete(draft(m, user), user)
    services.set_criterion_minimum(c.criteria.get(title="Plan van aanpak"), user, 75)
    services.publish(c, user)
    page_cache.store.clear()
    with translation.override("nl"):
        html = client.get(reverse("publication:detail", args=[m.cbs_code, c.pk])).content.decode()
    plan_at, minimum_at, together_at = (
        html.index("Plan van aanpak"),
        html.index("Minimumscore: 75."),
        html.index("Samenwerking"),
    )
    assert plan_at < minimum_at < together_at  # next to its own criterion
    assert html.count("Minimumscore:") == 1
    assert "wordt uitgesloten van de rangschikking" in html


def test_the_open_data_names_the_minimum_with_the_criterion(m, user):
    from publication import ocds

    c = complete(draft(m, user), user)
    services.set_criterion_minimum(c.criteria.get(title="Plan van aanpak"), user, 50)
    services.publish(c, user)
    c.refresh_from_db()
    release = ocds.build_release(c, release_id="r1", date=c.published_at, tags=["tender"])
    details = release["tender"]["awardCriteriaDetails"]
    assert "Plan van aanpak (60%, minimumscore 50)" in details and "Samenwerking (40%)" in details


def test_a_grant_round_has_no_minimum_scores_yet(m, user):
    from tenders.forms import CriterionForm
    from tenders.models import Route

    c = draft(m, user, route=Route.GRANT_ROUND)
    with pytest.raises(ValidationError, match="A grant round has no minimum scores yet"):
        services.add_criterion(c, user, title="Plan", weight=100, anchors=anchors(), minimum_score=50)
    plan = services.add_criterion(c, user, title="Plan", weight=100, anchors=anchors())
    with pytest.raises(ValidationError, match="A grant round has no minimum scores yet"):
        services.set_criterion_minimum(plan, user, 50)
    assert "minimum_score" not in CriterionForm(commissioning=c).fields
    plan.minimum_score = 50
    plan.save()  # as if set before the route changed: the publication guard still refuses it
    assert any("grant round has no minimum scores" in e for e in rules.criteria_errors(c))
