"""Annex XIV of Directive 2014/24/EU shipped as data (issue 13): every code and range end of the Annex is a CPV row,
flagged social; a lot can choose e.g. meals-on-wheels (55521100-9) and the regime follows."""

from datetime import date
from decimal import Decimal

import pytest

from core.testing import MunicipalityFactory
from tenders import regime, rules, services
from tenders.cpv_data import ANNEX_XIV, in_annex_xiv
from tenders.forms import LotForm
from tenders.models import CPVCode

from .factories import GENERAL_CPV, cpv, draft, officer

pytestmark = pytest.mark.django_db
JUNE_2026 = date(2026, 6, 1)
MEALS_ON_WHEELS = "55521100-9"


def test_annex_xiv_has_all_its_headings_directive_annex_xiv():
    headings = [heading for heading, _entries in ANNEX_XIV]
    assert len(headings) == 15
    assert "Religious services" in headings and "Postal services" in headings and "Benefit services" in headings


def test_every_annex_code_and_range_end_is_a_social_row_directive_annex_xiv():
    social = set(CPVCode.objects.filter(annex_xiv=True).values_list("code", flat=True))
    for _heading, entries in ANNEX_XIV:
        for entry in entries:
            for code in entry if isinstance(entry, tuple) else [entry]:
                assert code in social, code
    assert len(social) >= 125


def test_codes_inside_and_outside_the_ranges_directive_annex_xiv():
    assert CPVCode.objects.get(code="85311000-2").annex_xiv  # within 85000000-9 to 85323000-9
    assert CPVCode.objects.get(code=MEALS_ON_WHEELS).annex_xiv  # within 55521000-8 to 55521200-0
    assert not CPVCode.objects.get(code="72000000-5").annex_xiv  # IT services
    assert in_annex_xiv("75110000-0")  # General public services: within 75100000-7 to 75120000-3
    assert in_annex_xiv("75250000-3")  # Fire-brigade and rescue services: within 75240000-0 to 75252000-7
    assert not in_annex_xiv("98510000-1")  # the Annex lists 98500000-8 and 98513000-2 to 98514000-9, not between
    assert not in_annex_xiv("75232000-1")  # after 75231000-4 and outside the prison ranges
    assert not in_annex_xiv("64200000-8")  # telecommunications services: only the listed postal codes
    assert not in_annex_xiv("55600000-6") and not in_annex_xiv("55000000-0")  # outside the hotel ranges


def test_meals_on_wheels_lot_is_the_light_regime_aw_2_38():
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    user = officer(m)
    c = draft(m, user, term_years=1, option_count=0, main_cpv=cpv(GENERAL_CPV))
    form = LotForm(
        data={"lot-title": "Maaltijden", "lot-annual_budget": "800000", "lot-main_cpv": cpv(MEALS_ON_WHEELS).pk},
        commissioning=c,
    )
    assert form.is_valid(), form.errors
    services.save_lot(
        c,
        user,
        title=form.cleaned_data["title"],
        annual_budget=form.cleaned_data["annual_budget"],
        main_cpv=form.cleaned_data["main_cpv"],
    )
    assert c.lots.get().main_cpv.code == MEALS_ON_WHEELS
    assert regime.social_services(c) is True  # the only lot, and it is meals-on-wheels
    check = rules.check_threshold(c, JUNE_2026)
    assert check.regime == rules.REGIME_LIGHT and check.threshold.amount == Decimal("750000")
    services.save_lot(c, user, title="Advies", annual_budget=Decimal("900000"))  # the general code weighs more
    assert regime.social_services(c) is False
