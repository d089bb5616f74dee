"""The admin: superusers only (with a second factor), every model listed, every write audited."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from audit.services import verify_chain
from core.models import Job, Municipality, PurchasingOrganisation, Role, RoleAssignment, User
from core.testing import MunicipalityFactory, UserFactory, login, user_with_role
from landscape.models import Activity, District, Funding, Neighbourhood, Organisation, TargetGroup
from landscape.tests.factories import (
    ActivityFactory,
    DistrictFactory,
    ExternalFundingFactory,
    FundingFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Municipality,
    PurchasingOrganisation,
    User,
    RoleAssignment,
    Job,
    District,
    Neighbourhood,
    TargetGroup,
    Organisation,
    Activity,
    Funding,
]


def superuser(**kwargs):
    user = UserFactory(is_superuser=True, is_staff=True, **kwargs)
    TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


@pytest.fixture
def admin_client(client):
    return login(client, superuser(username="beheer"))


@pytest.fixture
def landscape():
    m = MunicipalityFactory(cbs_code="GM0546", name="Leiden")
    district = DistrictFactory(municipality=m)
    NeighbourhoodFactory(district=district)
    org = OrganisationFactory(municipality=m, name="Buurtkracht")
    activity = ActivityFactory(organisation=org, districts=[district], target_groups=["youth"])
    FundingFactory(organisation=org, activity=activity)
    ExternalFundingFactory(organisation=org, conditional=True)
    return {"municipality": m, "organisation": org, "district": district}


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_every_core_and_landscape_model_is_in_the_admin():
    assert [m for m in MODELS if not admin.site.is_registered(m)] == []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelists_with_search_and_filters_load(admin_client, landscape, model):
    model_admin = admin.site._registry[model]
    assert model_admin.search_fields and model_admin.list_display
    assert admin_client.get(changelist(model)).status_code == 200
    assert admin_client.get(changelist(model), {"q": "Buurt"}).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
        assert admin_client.get(url).status_code == 200


def test_changelist_query_count_does_not_grow_with_rows(admin_client, landscape, django_assert_max_num_queries):
    for _ in range(40):
        FundingFactory(organisation=OrganisationFactory(municipality=landscape["municipality"]))
    with django_assert_max_num_queries(12):
        response = admin_client.get(changelist(Funding))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "make_user",
    [
        lambda m: UserFactory(is_staff=True),  # staff without superuser rights
        lambda m: user_with_role(Role.ADMINISTRATOR, m, is_staff=True),  # municipal administrator, not superuser
    ],
    ids=["staff", "municipal-administrator"],
)
def test_admin_is_forbidden_for_everyone_but_superusers(client, landscape, make_user):
    user = make_user(landscape["municipality"])
    TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
    login(client, user)
    assert client.get(changelist(Organisation)).status_code == 403
    response = client.post(
        reverse("admin:landscape_organisation_delete", args=[landscape["organisation"].pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Organisation.objects.filter(pk=landscape["organisation"].pk).exists()


def test_admin_needs_a_verified_second_factor(client, landscape):
    client.force_login(superuser())  # password only
    response = client.get(changelist(Organisation), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("core:login"))


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(changelist(Organisation))
    assert response.status_code == 302


def _organisation_form(org, **changes):
    data = {
        "municipality": org.municipality_id,
        "name": org.name,
        "kvk_number": org.kvk_number,
        "legal_form": org.legal_form,
        "kind": org.kind,
        "paid_staff_fte": org.paid_staff_fte,
        "volunteers": org.volunteers,
        "own_income_share": org.own_income_share,
        "first_funded_year": org.first_funded_year or "",
        "website": org.website,
        "description": org.description,
    }
    return {**data, **changes}


def test_admin_change_is_audited_with_before_and_after(admin_client, landscape):
    org = landscape["organisation"]
    url = reverse("admin:landscape_organisation_change", args=[org.pk])
    response = admin_client.post(url, _organisation_form(org, volunteers=40, paid_staff_fte="3.00"))
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="landscape.admin_change")
    assert (event.actor_name, event.municipality_code, event.object_id) == ("beheer", "GM0546", str(org.pk))
    assert event.summary["before"] == {"volunteers": 25, "paid_staff_fte": "2.50"}
    assert event.summary["after"] == {"volunteers": 40, "paid_staff_fte": "3.00"}
    assert verify_chain() is None


def test_admin_add_and_delete_are_audited(admin_client, landscape):
    m = landscape["municipality"]
    response = admin_client.post(
        reverse("admin:landscape_district_add"), {"municipality": m.pk, "cbs_code": "WK054699", "name": "Nieuwe wijk"}
    )
    assert response.status_code == 302
    district = District.objects.get(cbs_code="WK054699")
    added = AuditEvent.objects.get(action="landscape.admin_add")
    assert added.summary["after"] == {"municipality": m.pk, "cbs_code": "WK054699", "name": "Nieuwe wijk"}
    response = admin_client.post(reverse("admin:landscape_district_delete", args=[district.pk]), {"post": "yes"})
    assert response.status_code == 302
    deleted = AuditEvent.objects.get(action="landscape.admin_delete")
    assert (deleted.object_id, deleted.summary) == (str(district.pk), {"deleted": "Nieuwe wijk"})
    assert not District.objects.filter(pk=district.pk).exists()


def test_bulk_delete_action_audits_every_object(admin_client, landscape):
    ids = list(Funding.objects.values_list("pk", flat=True))
    response = admin_client.post(
        changelist(Funding), {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert response.status_code == 302
    assert not Funding.objects.exists()
    assert sorted(
        int(i) for i in AuditEvent.objects.filter(action="landscape.admin_delete").values_list("object_id", flat=True)
    ) == sorted(ids)


def test_invalid_admin_input_is_a_form_error_and_writes_nothing(admin_client, landscape):
    org = landscape["organisation"]
    url = reverse("admin:landscape_organisation_change", args=[org.pk])
    response = admin_client.post(url, _organisation_form(org, kvk_number="123", volunteers=-5))
    assert response.status_code == 200  # the form again, with errors
    assert response.context["adminform"].form.errors.keys() >= {"kvk_number", "volunteers"}
    org.refresh_from_db()
    assert org.volunteers == 25
    assert not AuditEvent.objects.filter(action__startswith="landscape.admin").exists()


def test_granted_amount_cannot_be_negative_in_the_admin(admin_client, landscape):
    funding = Funding.objects.filter(kind=Funding.Kind.MUNICIPAL_GRANT).first()
    url = reverse("admin:landscape_funding_change", args=[funding.pk])
    data = {
        "municipality": funding.municipality_id,
        "organisation": funding.organisation_id,
        "activity": "",
        "year": 2025,
        "kind": "municipal_grant",
        "source_name": "Subsidie",
        "amount_granted": "-1",
        "periodic": "unknown",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    funding.refresh_from_db()
    assert funding.amount_granted == Decimal("45000.00")


def test_creating_a_user_never_puts_the_password_in_the_audit_log(admin_client):
    response = admin_client.post(
        reverse("admin:core_user_add"),
        {"username": "nieuw", "password1": "Zeer-geheim-wachtwoord-42", "password2": "Zeer-geheim-wachtwoord-42"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="core.admin_add")
    assert event.summary["after"] == {"username": "nieuw"}
    assert "Zeer-geheim" not in str(AuditEvent.objects.values_list("summary", flat=True))


def test_password_change_in_the_admin_is_audited_without_the_password(admin_client):
    user = UserFactory(username="medewerker")
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "Nog-een-geheim-wachtwoord-7", "password2": "Nog-een-geheim-wachtwoord-7"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="core.admin_password_change")
    assert (event.object_id, event.summary) == (str(user.pk), {"password": "changed"})


def test_jobs_are_read_only_in_the_admin(admin_client):
    job = Job.objects.create(kind="landscape.import")
    assert admin_client.get(reverse("admin:core_job_add")).status_code == 403
    response = admin_client.post(reverse("admin:core_job_change", args=[job.pk]), {"kind": "x"})
    assert response.status_code == 403
