"""The CPV check digit (issue 13): computed from the eight digits with the weights 3, 7, 1, 3, 7, 1, 3, 7 modulo 10;
every shipped code carries the right one, and a code with a wrong one is refused with a Dutch message."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tenders import cpv_data
from tenders.cpv_data import ANNEX_XIV, CODES, check_digit, cpv_code_errors, is_valid_cpv
from tenders.models import CPVCode


def _annex_codes():
    for _heading, entries in ANNEX_XIV:
        for entry in entries:
            yield from entry if isinstance(entry, tuple) else [entry]


def test_check_digit_of_published_codes_regulation_213_2008():
    assert check_digit("85310000") == 5  # Social work services
    assert check_digit("55521100") == 9  # Meals-on-wheels services
    assert check_digit("75200000") == 8  # Provision of services to the community
    assert check_digit("72000000") == 5
    assert check_digit("00000000") == 0


def test_check_digit_needs_eight_digits():
    for wrong in ("8531000", "853100000", "8531000a", ""):
        with pytest.raises(ValueError):
            check_digit(wrong)


def test_known_good_and_bad_codes_regulation_213_2008():
    assert is_valid_cpv("85310000-5") and is_valid_cpv("98133110-8") and is_valid_cpv("64122000-7")
    assert not is_valid_cpv("85310000-6")  # wrong check digit
    assert not is_valid_cpv("55521100-0")
    assert (
        not is_valid_cpv("85310000")
        and not is_valid_cpv("8531000-5")
        and not is_valid_cpv("")
        and not (is_valid_cpv("85310000-55"))
    )


def test_every_shipped_code_has_a_correct_check_digit_regulation_213_2008():
    shipped = [code for code, _nl, _en in CODES] + list(_annex_codes())
    assert len(shipped) >= 90
    assert [code for code in shipped if not is_valid_cpv(code)] == []


def test_a_wrong_check_digit_is_refused_in_dutch_regulation_213_2008():
    with translation.override("nl"):
        assert cpv_code_errors("85310000-6") == [
            "85310000-6 heeft een onjuist controlecijfer: het controlecijfer van 85310000 is 5."
        ]
        assert "geen CPV-code" in cpv_code_errors("8531000-5")[0]
    assert cpv_code_errors("85310000-5") == []


@pytest.mark.django_db
def test_the_seed_refuses_a_code_with_a_wrong_check_digit_regulation_213_2008(monkeypatch):
    from django.apps import apps

    monkeypatch.setattr(cpv_data, "CODES", [*CODES, ("85310099-1", "Fout", "Wrong")])
    with translation.override("nl"), pytest.raises(ValueError, match="onjuist controlecijfer"):
        cpv_data.seed_cpv(apps)
    assert not CPVCode.objects.filter(code="85310099-1").exists()


@pytest.mark.django_db
def test_a_cpv_row_with_a_wrong_check_digit_does_not_validate():
    with translation.override("nl"), pytest.raises(ValidationError) as exc:
        CPVCode(code="85310000-6", description_nl="x", description_en="x").full_clean()
    assert "onjuist controlecijfer" in str(exc.value)
    CPVCode(code="85310099-5", description_nl="x", description_en="x").full_clean()
