"""KPIs per lot (issue 12): added and removed by the policy advisor on the lot page while a draft, published on the
public tender page, frozen at publication (then only a material rectification changes them, and nothing after the
submission deadline)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from core import page_cache
from core.models import Role
from core.testing import MunicipalityFactory, login, user_with_role
from landscape.models import TargetGroup
from tenders import services
from tenders.kpi_forms import KPIForm, KPIRectificationForm
from tenders.models import Deadline, LotKPI
from tenders.policy import DEFAULTS

from .factories import after, complete, draft

pytestmark = pytest.mark.django_db
K = Deadline.Kind
REACH = {
    "name": "Jongeren bereikt",
    "measurement": "Unieke jongeren per jaar in het jongerenwerk, uit de registratie",
    "target_value": Decimal("1800"),
    "unit": "jongeren",
    "frequency": LotKPI.Frequency.HALF_YEARLY,
}
SATISFIED = {
    "name": "Ouders tevreden",
    "measurement": "Aandeel ouders dat de steun een 7 of hoger geeft",
    "target_value": Decimal("80"),
    "unit": "%",
    "frequency": LotKPI.Frequency.YEARLY,
}


@pytest.fixture
def c(m, user):
    return complete(draft(m, user), user)


def test_a_kpi_is_added_to_a_lot_of_a_draft_with_an_audit_event(c, user):
    lot = c.lots.get()
    kpi = services.add_kpi(lot, user, **REACH)
    services.add_kpi(lot, user, **SATISFIED)
    assert [k.name for k in lot.kpis.all()] == ["Jongeren bereikt", "Ouders tevreden"]
    assert kpi.target_value == Decimal("1800.00") and kpi.get_frequency_display() == "Every six months"
    event = AuditEvent.objects.filter(action="tenders.kpi_add").latest("id")
    assert event.summary["name"] == "Ouders tevreden" and event.summary["lot"] == 1


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("name", "  ", "Name the KPI."),
        ("measurement", "", "Describe how the KPI is measured."),
        ("target_value", "-1", "at least 0"),
        ("target_value", "veel", "at least 0"),
        ("unit", "", "Give the unit"),
        ("frequency", "daily", "how often"),
    ],
)
def test_bad_kpi_input_is_refused_and_nothing_is_written(c, user, field, value, message):
    with pytest.raises(ValidationError, match=message) as exc:
        services.add_kpi(c.lots.get(), user, **(REACH | {field: value}))
    assert field in exc.value.message_dict
    assert not LotKPI.objects.exists()


def test_a_kpi_name_is_unique_within_its_lot(c, user):
    lot = c.lots.get()
    services.add_kpi(lot, user, **REACH)
    with pytest.raises(ValidationError, match="already has a KPI with this name"):
        services.add_kpi(lot, user, **(REACH | {"name": "jongeren BEREIKT"}))
    assert lot.kpis.count() == 1


def test_kpis_are_frozen_at_publication(c, user):
    lot = c.lots.get()
    kpi = services.add_kpi(lot, user, **REACH)
    services.publish(c, user)
    with pytest.raises(ValidationError, match="rectification"):
        services.add_kpi(lot, user, **SATISFIED)
    with pytest.raises(ValidationError, match="rectification"):
        services.delete_kpi(kpi, user)
    assert list(lot.kpis.values_list("name", flat=True)) == ["Jongeren bereikt"]


def test_changing_kpis_after_publication_is_a_material_rectification_directive_art_47_3(c, user):
    lot = c.lots.get()
    services.add_kpi(lot, user, **REACH)
    services.publish(c, user)
    bids = c.deadlines.get(kind=K.BIDS).at
    new = [REACH | {"target_value": "2000"}, SATISFIED]
    with pytest.raises(ValidationError, match="extend the deadline for bids"):
        services.rectify(c, user, explanation="Hoger doel", lots={lot.pk: {"kpis": new}})
    assert lot.kpis.get().target_value == Decimal("1800")  # nothing half-written
    r = services.rectify(
        c,
        user,
        explanation="Hoger doel en een tweede KPI",
        lots={lot.pk: {"kpis": new}},
        deadlines={K.BIDS: bids + DEFAULTS["minimum_extension_days"] * timedelta(days=1)},
    )
    change = r.changes[0]
    assert change["field"] == f"lot:{lot.pk}:kpis" and change["material"] is True
    assert change["before"] == (
        "Jongeren bereikt: 1800 jongeren (Per halfjaar; Unieke jongeren per jaar in het jongerenwerk, uit de "
        "registratie)"
    )
    assert "Jongeren bereikt: 2000 jongeren" in change["after"]
    assert "Ouders tevreden: 80 % (Jaarlijks" in change["after"]
    assert [(k.name, k.target_value) for k in lot.kpis.all()] == [
        ("Jongeren bereikt", Decimal("2000")),
        ("Ouders tevreden", Decimal("80")),
    ]


def test_no_kpi_changes_after_the_submission_deadline(c, user):
    lot = c.lots.get()
    services.add_kpi(lot, user, **REACH)
    services.publish(c, user)
    with pytest.raises(ValidationError):
        services.rectify(c, user, explanation="Te laat", lots={lot.pk: {"kpis": [SATISFIED]}}, now=after(c, K.BIDS))
    assert list(lot.kpis.values_list("name", flat=True)) == ["Jongeren bereikt"]


def test_the_policy_advisor_adds_and_removes_kpis_on_the_lot_page(client, m, c):
    advisor = user_with_role(Role.POLICY_ADVISOR, m, username="beleid")
    lot = c.lots.get()
    login(client, advisor)
    add = reverse("tenders:kpi_add", args=[m.cbs_code, c.pk, lot.pk])
    with translation.override("nl"):
        data = {f"kpi-{k}": v for k, v in REACH.items()}
        assert client.post(add, data).status_code == 302
        page = client.get(reverse("tenders:lot_edit", args=[m.cbs_code, c.pk, lot.pk])).content.decode()
        assert "Jongeren bereikt" in page and "1.800 jongeren" in page and "Per halfjaar" in page
        bad = client.post(add, data | {"kpi-name": "Tweede", "kpi-unit": ""})
        assert bad.status_code == 400 and "Dit veld is vereist." in bad.content.decode()
        duplicate = client.post(add, data)
        assert duplicate.status_code == 400
        assert "Dit perceel heeft al een KPI met deze naam." in duplicate.content.decode()
        kpi = lot.kpis.get()
        delete = reverse("tenders:kpi_delete", args=[m.cbs_code, c.pk, lot.pk, kpi.pk])
        assert client.post(delete).status_code == 302
    assert not lot.kpis.exists()


def test_kpi_pages_are_refused_to_other_roles_and_municipalities(client, m, c):
    lot = c.lots.get()
    add = reverse("tenders:kpi_add", args=[m.cbs_code, c.pk, lot.pk])
    data = {f"kpi-{k}": v for k, v in REACH.items()}
    assert client.post(add, data).status_code == 302  # anonymous: to the login
    login(client, user_with_role(Role.AUDITOR, m, username="controle"))
    assert client.post(add, data).status_code == 403
    other = MunicipalityFactory(cbs_code="GM0599", name="Rotterdam")
    login(client, user_with_role(Role.POLICY_ADVISOR, other, username="elders"))
    assert client.post(reverse("tenders:kpi_add", args=["GM0599", c.pk, lot.pk]), data).status_code == 404
    assert not lot.kpis.exists()


def test_the_public_tender_page_shows_each_lots_kpis_in_dutch(client, m, user, c):
    services.add_kpi(c.lots.get(), user, **REACH)
    services.publish(c, user)
    page_cache.store.clear()
    with translation.override("nl"):
        html = client.get(reverse("publication:detail", args=[m.cbs_code, c.pk])).content.decode()
    assert "KPI's van perceel 1. Perceel 1" in html
    assert "Jongeren bereikt" in html and "1.800 jongeren" in html and "Per halfjaar" in html
    assert "Unieke jongeren per jaar in het jongerenwerk" in html


def _rectify_data(c, **extra):
    # the form takes whole minutes: a few minutes more than the minimum extension
    deadline = c.deadlines.get(kind=K.BIDS).at + DEFAULTS["minimum_extension_days"] * timedelta(days=1, minutes=1)
    local = timezone.localtime(deadline)
    return {
        "kpirect-explanation": "Een tweede KPI en de termijn verlengd",
        "kpirect-submission_deadline": local.strftime("%d-%m-%Y %H:%M"),
        **{f"kpirect-{k}": v for k, v in extra.items()},
    }


def test_the_officer_rectifies_a_published_lots_kpis_on_the_lot_page(client, m, user, c):
    lot = c.lots.get()
    old = services.add_kpi(lot, user, **REACH)
    services.publish(c, user)
    login(client, user)
    url = reverse("tenders:kpi_rectify", args=[m.cbs_code, c.pk, lot.pk])
    with translation.override("nl"):
        page = client.get(reverse("tenders:lot_edit", args=[m.cbs_code, c.pk, lot.pk])).content.decode()
        assert "De KPI&#x27;s wijzigen met een rectificatie" in page or "De KPI's wijzigen met een rectificatie" in page
        nothing = client.post(url, _rectify_data(c))
        assert nothing.status_code == 400 and "Verwijder een KPI of voeg een nieuwe toe." in nothing.content.decode()
        half = client.post(url, _rectify_data(c, new_name="Ouders tevreden"))
        assert half.status_code == 400 and "Vul elk veld van de nieuwe KPI in." in half.content.decode()
        new = {f"new_{k}": v for k, v in SATISFIED.items()}
        short = _rectify_data(c, remove=str(old.pk), **new)
        short["kpirect-submission_deadline"] = timezone.localtime(c.deadlines.get(kind=K.BIDS).at).strftime(
            "%d-%m-%Y %H:%M"
        )
        refused = client.post(url, short)  # material: the deadline must move
        assert refused.status_code == 400 and not c.rectifications.exists()
        assert "materiële wijziging" in refused.content.decode()
        assert client.post(url, _rectify_data(c, remove=str(old.pk), **new)).status_code == 302
    assert [k.name for k in lot.kpis.all()] == ["Ouders tevreden"]
    r = c.rectifications.get()
    assert r.changes[0]["field"] == f"lot:{lot.pk}:kpis" and r.changes[0]["material"] is True


def test_only_the_officer_rectifies_kpis_and_not_in_a_draft(client, m, user, c):
    lot = c.lots.get()
    url = reverse("tenders:kpi_rectify", args=[m.cbs_code, c.pk, lot.pk])
    login(client, user)
    assert client.post(url, _rectify_data(c, **{f"new_{k}": v for k, v in REACH.items()})).status_code == 403
    services.publish(c, user)
    login(client, user_with_role(Role.POLICY_ADVISOR, m, username="beleid"))
    assert client.post(url, _rectify_data(c, **{f"new_{k}": v for k, v in REACH.items()})).status_code == 403
    assert not lot.kpis.exists() and not c.rectifications.exists()


def test_the_manage_page_lists_each_lots_kpis_or_says_there_are_none(client, m, user, c, django_assert_num_queries):
    """Whoever checks a draft before publishing sees its KPIs on the manage page, not only on each lot's page."""
    services.add_kpi(c.lots.get(), user, **REACH)
    services.save_lot(c, user, title="Perceel 2", annual_budget=Decimal("500000"))
    login(client, user)
    url = reverse("tenders:manage", args=[m.cbs_code, c.pk])
    with translation.override("nl"):
        html = client.get(url).content.decode()
    kpis = html[html.index('id="lot-kpis"') :]
    assert "KPI's van perceel 1. Perceel 1" in kpis and "Jongeren bereikt" in kpis and "1.800 jongeren" in kpis
    assert "KPI's van perceel 2. Perceel 2" in kpis
    assert "Nog geen KPI's: voeg ze toe op de pagina van het perceel." in kpis
    # The same queries however many lots there are (their KPIs, districts and target groups are read at once).
    youth = TargetGroup.objects.filter(code="youth")
    first = c.lots.get(number=1)
    services.save_lot(c, user, lot=first, title=first.title, annual_budget=first.annual_budget, target_groups=youth)
    with CaptureQueriesContext(connection) as two_lots:
        client.get(url)
    lot = services.save_lot(c, user, title="Perceel 3", annual_budget=Decimal("500000"), target_groups=youth)
    services.add_kpi(lot, user, **SATISFIED)
    with django_assert_num_queries(len(two_lots.captured_queries)):
        client.get(url)


def test_the_kpi_forms_ask_for_the_reporting_frequency_in_dutch(c):
    with translation.override("nl"):
        assert str(KPIForm().fields["frequency"].choices[0][1]) == "(kies hoe vaak)"
        deadline = c.deadlines.get(kind=K.BIDS)
        form = KPIRectificationForm(lot=c.lots.get(), deadline=deadline)
        assert str(form.fields["new_frequency"].choices[0][1]) == "(kies hoe vaak)"
