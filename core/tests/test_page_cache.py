"""Public pages are cached per municipality, language and query string, and every service write of that municipality
invalidates them (core/page_cache.py)."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import reverse

from continuity import selectors as continuity_selectors
from continuity import services as continuity_services
from continuity.models import Scenario
from continuity.tests import landscape_fixture
from core import page_cache
from core.models import PublicVersion, PurchasingOrganisation, Role
from core.testing import MunicipalityFactory, login, user_with_role
from landscape import services as landscape_services
from landscape.imports.records import ImportData, OrganisationRecord, OrganisationRef
from tenders import services as tender_services
from tenders.tests.factories import SOCIAL_CPV, complete, cpv, officer, published

pytestmark = pytest.mark.django_db
HEADER = page_cache.HEADER


@pytest.fixture
def leiden():
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    landscape_services.upsert_organisation(m, name="Buurtkracht", kind="volunteer_only")
    return m


def overview(code="GM0546"):
    return reverse("landscape:overview", args=[code])


def organisations(code="GM0546"):
    return reverse("landscape:organisation_list", args=[code])


def get(client, path, **extra):
    response = client.get(path, **extra)
    assert response.status_code == 200, response.content[:500]
    return response


# --- what is cached, and how a hit is served --------------------------------------------------------------------


def test_an_anonymous_public_page_is_stored_and_then_served_with_one_query(client, leiden, django_assert_num_queries):
    first = get(client, overview())
    assert first[HEADER] == "stored"
    with django_assert_num_queries(1):  # the version of Leiden's pages
        again = get(client, overview())
    assert again[HEADER] == "hit"
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_the_query_string_is_part_of_the_key(client, leiden):
    get(client, organisations())
    assert get(client, organisations() + "?naam=Buurt")[HEADER] == "stored"
    assert get(client, organisations() + "?naam=Buurt")[HEADER] == "hit"


def test_error_responses_are_not_cached(client, leiden):
    assert client.get(overview() + "?jaar=1800").status_code == 400
    assert HEADER not in client.get(overview() + "?jaar=1800")
    assert client.get(overview("GM9999")).status_code == 404
    assert HEADER not in client.get(overview("GM9999"))


def test_the_health_view_reads_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("core:health"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_a_page_kept_longer_than_public_cache_seconds_is_rendered_again(client, leiden, settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    start = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        get(client, overview())
    with time_machine.travel(start + datetime.timedelta(seconds=59), tick=False):
        assert get(client, overview())[HEADER] == "hit"
    with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
        assert get(client, overview())[HEADER] == "stored"


def test_public_cache_seconds_zero_turns_the_cache_off(client, leiden, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    assert HEADER not in get(client, overview())
    assert HEADER not in get(client, overview())


def test_the_store_stays_within_its_bytes_and_drops_the_least_recently_used():
    store = page_cache.Store()

    def entry(size):
        return page_cache.Entry(float("inf"), 200, [], b"x" * size)

    for key in "abc":
        store.put(key, entry(45), max_bytes=180)
    store.get("a", 0)  # a is used again: b is now the oldest
    store.put("d", entry(45), max_bytes=180)
    store.put("e", entry(45), max_bytes=180)  # 225 bytes: the oldest (b) goes
    assert store.get("b", 0) is None
    assert all(store.get(key, 0) is not None for key in "acde")
    store.put("huge", entry(46), max_bytes=180)  # larger than a quarter of the store: never kept
    assert store.get("huge", 0) is None


def test_the_shared_store_serves_and_invalidates_like_the_local_one(client, leiden, settings):
    settings.PUBLIC_CACHE_STORE = "shared"
    assert get(client, organisations())[HEADER] == "stored"
    assert get(client, organisations())[HEADER] == "hit"
    assert len(page_cache.store) == 0  # nothing in this process's memory
    landscape_services.upsert_organisation(leiden, name="Wijkladder", kind="volunteer_only")
    response = get(client, organisations())
    assert response[HEADER] == "stored"
    assert b"Wijkladder" in response.content


# --- writes through the services invalidate (per app) ------------------------------------------------------------


def test_an_organisation_change_through_the_service_shows_at_the_next_get(client, leiden):
    assert b"Buurtkracht" in get(client, organisations()).content
    landscape_services.upsert_organisation(leiden, name="Wijkladder", kind="volunteer_only")
    response = get(client, organisations())
    assert response[HEADER] == "stored"
    assert b"Wijkladder" in response.content


def test_a_landscape_import_shows_at_the_next_get_of_pages_and_api(client, leiden):
    api = "/api/v1/organisations?municipality=GM0546"
    assert get(client, api).json()["count"] == 1
    get(client, organisations())
    data = ImportData(
        organisations=[
            OrganisationRecord(
                sheet="organisaties",
                row=2,
                ref=OrganisationRef(name="Huis van de Buurt"),
                values={"name": "Huis van de Buurt", "kind": "volunteer_only"},
            )
        ]
    )
    landscape_services.import_records(leiden, data)
    assert get(client, api).json()["count"] == 2
    assert b"Huis van de Buurt" in get(client, organisations()).content


def test_a_write_in_another_municipality_leaves_the_page_cached(client, leiden):
    haarlem = MunicipalityFactory(cbs_code="GM0392", name="Haarlem")
    get(client, overview())
    landscape_services.upsert_organisation(haarlem, name="Haarlemse Buurt", kind="volunteer_only")
    assert get(client, overview())[HEADER] == "hit"
    # ... but the national API lists every municipality, so it is stale after any write
    get(client, "/api/v1/organisations")
    landscape_services.upsert_organisation(haarlem, name="Tweede", kind="volunteer_only")
    assert b"Tweede" in get(client, "/api/v1/organisations").content


def test_a_failed_service_write_does_not_bump_the_version(leiden):
    before = page_cache.versions(["GM0546", page_cache.ALL])
    with pytest.raises(ValueError):
        landscape_services.upsert_activity(
            landscape_services.find_organisation(leiden, name="Buurtkracht"),
            title="Koffie",
            districts=["WK999999"],
        )
    assert page_cache.versions(["GM0546", page_cache.ALL]) == before


def test_tender_publication_and_rectification_show_at_the_next_get(client):
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    user = officer(m)
    listing = reverse("publication:list", args=[m.cbs_code])
    assert b"Samen Meedoen" not in get(client, listing).content
    c = published(m, user=user, title="Samen Meedoen")
    assert b"Samen Meedoen" in get(client, listing).content
    detail = reverse("publication:detail", args=[m.cbs_code, c.pk])
    get(client, detail)
    assert get(client, detail)[HEADER] == "hit"
    tender_services.rectify(c, user, explanation="Titel verduidelijkt", fields={"title": "Samen Meedoen in de wijk"})
    assert b"Samen Meedoen in de wijk" in get(client, detail).content


def test_a_purchasing_organisations_commissioning_refreshes_its_member_municipalities(client):
    """Such a commissioning has no single municipality: its audit events bump the version of every municipality."""
    leiden = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    oegstgeest = MunicipalityFactory(cbs_code="GM0579", name="Oegstgeest")
    po = PurchasingOrganisation.objects.create(name="Inkoop Holland Rijnland")
    po.municipalities.set([leiden, oegstgeest])
    user = officer(leiden)
    listings = [reverse("publication:list", args=[m.cbs_code]) for m in (leiden, oegstgeest)]
    for listing in listings:
        get(client, listing)
    c = tender_services.create_commissioning(
        user,
        purchasing_organisation=po,
        title="Regionale Mantelzorg",
        goals="Mantelzorgers in de regio worden ondersteund.",
        route="open",
        term_years=4,
        option_count=0,
        option_years=0,
        main_cpv=cpv(SOCIAL_CPV),
        short_period_reasons="Bekende markt in de regio.",  # light regime, 20 days (Aw 1.10)
    )
    tender_services.publish(complete(c, user), user)
    for listing in listings:
        assert b"Regionale Mantelzorg" in get(client, listing).content


def test_a_scenario_change_shows_at_the_next_get(client):
    m, _org, _act, _districts = landscape_fixture.build()
    s = continuity_services.create_scenario(municipality=m, name="Aanbesteding", kind=Scenario.Kind.TENDER)
    listing = reverse("continuity:list", args=[m.cbs_code])
    assert b"Aanbesteding" not in get(client, listing).content
    s = continuity_services.store_impact(s, continuity_selectors.compute_impact(s))
    assert b"Aanbesteding" not in get(client, listing).content
    continuity_services.set_published(s, True)
    assert b"Aanbesteding" in get(client, listing).content
    continuity_services.update_scenario(s, name="Aanbesteding 2027")
    assert b"Aanbesteding 2027" in get(client, listing).content


# --- languages, logged-in users, cookies and CSRF ----------------------------------------------------------------


def test_language_variants_are_cached_separately(client, leiden):
    dutch = get(client, overview())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = get(client, overview())
    assert english[HEADER] == "stored"
    assert b'<html lang="en"' in english.content and b'<html lang="nl"' in dutch.content
    assert get(client, overview())[HEADER] == "hit"
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    again = get(client, overview())
    assert again[HEADER] == "hit"
    assert again.content == dutch.content


def test_a_logged_in_user_never_gets_the_cached_anonymous_page(client, leiden):
    anonymous = get(client, overview())
    assert get(Client(), overview())[HEADER] == "hit"
    login(client, user_with_role(Role.POLICY_ADVISOR, leiden, username="advisor"))
    mine = get(client, overview())
    assert HEADER not in mine
    assert b"advisor" in mine.content and b"advisor" not in anonymous.content


def test_a_logged_in_users_page_is_never_served_to_anonymous_visitors(client, leiden):
    login(client, user_with_role(Role.POLICY_ADVISOR, leiden, username="advisor"))
    assert HEADER not in get(client, overview())
    assert HEADER not in get(client, overview())
    anonymous = get(Client(), overview())
    assert anonymous[HEADER] == "stored"
    assert b"advisor" not in anonymous.content


def test_a_visitor_with_a_session_or_a_pending_message_is_served_afresh(client, leiden):
    get(client, overview())
    client.cookies[settings.SESSION_COOKIE_NAME] = "anything"
    assert HEADER not in get(client, overview())
    other = Client()
    other.cookies["messages"] = "pending"
    assert HEADER not in get(other, overview())


def test_cached_public_pages_hold_no_csrf_token_and_the_language_switch_needs_none(leiden):
    client = Client(enforce_csrf_checks=True)
    page = get(client, overview())
    assert b"csrfmiddlewaretoken" not in page.content
    assert not page.cookies
    switched = client.post(reverse("core:set_language"), {"language": "en", "next": overview()})
    assert switched.status_code == 302
    assert b'<html lang="en"' in get(client, overview()).content


def test_a_response_that_holds_a_csrf_token_or_sets_a_cookie_is_not_stored(settings):
    def with_token(request):
        return HttpResponse(get_token(request))

    def with_cookie(request):
        response = HttpResponse("hallo")
        response.set_cookie("tracking", "1")
        return response

    for view in (with_token, with_cookie):
        page_cache.cached_public(view)
        middleware = page_cache.PublicPageCacheMiddleware(lambda request, v=view: v(request))  # noqa: B023
        request = RequestFactory().get("/gezond")
        request.LANGUAGE_CODE = "nl"
        assert middleware.process_view(request, view, (), {}) is None
        response = middleware(request)
        assert HEADER not in response
        assert middleware.process_view(request, view, (), {}) is None  # nothing was kept
    assert len(page_cache.store) == 0


def test_a_write_bumps_its_municipality_and_the_national_counter(leiden):
    before = dict(PublicVersion.objects.values_list("scope", "version"))
    landscape_services.upsert_organisation(leiden, name="Nog een", kind="volunteer_only")
    after = dict(PublicVersion.objects.values_list("scope", "version"))
    assert after["GM0546"] == before["GM0546"] + 1
    assert after[page_cache.ALL] == before[page_cache.ALL] + 1
    assert after.get(page_cache.NO_MUNICIPALITY) == before.get(page_cache.NO_MUNICIPALITY)
