"""The public organisation list sorts by column on the server (accessible headers with aria-sort) and downloads as
XLSX or CSV with the same filters and order: Dutch headings and labels, whole volunteers, formulas neutralised."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.testing import MunicipalityFactory
from landscape.exports import safe_cell
from landscape.models import Organisation

from .factories import ActivityFactory, FundingFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leiden():
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    big = OrganisationFactory(municipality=m, name="Welzijn Zuid", kind=Organisation.Kind.LARGE_WELFARE, volunteers=90)
    small = OrganisationFactory(
        municipality=m, name="Aan Tafel", kind=Organisation.Kind.VOLUNTEER_ONLY, volunteers=12, paid_staff_fte=0
    )
    odd = OrganisationFactory(
        municipality=m, name='=HYPERLINK("http://x")', kind=Organisation.Kind.SOCIAL_ENTERPRISE, volunteers=40
    )
    ActivityFactory(organisation=big, reach=300)
    ActivityFactory(organisation=small, reach=40)
    FundingFactory(organisation=big, year=2025, amount_granted=Decimal("125000"))
    FundingFactory(organisation=small, year=2025, amount_granted=Decimal("4200"))
    OrganisationFactory(name="Elders", volunteers=999)  # another municipality: never listed
    return m, big, small, odd


def _names(response):
    return [o.name for o in response.context["page"]]


def _url(m, **params):
    return reverse("landscape:organisation_list", args=[m.cbs_code]), params


def test_organisations_sort_by_a_column_on_the_server(client, leiden):
    m, big, small, odd = leiden
    url = reverse("landscape:organisation_list", args=[m.cbs_code])
    assert _names(client.get(url, {"sorteer": "-vrijwilligers"})) == [big.name, odd.name, small.name]
    assert _names(client.get(url, {"sorteer": "vrijwilligers"})) == [small.name, odd.name, big.name]
    assert _names(client.get(url, {"sorteer": "-subsidie"}))[:2] == [big.name, small.name]
    assert _names(client.get(url, {"sorteer": "naam"})) == sorted([big.name, small.name, odd.name])


def test_kind_sorts_by_its_dutch_label_not_its_code(client, leiden):
    m, big, small, odd = leiden
    url = reverse("landscape:organisation_list", args=[m.cbs_code])
    response = client.get(url, {"sorteer": "soort"})
    # Grote welzijnsorganisatie < Sociaal ondernemer < Vrijwilligersorganisatie zonder betaalde krachten
    assert _names(response) == [big.name, odd.name, small.name]


def test_sorted_header_is_announced_with_aria_sort_and_reverses_on_click(client, leiden):
    m = leiden[0]
    page = client.get(reverse("landscape:organisation_list", args=[m.cbs_code]), {"sorteer": "-vrijwilligers"})
    html = page.content.decode()
    assert html.count("aria-sort=") == 1
    assert 'aria-sort="descending"><a class="utrecht-link ww-sort" href="?sorteer=vrijwilligers">' in html
    assert 'href="?sorteer=naam"' in html  # another column: ascending first for text


def test_sorting_keeps_the_filters_and_starts_at_page_one(client, leiden):
    m = leiden[0]
    url = reverse("landscape:organisation_list", args=[m.cbs_code])
    html = client.get(url, {"kind": "volunteer_only", "pagina": "1", "sorteer": "naam"}).content.decode()
    assert 'href="?kind=volunteer_only&amp;sorteer=-naam"' in html


def test_an_unknown_sort_column_is_a_400_in_dutch(client, leiden):
    m = leiden[0]
    response = client.get(reverse("landscape:organisation_list", args=[m.cbs_code]), {"sorteer": "wachtwoord"})
    assert response.status_code == 400
    assert "kan niet worden gesorteerd op “wachtwoord”" in response.content.decode()


def test_xlsx_export_has_dutch_headings_and_labels_and_the_page_order(client, leiden):
    m, big, small, odd = leiden
    url = reverse("landscape:organisation_export", args=[m.cbs_code, "xlsx"])
    response = client.get(url, {"sorteer": "-vrijwilligers"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="GM0546-organisaties.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == (
        "Organisatie",
        "Soort",
        "Vrijwilligers",
        "Betaalde krachten (fte)",
        "Activiteiten",
        "Deelnemers per jaar",
        "Gemeentelijke subsidie 2025",
    )
    assert [r[0] for r in rows[1:]] == [big.name, "'" + odd.name, small.name]
    assert rows[1][1] == "Grote welzijnsorganisatie"
    assert all(isinstance(r[2], int) for r in rows[1:])  # whole volunteers
    values = {v for r in rows for v in r if isinstance(v, str)}
    assert not values & set(Organisation.Kind.values)


def test_csv_export_follows_the_filters(client, leiden):
    m, big, small, odd = leiden
    url = reverse("landscape:organisation_export", args=[m.cbs_code, "csv"])
    response = client.get(url, {"kind": "volunteer_only"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Organisatie" and [r[0] for r in rows[1:]] == [small.name]
    assert rows[1][1] == "Vrijwilligersorganisatie zonder betaalde krachten"
    assert rows[1][3] == "0,00"


def test_export_of_bad_filters_is_a_400_and_an_unknown_format_a_404(client, leiden):
    m = leiden[0]
    assert (
        client.get(reverse("landscape:organisation_export", args=[m.cbs_code, "csv"]), {"kind": "x"}).status_code == 400
    )
    assert client.get(reverse("landscape:organisation_export", args=[m.cbs_code, "pdf"])).status_code == 404


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31 71", "'+31 71"),
        ("-2+3", "'-2+3"),
        ("-2", "-2"),  # a plain number written as text runs nothing (core/exports.py keeps it)
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Buurt\x07huis", "Buurthuis"),  # a character a workbook cannot hold is removed
        ("Buurthuis", "Buurthuis"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert safe_cell(value) == expected
    assert safe_cell(-2) == -2  # numbers stay numbers


def test_activities_sort_by_a_column_and_export_with_dutch_labels(client, leiden):
    m, big, small, odd = leiden
    url = reverse("landscape:activity_list", args=[m.cbs_code])
    response = client.get(url, {"sorteer": "-bereik"})
    assert response.status_code == 200
    assert [a.reach for a in response.context["page"]] == [300, 40]
    html = response.content.decode()
    assert 'aria-sort="descending"' in html
    assert "sorteer=wijken" not in html  # a list of districts is not sortable
    export = client.get(reverse("landscape:activity_export", args=[m.cbs_code, "xlsx"]), {"sorteer": "-bereik"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Activiteit", "Organisatie")
    assert [r[1] for r in rows[1:]] == [big.name, small.name]
    assert rows[1][6] in ("Ja", "Nee")


def test_activities_refuse_an_unknown_sort_column(client, leiden):
    m = leiden[0]
    response = client.get(reverse("landscape:activity_list", args=[m.cbs_code]), {"sorteer": "wijken"})
    assert response.status_code == 400
