"""The districts table marks a target group without any activity in a district as a gap, visibly and for screen
readers, instead of a plain 0."""

import re

import pytest
from django.urls import reverse

from core.testing import MunicipalityFactory
from landscape.models import TargetGroup

from .factories import ActivityFactory, DistrictFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_a_target_group_without_activity_is_shown_as_a_gap_not_a_zero(client):
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    north = DistrictFactory(municipality=m, cbs_code="WK054601", name="Stevenshof")
    org = OrganisationFactory(municipality=m)
    ActivityFactory(organisation=org, districts=[north], target_groups=["youth"])
    response = client.get(reverse("landscape:district_table", args=[m.cbs_code]))
    html = response.content.decode()
    table = html[html.index('class="utrecht-table ww-coverage"') :]
    cells = re.findall(r"<td [^>]*>(.*?)</td>", table)
    groups = TargetGroup.objects.count()
    assert len(cells) == groups
    gaps = [c for c in cells if "ww-gap" in c]
    assert len(gaps) == groups - 1
    assert all('aria-hidden="true">gat<' in c and "geen activiteit: mogelijk een gat" in c for c in gaps)
    assert [c for c in cells if "ww-gap" not in c] == ["1"]
    assert f"{groups - 1} gaten" in table
    assert ">0<" not in table
