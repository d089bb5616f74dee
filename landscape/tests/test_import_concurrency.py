"""An import confirmed twice at the same time (two tabs, a double click on a slow line) is written once: the
confirmation locks the checked upload, so the second waits for the first and then finds its import. Real
concurrency needs PostgreSQL (row locks, two connections); on SQLite this module is skipped."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from core.models import Job, Role
from core.testing import MunicipalityFactory, login, user_with_role
from landscape import services
from landscape.models import Organisation

from .import_files import landscape_sheets, xlsx
from .test_import_views import checked, confirm_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_an_import_confirmed_twice_at_the_same_time_is_written_once():
    leiden = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    services.upsert_district(leiden, cbs_code="WK054601", name="Binnenstad-Zuid")
    advisor = user_with_role(Role.POLICY_ADVISOR, leiden)
    check, _page = checked(login(Client(), advisor), xlsx(landscape_sheets(40)))
    assert check.status == Job.Status.DONE and check.result["ok"]

    start = threading.Barrier(2)
    answers = []

    def confirm():
        client = login(Client(), advisor)
        start.wait()
        try:
            answers.append(client.post(confirm_url(check)))
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert [a.status_code for a in answers] == [302, 302]
    imports = Job.objects.filter(kind="landscape.import")
    assert imports.count() == 1
    assert {a.url for a in answers} == {reverse("landscape:import_job", args=["GM0546", imports.get().pk])}
    assert imports.get().status == Job.Status.DONE
    assert Organisation.objects.filter(municipality=leiden).count() == 40
    assert AuditEvent.objects.filter(action="landscape.import").count() == 1
