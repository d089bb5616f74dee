"""PDF footers (issue #9): `escapejs` inside CSS printed "CONCEPT-SECRET" as "CONCEPTu002DSECRET"; `css_string`
escapes for a CSS string, so the footer prints the title as typed and nothing can close the string or <style>."""

import shutil
import subprocess

import pytest

from core.templatetags.css import css_string


def test_css_string_keeps_hyphens_and_letters_and_escapes_what_could_break_out():
    assert css_string("CONCEPT-SECRET") == "CONCEPT-SECRET"
    assert css_string("Zorg & Welzijn") == "Zorg \\26  Welzijn"
    assert css_string('a"b\\c') == "a\\22 b\\5c c"
    assert css_string("</style><script>") == "\\3c /style\\3e \\3c script\\3e "
    assert css_string("regel\nregel") == "regel\\a regel"
    assert css_string("Café 's-Hertogenbosch") == "Café \\27 s-Hertogenbosch"


@pytest.mark.django_db
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_pdf_footer_prints_the_scenario_name_as_typed(tmp_path):
    from continuity import exports, selectors, services
    from continuity.models import Scenario
    from continuity.tests import landscape_fixture

    m, *_ = landscape_fixture.build()
    s = services.create_scenario(municipality=m, name='CONCEPT-SECRET "Zorg & Welzijn"', kind=Scenario.Kind.TENDER)
    services.store_impact(s, selectors.compute_impact(s))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(exports.pdf(Scenario.objects.get(pk=s.pk)))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603,S607
    assert 'CONCEPT-SECRET "Zorg & Welzijn"' in text
    assert "u002D" not in text
