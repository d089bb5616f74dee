"""The demo's scenarios reconcile with the Leiden and Haarlem lot budgets, and the council report of Leiden's 3-lot
scenario prints the page's charts (rendered on the server from the same Vega-Lite specifications)."""

import io
import subprocess

import numpy as np
import pytest
from PIL import Image

from continuity import demo, exports
from continuity.models import Scenario
from core import demo as core_demo
from landscape import demo as landscape_demo
from tenders import demo as tenders_demo
from tenders import selectors as tender_selectors
from tenders.models import Commissioning

pytestmark = pytest.mark.django_db

# Vega-Lite's default colours (category10 "tableau10"): the marks of every chart use them, the text does not.
VEGA_COLOURS = np.array([(0x4C, 0x78, 0xA8), (0xF5, 0x85, 0x18), (0xE4, 0x57, 0x56), (0x72, 0xB7, 0xB2)])


@pytest.fixture
def loaded():
    out = io.StringIO()
    core_demo.load(out)
    landscape_demo.load(out)
    tenders_demo.load(out)
    demo.load(out)
    return out.getvalue()


def _reconciles(scenario, commissioning):
    lots = {lot["name"]: lot for lot in scenario.impact["lots"] if lot["name"]}
    scope = tender_selectors.lot_scope(commissioning)
    assert len(lots) == len(scope["lots"])
    claimed = set()
    for row in scope["lots"]:
        lot = lots[f"{row['lot'].number}. {row['lot'].title}"]
        assert lot["budget"] == float(row["lot"].annual_budget)
        if not claimed & {a.pk for a in row["activities"]}:
            assert lot["grants_in_scope"] == pytest.approx(float(row["grants"]), abs=0.005)
        claimed |= {a.pk for a in row["activities"]}
        assert lot["municipality_stops"] - lot["municipality_adds"] == pytest.approx(
            lot["grants_in_scope"] - lot["budget"], abs=0.01
        )
    t = scenario.impact["totals"]
    assert t["lot_budgets"] == pytest.approx(sum(float(r["lot"].annual_budget) for r in scope["lots"]), abs=0.01)
    money = t["funding_kept"] + t["funding_subcontracted"] + t["funding_to_winners"] + t["funding_ended"]
    assert money == pytest.approx(t["grant_before"], abs=0.05)


def test_demo_scenarios_reconcile_with_the_leiden_and_haarlem_lot_budgets_and_the_report_prints_charts(
    loaded, tmp_path
):
    leiden = Commissioning.objects.get(municipality__cbs_code="GM0546")
    haarlem = Commissioning.objects.get(municipality__cbs_code="GM0392")
    tender = Scenario.objects.get(municipality__cbs_code="GM0546", name="Aanbesteding in 3 percelen")
    _reconciles(tender, leiden)
    _reconciles(Scenario.objects.get(municipality__cbs_code="GM0546", kind="tender_subcontracting"), leiden)
    _reconciles(Scenario.objects.get(municipality__cbs_code="GM0392", name="Gewoon in de Wijk"), haarlem)
    sub = Scenario.objects.get(municipality__cbs_code="GM0546", kind="tender_subcontracting")
    subcontracted = sum(lot["subcontracting"] for lot in sub.impact["lots"])
    assert subcontracted == pytest.approx(0.15 * sub.impact["totals"]["lot_budgets"], rel=0.01) or (
        subcontracted <= 0.15 * sub.impact["totals"]["lot_budgets"]
    )
    assert all(m.winner.startswith("Winnaar perceel") for m in tender.moves.all())  # the assumption, marked

    pdf = tmp_path / "raadsrapport.pdf"
    pdf.write_bytes(exports.pdf(tender))
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 2
    assert _charts(pages) >= 2
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Hoe u dit rapport leest" in text and "docs/" not in text


def _charts(pages) -> int:
    """Charts on the rendered pages: bands of rows with Vega's mark colours, separated by rows without them."""
    count = 0
    for page in pages:
        pixels = np.asarray(Image.open(page).convert("RGB"), dtype=int)
        distance = np.abs(pixels[:, :, None, :] - VEGA_COLOURS[None, None, :, :]).sum(axis=3).min(axis=2)
        rows = (distance < 30).sum(axis=1) >= 3
        band, gap = False, 0
        for coloured in rows:
            if coloured and not band:
                count, band, gap = count + 1, True, 0
            elif not coloured and band:
                gap += 1
                if gap > 25:
                    band = False
            elif coloured:
                gap = 0
    return count
