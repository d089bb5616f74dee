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


# Every code from 85000000-9 to 85323000-9 as the EU Publications Office lists them in the eForms business rule
# BR-0075 (the reserved contracts of Directive art. 77, a part of Annex XIV): official codes, so none may be refused.
_BR_0075_RANGE_TEXT = """
85000000-9 85100000-0 85110000-3 85111000-0 85111100-1 85111200-2 85111300-3 85111310-6 85111320-9
85111400-4 85111500-5 85111600-6 85111700-7 85111800-8 85111810-1 85111820-4 85111900-9 85112000-7 85112100-8
85112200-9 85120000-6 85121000-3 85121100-4 85121200-5 85121210-8 85121220-1 85121230-4 85121231-1 85121232-8
85121240-7 85121250-0 85121251-7 85121252-4 85121270-6 85121271-3 85121280-9 85121281-6 85121282-3 85121283-0
85121290-2 85121291-9 85121292-6 85121300-6 85130000-9 85131000-6 85131100-7 85131110-0 85140000-2 85141000-9
85141100-0 85141200-1 85141210-4 85141211-1 85141220-7 85142000-6 85142100-7 85142200-8 85142300-9 85142400-0
85143000-3 85144000-0 85144100-1 85145000-7 85146000-4 85146100-5 85146200-6 85147000-1 85148000-8 85149000-5
85150000-5 85160000-8 85170000-1 85171000-8 85172000-5 85200000-1 85210000-3 85300000-2 85310000-5 85311000-2
85311100-3 85311200-4 85311300-5 85312000-9 85312100-0 85312110-3 85312120-6 85312200-1 85312300-2 85312310-5
85312320-8 85312330-1 85312400-3 85312500-4 85312510-7 85320000-8 85321000-5 85322000-2 85323000-9"""
BR_0075_RANGE = _BR_0075_RANGE_TEXT.split()


def test_the_official_code_85210000_3_is_not_refused_regulation_213_2008():
    """The weighting gives 4 for 85210000, the Publications Office writes 85210000-3 (Domestic animal nurseries):
    the official code is accepted, within Annex XIV, and the code with the computed digit is refused."""
    assert cpv_code_errors("85210000-3") == [] and is_valid_cpv("85210000-3")
    assert not is_valid_cpv("85210000-4")
    assert cpv_data.in_annex_xiv("85210000-3")


def test_every_official_code_of_the_annex_range_85_passes_the_check_regulation_213_2008():
    assert len(BR_0075_RANGE) == 98
    assert [code for code in BR_0075_RANGE if not is_valid_cpv(code)] == []
    assert all(cpv_data.in_annex_xiv(code) for code in BR_0075_RANGE)
