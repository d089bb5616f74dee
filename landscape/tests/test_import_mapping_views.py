"""The preview of a grant register lets a person map its columns (or ignore them) and choose the amount that counts;
the choice is remembered per municipality, audited, and the import uses exactly the mapping that was checked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from core.models import Job, Role
from core.testing import MunicipalityFactory, login, user_with_role
from landscape.models import Funding, GrantColumnMapping, Organisation

from .import_files import csv_bytes
from .test_grant_layouts import OMSCHRIJVING, SOORT


@pytest.fixture
def leiden(db):
    return MunicipalityFactory(cbs_code="GM0546", name="Leiden")


@pytest.fixture
def advisor(client, leiden):
    return login(client, user_with_role(Role.POLICY_ADVISOR, leiden))


def check(client, rows) -> Job:
    content = SimpleUploadedFile("register.csv", csv_bytes(rows, encoding="cp1252"), content_type="text/csv")
    response = client.post(reverse("landscape:import_upload", args=["GM0546"]), {"format": "grants", "files": content})
    assert response.status_code == 302
    return Job.objects.filter(kind="landscape.import_check").latest("created_at")


def remap(client, job, data):
    return client.post(reverse("landscape:import_remap", args=["GM0546", job.pk]), data)


def test_unrecognised_columns_are_mapped_in_the_preview_remembered_and_imported(advisor, leiden):
    first = check(advisor, OMSCHRIJVING)
    assert not first.result["ok"] and first.result["missing"] == ["scheme"]
    page = advisor.get(reverse("landscape:import_job", args=["GM0546", first.pk])).content.decode()
    assert "Kolommen van het subsidieregister" in page
    assert "Geen kolom herkend voor: regeling" in page
    assert "Welk bedrag telt" in page
    response = remap(
        advisor,
        first,
        {
            "column_0": "applicant",
            "column_1": "scheme",
            "column_2": "amount_granted",
            "column_3": "year",
            "amount": "granted",
        },
    )
    second = Job.objects.filter(kind="landscape.import_check").latest("created_at")
    assert response.status_code == 302 and second.pk != first.pk
    assert second.result["ok"], second.result
    assert second.result["counts"]["fundings"]["create"] == 2
    saved = GrantColumnMapping.objects.get(municipality=leiden)
    assert saved.columns["omschrijving"] == "scheme" and saved.amount == "granted"
    assert AuditEvent.objects.filter(action="landscape.grant_mapping", municipality_code="GM0546").count() == 1
    advisor.post(reverse("landscape:import_confirm", args=["GM0546", second.pk]))
    assert Job.objects.get(kind="landscape.import").params["mapping"]["columns"]["Omschrijving"] == "scheme"
    assert set(Funding.objects.values_list("source_name", flat=True)) == {"Buurthuis", "Maatjesproject"}

    # The next upload of a register in this layout is recognised at once.
    again = check(advisor, OMSCHRIJVING)
    assert again.result["ok"] and again.result["counts"]["fundings"]["unchanged"] == 2


def test_the_amount_that_counts_is_chosen_in_the_preview(advisor, leiden):
    first = check(advisor, SOORT)
    assert first.result["ok"] and first.result["columns"]["amount"] == "granted"
    page = advisor.get(reverse("landscape:import_job", args=["GM0546", first.pk])).content.decode()
    assert "het verleende bedrag" in page and "Nu inlezen" in page
    fields = dict(zip(first.result["columns"]["headers"], first.result["columns"]["fields"], strict=True))
    data = {f"column_{i}": f for i, f in enumerate(fields.values())}
    remap(advisor, first, {**data, "amount": "settled"})
    second = Job.objects.filter(kind="landscape.import_check").latest("created_at")
    advisor.post(reverse("landscape:import_confirm", args=["GM0546", second.pk]))
    assert Funding.objects.get(organisation__name="Stichting Buurtkracht").amount_granted == 11500


def test_a_field_chosen_for_two_columns_is_a_dutch_form_error_and_nothing_changes(advisor, leiden):
    first = check(advisor, OMSCHRIJVING)
    response = remap(advisor, first, {"column_0": "applicant", "column_1": "applicant", "amount": "granted"})
    assert response.status_code == 400
    assert "Een veld kan maar uit één kolom komen: aanvrager." in response.content.decode()
    response = remap(advisor, first, {"column_0": "applicant", "amount": "granted", "year": "12"})
    assert response.status_code == 400
    assert not GrantColumnMapping.objects.exists()
    assert Job.objects.filter(kind="landscape.import_check").count() == 1
    assert not Organisation.objects.exists()


def test_a_confirmed_or_template_check_cannot_be_remapped(advisor, leiden):
    template_check = Job.objects.create(
        kind="landscape.import_check",
        municipality=leiden,
        status=Job.Status.DONE,
        params={"format": "template", "files": []},
        result={"ok": True},
    )
    assert remap(advisor, template_check, {"amount": "granted"}).status_code == 400
    assert not GrantColumnMapping.objects.exists()
