import json

import pytest
from django.core.management import CommandError, call_command

from continuity import services
from continuity.models import Outcome, Scenario

from . import landscape_fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario():
    m, org, act, _ = landscape_fixture.build()
    s = services.create_scenario(municipality=m, name="Drie percelen", kind=Scenario.Kind.TENDER)
    services.set_moves(s, [(act["a1"].pk, Outcome.TRANSFERS, "L1", "X")])
    return s


@pytest.mark.parametrize("fmt, magic", [("pdf", b"%PDF"), ("xlsx", b"PK")])
def test_continuity_report_writes_pdf_and_xlsx(scenario, tmp_path, fmt, magic):
    out = tmp_path / f"r.{fmt}"
    call_command("continuity_report", municipality="GM9001", scenario="Drie percelen", format=fmt, out=str(out))
    assert out.read_bytes().startswith(magic)


def test_continuity_report_json_computes_the_impact_when_missing(scenario, tmp_path):
    out = tmp_path / "r.json"
    call_command("continuity_report", municipality="GM9001", scenario="Drie percelen", format="json", out=str(out))
    assert json.loads(out.read_text())["impact"]["totals"]["funding_lost"] == 135000  # a1 moves, everything else ends


def test_unknown_scenario_names_the_available_ones(scenario, tmp_path):
    with pytest.raises(CommandError, match="Drie percelen"):
        call_command(
            "continuity_report", municipality="GM9001", scenario="Nope", format="json", out=str(tmp_path / "x")
        )
