"""Every guard of commissioning design, with the bad input it rejects (nothing is written when a guard fails)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from core.models import PurchasingOrganisation
from core.testing import MunicipalityFactory
from landscape.models import Activity, District, Organisation
from tenders import rules, services
from tenders.models import Commissioning, Deadline, LibraryCriterion, Lot, Route, ServiceCategory

from .factories import anchors, complete, draft, published

pytestmark = pytest.mark.django_db
K = Deadline.Kind


def test_criterion_weights_must_sum_to_100_percent(m, user):
    c = draft(m, user)
    services.add_criterion(c, user, title="Plan", weight=60, anchors=anchors())
    services.add_criterion(c, user, title="Samenwerking", weight=30, anchors=anchors())
    assert "add up to 90%, not 100%." in " ".join(rules.criteria_errors(c))  # issue 10: "90%", not "90.00%"
    services.add_criterion(c, user, title="Preventie", weight=10, anchors=anchors())
    assert rules.criteria_errors(c) == []


def test_sub_criteria_must_sum_to_100_percent_of_their_parent(m, user):
    c = draft(m, user)
    parent = services.add_criterion(c, user, title="Kwaliteit", weight=100, anchors={})
    services.add_criterion(c, user, title="A", weight=50, anchors=anchors(), parent=parent)
    services.add_criterion(c, user, title="B", weight=40, anchors=anchors(), parent=parent)
    assert any("sub-criteria of “Kwaliteit”" in e for e in rules.criteria_errors(c))


def test_every_score_level_needs_a_written_anchor(m, user):
    c = draft(m, user)
    services.add_criterion(c, user, title="Plan", weight=100, anchors={0: "Niets", 50: "Iets", 100: "Alles"})
    assert any("no anchor for score 25, 75" in e for e in rules.criteria_errors(c))


def test_blank_anchor_text_does_not_count_as_an_anchor(m, user):
    c = draft(m, user)
    services.add_criterion(c, user, title="Plan", weight=100, anchors=anchors() | {75: "   "})
    assert any("no anchor for score 75" in e for e in rules.criteria_errors(c))


def test_anchor_for_a_score_off_the_scale_is_rejected(m, user):
    c = draft(m, user)
    with pytest.raises(ValidationError, match="not on the scale"):
        services.add_criterion(c, user, title="Plan", weight=100, anchors={33: "Een derde"})
    assert not c.criteria.exists()


@pytest.mark.parametrize("weight", [0, -5, 101, None])
def test_weight_must_be_between_0_and_100(m, user, weight):
    c = draft(m, user)
    with pytest.raises(ValidationError):
        services.add_criterion(c, user, title="Plan", weight=weight, anchors=anchors())


@pytest.mark.parametrize("scale", [[0, 50], [25, 50, 100], [0, 75, 50, 100], [0, 100, 100]])
def test_scale_must_run_from_0_to_100_in_increasing_levels(m, user, scale):
    if scale == [0, 50]:
        assert rules.scale_errors(scale)
        return
    with pytest.raises(ValidationError):
        draft(m, user, scale=scale)


@pytest.mark.parametrize("budget", [Decimal("0"), Decimal("-1"), None])
def test_lot_budget_must_be_positive(m, user, budget):
    c = draft(m, user)
    with pytest.raises(ValidationError, match="more than € 0"):
        services.save_lot(c, user, title="Perceel", annual_budget=budget)
    assert not Lot.objects.exists()


@pytest.mark.parametrize(
    ("term", "count", "years", "field"),
    [(0, 0, 1, "term_years"), (7, 0, 1, "term_years"), (5, 6, 1, "option_count"), (2, 1, 3, "option_years")],
)
def test_options_cannot_exceed_the_term_rules(m, user, term, count, years, field):
    with pytest.raises(ValidationError) as exc:
        draft(m, user, term_years=term, option_count=count, option_years=years)
    assert field in exc.value.message_dict
    assert not Commissioning.objects.exists()


def test_five_plus_four_times_one_year_is_allowed(m, user):
    c = draft(m, user, term_years=5, option_count=4, option_years=1)
    assert c.total_years == 9


def test_reserved_budget_line_must_be_positive(m, user):
    c = draft(m, user)
    with pytest.raises(ValidationError):
        services.add_reserved_line(c, user, kind="transition", description="Transitiebudget", annual_amount=0)
    line = services.add_reserved_line(
        c, user, kind="self_organisations", description="Zelforganisaties", annual_amount=Decimal("300000")
    )
    assert line.total == Decimal("300000")


def test_lot_scope_must_come_from_the_commissionings_own_municipality(m, user):
    other = MunicipalityFactory()
    org = Organisation.objects.create(municipality=other, name="Elders", kind="volunteer_only")
    activity = Activity.objects.create(organisation=org, title="Koffie-inloop")
    district = District.objects.create(municipality=other, cbs_code="WK999901", name="Elders-Noord")
    c = draft(m, user)
    with pytest.raises(ValidationError):
        services.save_lot(c, user, title="Perceel", annual_budget=1000, activities=[activity])
    with pytest.raises(ValidationError):
        services.save_lot(c, user, title="Perceel", annual_budget=1000, districts=[district])


def test_publishing_lists_everything_missing_and_writes_nothing(m, user):
    c = draft(m, user)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.publish(c, user)
    text = " ".join(exc.value.messages)
    assert "Add at least one lot" in text
    assert "Add at least one award criterion" in text
    assert "deadline for questions" in text
    c.refresh_from_db()
    assert not c.is_published and AuditEvent.objects.count() == events


def test_deadlines_must_be_in_chronological_order(m, user):
    c = complete(draft(m, user), user)
    services.set_deadline(c, user, K.QUESTIONS, c.deadlines.get(kind=K.BIDS).at + timedelta(days=1))
    assert any("must come before" in e for e in rules.publish_errors(c))


def test_cannot_publish_when_the_first_deadline_has_passed_by_the_server_clock(m, user):
    c = complete(draft(m, user), user)
    later = c.deadlines.get(kind=K.QUESTIONS).at + timedelta(seconds=1)
    with pytest.raises(ValidationError, match="already passed"):
        services.publish(c, user, now=later)


def test_preselection_needs_selection_criteria_and_a_maximum(m, user):
    c = complete(draft(m, user, route=Route.PRESELECTION, selection_criteria="", max_candidates=None), user)
    errors = " ".join(rules.publish_errors(c))
    assert "selection criteria" in errors and "maximum number of candidates" in errors


def test_grant_round_budgets_must_fit_the_subsidy_ceiling_awb_4_22(m, user):
    c = complete(draft(m, user, route=Route.GRANT_ROUND, grant_ceiling=Decimal("999999")), user)
    assert any("exceed the subsidy ceiling per year" in e for e in rules.publish_errors(c))


def test_a_published_commissioning_cannot_be_changed_except_by_rectification(m, user):
    c = published(m, user=user)
    lot = c.lots.get()
    attempts = [
        lambda: services.update_commissioning(c, user, title="Anders"),
        lambda: services.save_lot(c, user, lot=lot, title="Anders", annual_budget=5),
        lambda: services.save_lot(c, user, title="Nieuw", annual_budget=5),
        lambda: services.delete_lot(lot, user),
        lambda: services.add_criterion(c, user, title="Nieuw", weight=10, anchors={}),
        lambda: services.delete_criterion(c.criteria.first(), user),
        lambda: services.set_deadline(c, user, K.BIDS, timezone.now() + timedelta(days=99)),
        lambda: services.add_reserved_line(c, user, kind="other", description="x", annual_amount=1),
        lambda: services.set_anchor(c.criteria.first(), user, 0, "Anders"),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="published rectification"):
            attempt()
    c.refresh_from_db()
    assert c.title == "Samen Opgroeien" and c.lots.get().title == "Perceel 1"


def test_library_criterion_copies_its_anchors(m, user):
    c = draft(m, user)
    item = LibraryCriterion.objects.get(code="subcontracting-small-organisations")
    criterion = services.add_library_criterion(c, user, item, 40)
    assert criterion.anchors.count() == 5 and criterion.library_item == item
    assert set(LibraryCriterion.objects.values_list("code", flat=True)) >= {
        "subcontracting-small-organisations",
        "continuity-volunteers-staff",
        "cooperation-district-teams",
        "prevention",
    }


def test_commissioning_belongs_to_a_municipality_or_a_purchasing_organisation(m, user):
    po = PurchasingOrganisation.objects.create(name="Holland Rijnland")
    with pytest.raises(ValidationError):
        services.create_commissioning(
            user, municipality=m, purchasing_organisation=po, title="x", goals="y", route="open"
        )
    with pytest.raises(ValidationError):
        services.create_commissioning(user, title="x", goals="y", route="open")


# --- threshold check: thresholds are dated data -------------------------------------------------------------------
def test_social_services_at_750000_fall_under_the_light_regime_aw_2_38(m, user):
    c = draft(m, user, term_years=1, option_count=0)
    services.save_lot(c, user, title="P", annual_budget=Decimal("750000"))
    check = rules.check_threshold(c, date(2026, 6, 1))
    assert check.regime == rules.REGIME_LIGHT and check.above and check.threshold.amount == Decimal("750000")


def test_estimated_value_includes_every_option_aw_2_15(m, user):
    c = draft(m, user, term_years=5, option_count=4, option_years=1)
    services.save_lot(c, user, title="P", annual_budget=Decimal("100000"))
    assert rules.estimated_value(c) == Decimal("900000")
    assert rules.check_threshold(c, date(2026, 6, 1)).regime == rules.REGIME_LIGHT


def test_just_below_the_social_threshold_is_national(m, user):
    c = draft(m, user, term_years=1, option_count=0)
    services.save_lot(c, user, title="P", annual_budget=Decimal("749999.99"))
    assert rules.check_threshold(c, date(2026, 6, 1)).regime == rules.REGIME_NATIONAL


def test_general_services_threshold_depends_on_the_date(m, user):
    c = draft(m, user, term_years=1, option_count=0, service_category=ServiceCategory.GENERAL)
    services.save_lot(c, user, title="P", annual_budget=Decimal("218000"))
    assert rules.check_threshold(c, date(2025, 6, 1)).regime == rules.REGIME_NATIONAL  # 221,000 in 2024–2025
    assert rules.check_threshold(c, date(2026, 6, 1)).regime == rules.REGIME_EUROPEAN  # 216,000 from 2026


def test_grant_round_has_no_procurement_threshold(m, user):
    c = draft(m, user, route=Route.GRANT_ROUND)
    assert rules.check_threshold(c, date(2026, 6, 1)).regime == rules.REGIME_GRANT
