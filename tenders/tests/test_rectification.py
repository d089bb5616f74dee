"""Rectifications after publication: what they may change (title, goals, lots, criteria, deadlines), the extension a
material change requires (municipal policy within Directive 2014/24/EU art. 47(3) and Aw 1.10), the previous values
kept and shown, and the OCDS tenderAmendment."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.models import Role
from core.testing import MunicipalityFactory, login, user_with_role
from landscape.models import District, TargetGroup
from publication import ocds, validation
from publication.models import Release
from publication.views import document_context
from tenders import services
from tenders.forms import RectificationForm
from tenders.models import Deadline, Phase
from tenders.policy import DEFAULTS

from .factories import advance_to, after, draft, officer, published

pytestmark = pytest.mark.django_db
K = Deadline.Kind
DAYS = timedelta(days=1)


@pytest.fixture
def c(m, user):
    return published(m, user=user)


def _bids(c):
    return c.deadlines.get(kind=K.BIDS).at


def _minimum():
    return DEFAULTS["minimum_extension_days"]


def test_rectification_changes_logs_and_numbers(c, user):
    lot = c.lots.get()
    r = services.rectify(
        c,
        user,
        explanation="Budget gecorrigeerd",
        fields={"goals": "Nieuwe doelen"},
        lots={lot.pk: {"annual_budget": Decimal("1200000")}},
        deadlines={K.BIDS: _bids(c) + _minimum() * DAYS},
    )
    c.refresh_from_db()
    lot.refresh_from_db()
    assert r.number == 1 and c.goals == "Nieuwe doelen" and lot.annual_budget == Decimal("1200000")
    assert [ch["field"] for ch in r.changes] == ["goals", f"lot:{lot.pk}:annual_budget", "deadline:bids"]
    budget = r.changes[1]
    assert (budget["before"], budget["after"], budget["material"]) == ("€ 1.000.000,00", "€ 1.200.000,00", True)
    assert budget["label"] == "Perceel 1 Perceel 1: vast budget per jaar"  # published data is Dutch
    event = AuditEvent.objects.get(action="tenders.rectify")
    assert event.summary["material"] is True
    assert services.rectify(c, user, explanation="Tweede correctie").number == 2


def test_material_change_needs_the_minimum_deadline_extension_directive_art_47_3_policy(c, user):
    lot, bids = c.lots.get(), _bids(c)
    change = {lot.pk: {"annual_budget": Decimal("1100000")}}
    with pytest.raises(ValidationError, match=f"extend the deadline for bids by at least {_minimum()} days"):
        services.rectify(c, user, explanation="Meer budget", lots=change)
    too_short = bids + (_minimum() - 1) * DAYS
    with pytest.raises(ValidationError, match="material change"):
        services.rectify(c, user, explanation="Meer budget", lots=change, deadlines={K.BIDS: too_short})
    assert not c.rectifications.exists()
    lot.refresh_from_db()
    assert lot.annual_budget == Decimal("1000000") and _bids(c) == bids  # nothing half-written
    services.rectify(c, user, explanation="Meer budget", lots=change, deadlines={K.BIDS: bids + _minimum() * DAYS})
    assert _bids(c) == bids + _minimum() * DAYS


def test_minimum_extension_is_the_municipality_s_policy_policy(c, user, m):
    services.save_policy(m, user, minimum_extension_days=15)
    lot, bids = c.lots.get(), _bids(c)
    change = {lot.pk: {"annual_budget": Decimal("1100000")}}
    with pytest.raises(ValidationError, match="by at least 15 days"):
        services.rectify(c, user, explanation="Meer budget", lots=change, deadlines={K.BIDS: bids + 10 * DAYS})
    services.rectify(c, user, explanation="Meer budget", lots=change, deadlines={K.BIDS: bids + 15 * DAYS})


def test_criteria_weights_and_anchors_can_be_rectified_and_must_still_sum_to_100(c, user):
    plan, together = c.criteria.order_by("position")
    extended = {K.BIDS: _bids(c) + _minimum() * DAYS}
    with pytest.raises(ValidationError, match="add up to 110"):
        services.rectify(c, user, explanation="x", criteria={plan.pk: {"weight": 70}}, deadlines=extended)
    with pytest.raises(ValidationError):
        services.rectify(c, user, explanation="x", criteria={plan.pk: {"anchors": {50: "  "}}}, deadlines=extended)
    assert not c.rectifications.exists()
    r = services.rectify(
        c,
        user,
        explanation="Samenwerking weegt zwaarder",
        criteria={
            plan.pk: {"weight": 50, "anchors": {50: "Een plan met meetbare doelen."}},
            together.pk: {"weight": 50},
        },
        deadlines=extended,
    )
    plan.refresh_from_db()
    assert plan.weight == 50 and plan.anchors.get(score=50).text == "Een plan met meetbare doelen."
    assert [(ch["target"], ch["before"], ch["after"]) for ch in r.changes[:3]] == [
        (f"criterion:{plan.pk}", "60%", "50%"),
        (f"anchor:{plan.pk}:50", "Wat een inschrijving laat zien voor 50 punten.", "Een plan met meetbare doelen."),
        (f"criterion:{together.pk}", "40%", "50%"),
    ]


def test_a_change_of_lot_scope_is_material_and_extends_the_deadline_directive_art_47_3(c, user, m):
    lot = c.lots.get()
    district = District.objects.create(municipality=m, cbs_code="WK054601", name="Binnenstad-Noord")
    group = TargetGroup.objects.first()
    scope = {lot.pk: {"description": "Jeugd in de binnenstad", "districts": [district], "target_groups": [group]}}
    with pytest.raises(ValidationError, match="material change"):
        services.rectify(c, user, explanation="Scope verduidelijkt", lots=scope)
    assert not lot.districts.exists()
    r = services.rectify(
        c, user, explanation="Scope verduidelijkt", lots=scope, deadlines={K.BIDS: _bids(c) + _minimum() * DAYS}
    )
    assert all(ch["material"] for ch in r.changes[:3])
    assert {ch["field"] for ch in r.changes} == {
        "deadline:bids",
        f"lot:{lot.pk}:description",
        f"lot:{lot.pk}:districts",
        f"lot:{lot.pk}:target_groups",
    }
    assert list(lot.districts.all()) == [district]
    other = District.objects.create(municipality=MunicipalityFactory(), cbs_code="WK999901", name="Elders")
    with pytest.raises(ValidationError):
        services.rectify(c, user, explanation="x", lots={lot.pk: {"districts": [other]}})


def test_criteria_and_budgets_are_fixed_once_the_bids_are_in(c, user):
    advance_to(c, user, Phase.EVALUATION)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.rectify(c, user, explanation="x", lots={c.lots.get().pk: {"annual_budget": 5}}, now=after(c, K.BIDS))


def test_rectification_extends_a_deadline_and_never_shortens_it(c, user):
    bids = _bids(c)
    with pytest.raises(ValidationError, match="only extend"):
        services.rectify(c, user, explanation="Eerder", deadlines={K.BIDS: bids - DAYS})
    assert not c.rectifications.exists()
    services.rectify(c, user, explanation="Later", deadlines={K.BIDS: bids + 7 * DAYS})
    assert c.rectifications.get().changes[0]["field"] == "deadline:bids"
    assert _bids(c) == bids + 7 * DAYS


def test_rectification_needs_an_explanation_and_a_positive_budget(c, user):
    with pytest.raises(ValidationError):
        services.rectify(c, user, explanation="  ")
    with pytest.raises(ValidationError):
        services.rectify(
            c,
            user,
            explanation="x",
            lots={c.lots.get().pk: {"annual_budget": 0}},
            deadlines={K.BIDS: _bids(c) + 30 * DAYS},
        )
    assert not c.rectifications.exists()
    assert c.lots.get().annual_budget == Decimal("1000000")


def test_rectification_of_a_draft_or_a_cancelled_procedure_is_refused(m, user, c):
    with pytest.raises(ValidationError, match="not been published"):
        services.rectify(draft(m, user), user, explanation="x")
    services.cancel(c, user, reason="Geen budget meer.")
    with pytest.raises(ValidationError, match="ended"):
        services.rectify(c, user, explanation="x")


def _rectified(c, user):
    lot, plan = c.lots.get(), c.criteria.order_by("position").first()
    together = c.criteria.order_by("position").last()
    services.rectify(
        c,
        user,
        explanation="Budget en weging aangepast",
        lots={lot.pk: {"annual_budget": Decimal("1250000")}},
        criteria={plan.pk: {"weight": 55}, together.pk: {"weight": 45}},
        deadlines={K.BIDS: _bids(c) + 14 * DAYS},
    )
    return lot, plan


def test_public_page_and_pdf_keep_the_previous_values_visible(client, m, c, user):
    _rectified(c, user)
    page = client.get(reverse("publication:detail", args=[m.cbs_code, c.pk])).content.decode()
    assert "gewijzigd bij rectificatie 1 (vast budget per jaar, was: € 1.000.000,00)" in page
    assert "gewijzigd bij rectificatie 1 (gewicht, was: 60%)" in page
    assert "gewijzigd bij rectificatie 1 (Termijn voor inschrijvingen, was:" in page
    pdf_html = render_to_string("publication/document_pdf.html", document_context(c))
    assert "gewijzigd bij rectificatie 1 (vast budget per jaar, was: € 1.000.000,00)" in pdf_html
    response = client.get(reverse("publication:document_pdf", args=[m.cbs_code, c.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.mark.skipif(not validation.schema_dir().exists(), reason="OCDS 1.1.5 schemas not available")
def test_tender_amendment_release_describes_the_change_and_validates(c, user):
    _rectified(c, user)
    releases = list(Release.objects.filter(commissioning=c).order_by("date", "id"))
    assert [r.tags for r in releases] == [["planning", "tender"], ["tenderAmendment"]]
    amendment = releases[1].data["tender"]["amendments"][0]
    assert amendment["releaseID"] == releases[1].release_id
    assert amendment["amendsReleaseID"] == releases[0].release_id
    assert "vast budget per jaar: € 1.000.000,00 → € 1.250.000,00" in amendment["description"]
    assert "Plan van aanpak: gewicht: 60% → 55%" in amendment["description"]
    assert releases[1].data["tender"]["lots"][0]["value"]["amount"] == 1250000.0 * 9
    assert validation.errors(ocds.release_package(releases, "/x")) == []


# --- the rectification form ---------------------------------------------------------------------------------------
def _form_data(c, **changes):
    form = RectificationForm(commissioning=c)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, "")
        data[f"rectify-{name}"] = field.widget.format_value(field.prepare_value(value)) if value != "" else ""
    data.update({f"rectify-{k}": v for k, v in changes.items()})
    return data


def test_officer_rectifies_budget_through_the_page_and_bad_input_is_a_400_in_dutch(client, m, c, user):
    lot = c.lots.get()
    url = reverse("tenders:rectify", args=[m.cbs_code, c.pk])
    login(client, user)
    bad = client.post(url, _form_data(c, explanation="Meer budget", **{f"lot_{lot.pk}": "1100000"}))
    assert bad.status_code == 400
    assert "materiële wijziging" in bad.content.decode()
    assert not c.rectifications.exists()
    later = timezone.localtime(_bids(c) + 20 * DAYS).strftime("%Y-%m-%dT%H:%M")
    ok = client.post(
        url, _form_data(c, explanation="Meer budget", **{f"lot_{lot.pk}": "1100000", "deadline_bids": later})
    )
    assert ok.status_code == 302
    assert c.rectifications.get().changes[0]["after"] == "€ 1.100.000,00"


def test_rectification_page_is_for_the_procurement_officer_only(client, m, c):
    url = reverse("tenders:rectify", args=[m.cbs_code, c.pk])
    for u in (user_with_role(Role.POLICY_ADVISOR, m), officer(MunicipalityFactory())):
        client.logout()
        login(client, u)
        assert client.post(url, _form_data(c, explanation="x")).status_code == 403
    client.logout()
    assert client.post(url, _form_data(c, explanation="x")).status_code == 302  # to the login
    assert not c.rectifications.exists()
