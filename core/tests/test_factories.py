"""The test factories make valid rows however long the run: a CBS code is six characters (GM + 4 digits), and one
xdist worker makes more than a thousand municipalities over the whole suite (PostgreSQL refused GM10000)."""

from core.testing import MunicipalityFactory


def test_municipality_codes_stay_six_characters_however_many_a_worker_makes():
    start = MunicipalityFactory._meta.next_sequence()
    try:
        for n in (0, 999, 1000, 1234, 25_000):
            MunicipalityFactory.reset_sequence(n)
            code = MunicipalityFactory.build().cbs_code
            assert len(code) == 6 and code.startswith("GM9"), code
    finally:
        MunicipalityFactory.reset_sequence(start)
