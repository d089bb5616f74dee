"""The tenders demo: Leiden's published 3-lot commissioning and Haarlem's competitive dialogue in phase 2."""

import io

import pytest

from core import demo as core_demo
from landscape import demo as landscape_demo
from publication import ocds, validation
from publication.models import Release
from tenders import demo, regime, rules
from tenders.models import Commissioning, Phase, Route

pytestmark = pytest.mark.django_db


def test_demo_skips_with_a_message_when_the_municipalities_are_missing():
    out = io.StringIO()
    demo.load(out)
    assert "GM0546 is missing" in out.getvalue() and "GM0392 is missing" in out.getvalue()
    assert not Commissioning.objects.exists()


def test_demo_loads_leiden_and_haarlem_idempotently(client):
    out = io.StringIO()
    core_demo.load(out)
    landscape_demo.load(out)
    demo.load(out)
    leiden = Commissioning.objects.get(municipality__cbs_code="GM0546")
    assert leiden.is_published and leiden.route == Route.OPEN and leiden.phase == Phase.TENDERING
    assert [lot.title for lot in leiden.lots.all()] == ["Samen Opgroeien", "Samen Meedoen", "Basiskracht"]
    assert (leiden.term_years, leiden.option_count, leiden.option_years) == (5, 4, 1)
    assert all(lot.annual_budget > 0 for lot in leiden.lots.all())
    assert all(2 <= lot.kpis.count() <= 3 for lot in leiden.lots.all())  # KPIs per lot, published with the tender
    haarlem = Commissioning.objects.get(municipality__cbs_code="GM0392")
    assert haarlem.route == Route.COMPETITIVE_DIALOGUE and haarlem.phase == Phase.DIALOGUE_2
    assert haarlem.candidates.filter(selected_for_phase_2=True).count() == 2
    assert haarlem.clarifications.count() == 2 and haarlem.questions.filter(number__isnull=False).count() == 3
    assert haarlem.info_sessions.exists()
    releases = Release.objects.count()
    demo.load(out)
    assert Commissioning.objects.count() == 2 and Release.objects.count() == releases
    for c in (leiden, haarlem):
        package = ocds.release_package(Release.objects.filter(commissioning=c), "/x")
        if validation.schema_dir().exists():
            assert validation.errors(package) == []
        page = client.get(f"/gemeenten/{c.municipality.cbs_code}/opdrachten/{c.pk}")
        assert page.status_code == 200 and "Verlicht regime" in page.content.decode()
        # CPV codes of Annex XIV, the light regime, and the notice dispatched before the publication (art. 52)
        assert c.main_cpv.annex_xiv and c.additional_cpv.exists()
        assert rules.check_threshold(c, regime.regime_date(c)).regime == rules.REGIME_LIGHT
        assert c.notice_dispatched_at < c.published_at and c.tenderned_notice_id and c.ted_notice_id
        # published here only after TED published the notice (Directive art. 52(1))
        assert c.notice_dispatched_at < c.notice_receipt_confirmed_at < c.notice_published_at < c.published_at
        release = package["releases"][0]
        assert release["tender"]["items"][0]["classification"]["id"] == c.main_cpv.code
        assert release["parties"][0]["address"]["locality"] == c.municipality.name
    assert [lot.main_cpv and lot.main_cpv.code for lot in leiden.lots.all()] == [None, None, "85312320-8"]
