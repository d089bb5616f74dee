"""The public pages read in a fixed number of queries: a landscape ten times larger costs no extra query (measured with
the page cache cold, so the rendering itself is checked for N+1)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import page_cache
from core.testing import MunicipalityFactory
from landscape.tests.factories import ActivityFactory, DistrictFactory, FundingFactory, OrganisationFactory
from tenders import rules
from tenders import services as tender_services
from tenders.tests.factories import anchors, complete, dispatch_notice, draft, officer

pytestmark = pytest.mark.django_db


def grow_landscape(m, districts, start, count):
    for i in range(start, start + count):
        org = OrganisationFactory(municipality=m, name=f"Organisatie {m.pk}-{i}")
        for j in range(2):
            activity = ActivityFactory(organisation=org, districts=districts[: 1 + j], target_groups=["youth"])
            FundingFactory(organisation=org, activity=activity, year=2025, amount_granted=Decimal("1000"))


def cold_queries(client, path) -> int:
    page_cache.store.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries.captured_queries)


PAGES = {
    "overview": lambda code: reverse("landscape:overview", args=[code]),
    "organisation list": lambda code: reverse("landscape:organisation_list", args=[code]),
    "activity list": lambda code: reverse("landscape:activity_list", args=[code]),
    "district table": lambda code: reverse("landscape:district_table", args=[code]),
    "api organisations": lambda code: f"/api/v1/organisations?municipality={code}",
    "api organisations (all)": lambda code: "/api/v1/organisations",
    "api activities": lambda code: f"/api/v1/activities?municipality={code}",
    "api fundings": lambda code: f"/api/v1/fundings?municipality={code}",
}


@pytest.mark.parametrize("page", PAGES)
def test_landscape_pages_and_api_do_not_grow_tenfold(client, page, django_assert_max_num_queries):
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    districts = [DistrictFactory(municipality=m) for _ in range(3)]
    grow_landscape(m, districts, 0, 2)
    small = cold_queries(client, PAGES[page](m.cbs_code))
    grow_landscape(m, districts, 2, 18)  # 2 -> 20 organisations, 4 -> 40 activities and grants
    page_cache.store.clear()
    with django_assert_max_num_queries(small):
        assert client.get(PAGES[page](m.cbs_code)).status_code == 200


def test_the_public_commissioning_does_not_grow_tenfold(client, django_assert_max_num_queries):
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    user = officer(m)
    small_c = complete(draft(m, user), user)
    tender_services.publish(small_c, user)
    large_c = draft(m, user, title="Groot")  # ten lots and ten criteria instead of one and two
    for i in range(10):
        tender_services.save_lot(large_c, user, title=f"Perceel {i + 1}", annual_budget=Decimal("100000"))
        tender_services.add_criterion(large_c, user, title=f"Criterium {i}", weight=10, anchors=anchors(large_c.scale))
    for i, kind in enumerate(rules.REQUIRED_DEADLINES[large_c.route], start=1):
        tender_services.set_deadline(large_c, user, kind, timezone.now() + timedelta(days=10 * i))
    dispatch_notice(large_c, user)  # the light regime: the notice goes out first (Directive art. 52)
    tender_services.publish(large_c, user)
    small = cold_queries(client, reverse("publication:detail", args=[m.cbs_code, small_c.pk]))
    page_cache.store.clear()
    with django_assert_max_num_queries(small):
        assert client.get(reverse("publication:detail", args=[m.cbs_code, large_c.pk])).status_code == 200
    page_cache.store.clear()
    with django_assert_max_num_queries(small):
        assert client.get(reverse("publication:list", args=[m.cbs_code])).status_code == 200
