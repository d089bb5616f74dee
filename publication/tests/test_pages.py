"""Public pages: no N+1 queries on the lists and the detail page that the public and crawlers read most."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import page_cache
from core.testing import MunicipalityFactory
from tenders import services
from tenders.tests.factories import officer, published

pytestmark = pytest.mark.django_db


def _many(m, n):
    user = officer(m)
    return [published(m, user=user) for _ in range(n)]


def test_public_list_queries_do_not_grow_with_the_number_of_commissionings(client, django_assert_max_num_queries):
    m = MunicipalityFactory()
    _many(m, 2)
    with django_assert_max_num_queries(8) as small:
        client.get(reverse("publication:list", args=[m.cbs_code]))
    _many(m, 4)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("publication:list", args=[m.cbs_code])).status_code == 200


def test_detail_page_queries_do_not_grow_with_criteria_and_questions(client, django_assert_max_num_queries):
    m = MunicipalityFactory()
    user = officer(m)
    c = published(m, user=user)
    url = reverse("publication:detail", args=[m.cbs_code, c.pk])
    client.get(url)
    page_cache.store.clear()  # measured with the page cache cold, both times
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    services.rectify(c, user, explanation="Correctie")
    asker = get_user_model().objects.create(username="vrager")
    for i in range(3):
        q = services.ask_question(c, asker, f"Vraag {i}")
        services.answer_question(q, user, answer="Antwoord", topic=f"Onderwerp {i}")
    services.publish_clarification(c, user)
    with django_assert_max_num_queries(len(before.captured_queries) + 3):  # rectifications, clarifications, questions
        assert client.get(url).status_code == 200


def test_unsubscribe_with_an_unknown_token_is_404(client):
    assert client.get(reverse("publication:unsubscribe", args=["onbekend"])).status_code == 404
