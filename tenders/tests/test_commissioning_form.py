"""The commissioning form validates every field at once, in Dutch: impossible dates (a contract start or a deadline
in the past) and a term of 0 years are refused next to the field, never with a constraint name."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse

from core.formatting import percent
from core.testing import login
from tenders import forms
from tenders.models import Commissioning, Deadline
from tenders.views import _add_integrity_error

from .factories import draft

pytestmark = pytest.mark.django_db

# 10:00 in Amsterdam on a winter day; every "today" and "now" below is this moment.
NOW = dt.datetime(2027, 1, 12, 9, 0, tzinfo=dt.UTC)

VALID = {
    "title": "Samen Meedoen",
    "goals": "Iedereen doet mee.",
    "route": "open",
    "contract_start": "2028-01-01",
    "term_years": 5,
    "option_count": 4,
    "option_years": 1,
}


def _post_create(client, m, user, **changes):
    data = {**VALID, **changes}
    with time_machine.travel(NOW, tick=False):
        login(client, user)
        return client.post(reverse("tenders:create", args=[m.cbs_code]), data)


def test_form_shows_every_mistake_at_once_in_dutch(client, m, user):
    response = _post_create(client, m, user, title=" ", contract_start="2020-03-01", term_years=0, max_candidates=0)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"title", "contract_start", "term_years", "max_candidates"}
    page = response.content.decode()
    assert "Geef de opdracht een titel." in page
    assert "Het contract kan niet vandaag of in het verleden beginnen" in page
    assert "De initiële looptijd is ten minste één jaar." in page
    assert "commissioning_term_at_least_one_year" not in page
    assert not Commissioning.objects.exists()


def test_a_term_of_zero_years_never_shows_the_constraint_name(client, m, user):
    response = _post_create(client, m, user, term_years=0)
    assert response.status_code == 400
    assert "commissioning_" not in response.content.decode()
    assert list(response.context["form"].errors) == ["term_years"]


@pytest.mark.parametrize("start", ["2027-01-12", "2026-12-31", "2021-06-01"])
def test_a_contract_start_today_or_in_the_past_is_refused(start):
    with time_machine.travel(NOW, tick=False):
        form = forms.CommissioningForm({**VALID, "contract_start": start})
        assert not form.is_valid()
    assert list(form.errors) == ["contract_start"]


def test_a_contract_start_tomorrow_is_accepted():
    with time_machine.travel(NOW, tick=False):
        form = forms.CommissioningForm({**VALID, "contract_start": "2027-01-13"})
        assert form.is_valid(), form.errors


def test_an_unchanged_past_contract_start_does_not_block_editing_a_draft(m, user):
    c = draft(m, user)
    c.contract_start = dt.date(2026, 1, 1)
    c.save()
    data = {**VALID, "contract_start": "2026-01-01", "title": "Nieuwe titel"}
    form = forms.CommissioningForm(data, instance=c, now=NOW)
    assert form.is_valid(), form.errors


def test_term_rules_are_checked_by_the_form_together_with_the_other_fields():
    form = forms.CommissioningForm({**VALID, "option_count": 6, "goals": ""}, now=NOW)
    assert not form.is_valid()
    assert {"option_count", "goals"} <= set(form.errors)


@pytest.mark.parametrize("at", ["2027-01-12T09:59", "2021-03-01T12:00"])
def test_a_deadline_in_the_past_is_refused(at):
    form = forms.DeadlineForm({"deadline-kind": Deadline.Kind.BIDS, "deadline-at": at}, now=NOW)
    assert not form.is_valid()
    assert list(form.errors) == ["at"]


def test_a_deadline_in_the_past_is_a_400_in_dutch_and_nothing_is_saved(client, m, user):
    c = draft(m, user)
    with time_machine.travel(NOW, tick=False):
        login(client, user)
        response = client.post(
            reverse("tenders:deadline_set", args=[m.cbs_code, c.pk]),
            {"deadline-kind": Deadline.Kind.QUESTIONS, "deadline-at": "2021-03-01T12:00"},
        )
    assert response.status_code == 400
    assert "Een termijn kan niet in het verleden liggen" in response.content.decode()
    assert not c.deadlines.exists()


def test_a_deadline_in_the_future_is_accepted():
    form = forms.DeadlineForm({"deadline-kind": Deadline.Kind.BIDS, "deadline-at": "2027-01-12T10:01"}, now=NOW)
    assert form.is_valid(), form.errors


def test_an_integrity_error_from_the_service_becomes_a_field_error_without_the_constraint_name():
    form = forms.CommissioningForm(VALID, now=NOW)
    assert form.is_valid()
    _add_integrity_error(
        form, IntegrityError('new row violates check constraint "commissioning_term_at_least_one_year"')
    )
    assert "term_years" in form.errors
    assert "commissioning_" not in str(form.errors)


@pytest.mark.parametrize(
    ("value", "shown"), [(Decimal("90.00"), "90%"), (Decimal("12.50"), "12,5%"), (Decimal("33.33"), "33,33%")]
)
def test_weights_show_without_trailing_zeros(value, shown):
    from django.utils import translation

    with translation.override("nl"):
        assert percent(value) == shown
