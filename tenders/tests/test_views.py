"""The design and procedure pages: who may use them (and who may not), bad input, and the main flows."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import PurchasingOrganisation, Role, RoleAssignment
from core.testing import MunicipalityFactory, login, user_with_role
from landscape.models import Activity, Organisation
from tenders import services
from tenders.models import Commissioning, CPVCode, Deadline, Phase, Question, Route

from .factories import advance_to, candidate, draft, officer, published

pytestmark = pytest.mark.django_db
K = Deadline.Kind


@pytest.fixture
def po_user(m):
    return officer(m)


def manage_url(c, m, name="tenders:manage", *extra):
    return reverse(name, args=[m.cbs_code, c.pk, *extra])


def provider(m, name="aanbieder"):
    org = Organisation.objects.create(municipality=m, name=f"Org {name}", kind="volunteer_with_staff")
    return user_with_role(Role.PROVIDER_REPRESENTATIVE, m, organisation=org, username=name), org


# --- access -------------------------------------------------------------------------------------------------------
def test_design_pages_send_anonymous_users_to_the_login(client, m):
    c = draft(m)
    for url in (reverse("tenders:manage_list", args=[m.cbs_code]), manage_url(c, m)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("core:login"))


def test_design_pages_are_forbidden_for_other_roles_and_other_municipalities(client, m):
    c = draft(m)
    other = MunicipalityFactory()
    for user in (
        user_with_role(Role.EVALUATOR, m),
        provider(m)[0],
        user_with_role(Role.PROCUREMENT_OFFICER, other),
    ):
        client.logout()
        login(client, user)
        assert client.get(manage_url(c, m)).status_code == 403, user
        assert client.post(manage_url(c, m, "tenders:lot_add"), {"lot-title": "x"}).status_code == 403


def test_an_officer_of_another_municipality_cannot_reach_a_draft_through_their_own_municipality(client, m):
    c = draft(m)
    other = MunicipalityFactory()
    login(client, officer(other))
    assert client.get(reverse("tenders:manage", args=[other.cbs_code, c.pk])).status_code == 404


def test_policy_advisor_designs_but_only_the_procurement_officer_publishes(client, m):
    c = draft(m)
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    assert client.get(manage_url(c, m)).status_code == 200
    assert client.post(manage_url(c, m, "tenders:publish")).status_code == 403


def test_unpublished_commissioning_is_invisible_to_the_public(client, m):
    c = draft(m, title="Geheim ontwerp")
    assert client.get(reverse("publication:detail", args=[m.cbs_code, c.pk])).status_code == 404
    assert client.get(reverse("publication:document_pdf", args=[m.cbs_code, c.pk])).status_code == 404
    assert "Geheim ontwerp" not in client.get(reverse("publication:list", args=[m.cbs_code])).content.decode()
    login(client, provider(m)[0])
    assert client.get(reverse("tenders:ask", args=[m.cbs_code, c.pk])).status_code == 404


def test_a_purchasing_organisation_commissioning_is_shown_under_each_of_its_municipalities(client, m):
    other = MunicipalityFactory(name="Oegstgeest")
    po = PurchasingOrganisation.objects.create(name="Holland Rijnland")
    po.municipalities.set([m, other])
    user = get_user_model().objects.create(username="regio")
    RoleAssignment.objects.create(user=user, role=Role.PROCUREMENT_OFFICER, purchasing_organisation=po)
    TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    c = services.create_commissioning(user, purchasing_organisation=po, title="Regionaal", goals="Samen", route="open")
    login(client, user)
    for municipality in (m, other):
        assert client.get(reverse("tenders:manage", args=[municipality.cbs_code, c.pk])).status_code == 200
    third = MunicipalityFactory()
    assert client.get(reverse("tenders:manage", args=[third.cbs_code, c.pk])).status_code == 403


# --- design flow --------------------------------------------------------------------------------------------------
def test_officer_designs_and_publishes_through_the_pages(client, m, po_user):
    login(client, po_user)
    response = client.post(
        reverse("tenders:create", args=[m.cbs_code]),
        {
            "title": "Samen Meedoen",
            "goals": "Iedereen doet mee.",
            "route": Route.OPEN,
            "main_cpv": CPVCode.objects.get(code="85310000-5").pk,
            "term_years": 5,
            "option_count": 4,
            "option_years": 1,
            "tie_break": "Bij gelijke score beslist de hoogste score op het eerste criterium.",
            "lot_reasons": "Eén perceel: samenhang in de wijk.",
            "documents_electronically_available": "on",
            "short_period_reasons": "Bekende markt; 30 dagen is proportioneel.",
        },
    )
    c = Commissioning.objects.get()
    assert response.status_code == 302 and not c.is_published
    assert (
        client.post(
            manage_url(c, m, "tenders:lot_add"), {"lot-title": "Perceel 1", "lot-annual_budget": "2500000"}
        ).status_code
        == 302
    )
    anchors = {f"criterion-anchor_{s}": f"Anker {s}" for s in c.scale}
    client.post(
        manage_url(c, m, "tenders:criterion_add"), {"criterion-title": "Plan", "criterion-weight": "70", **anchors}
    )
    library = c.criteria.model._meta.apps.get_model("tenders", "LibraryCriterion").objects.get(code="prevention")
    client.post(manage_url(c, m, "tenders:criterion_library_add"), {"library-item": library.pk, "library-weight": "30"})
    soon = timezone.localtime() + timedelta(days=10)
    for kind, days in ((K.QUESTIONS, 10), (K.BIDS, 30)):
        at = (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")
        assert (
            client.post(
                manage_url(c, m, "tenders:deadline_set"), {"deadline-kind": kind, "deadline-at": at}
            ).status_code
            == 302
        )
    page = client.get(manage_url(c, m)).content.decode()
    assert "Verlicht regime voor sociale en andere specifieke diensten" in page
    assert client.post(manage_url(c, m, "tenders:publish")).status_code == 400  # no notice dispatched (art. 52)
    dispatched = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    notice = {"notice-tenderned_id": "412345", "notice-ted_id": "", "notice-dispatched_at": dispatched}
    assert client.post(manage_url(c, m, "tenders:notice_record"), notice).status_code == 302
    assert client.post(manage_url(c, m, "tenders:publish")).status_code == 400  # not yet on TED (art. 52(1))
    notice |= {"notice-receipt_confirmed_at": dispatched, "notice-ted_published_at": dispatched}
    assert client.post(manage_url(c, m, "tenders:notice_record"), notice).status_code == 302
    assert client.post(manage_url(c, m, "tenders:publish")).status_code == 302
    c.refresh_from_db()
    assert c.phase == Phase.TENDERING
    # Amsterdam time in, UTC stored: the wall-clock time the officer typed is what comes back.
    assert timezone.localtime(c.deadlines.get(kind=K.QUESTIONS).at).strftime("%H:%M") == soon.strftime("%H:%M")
    public = client.get(reverse("publication:detail", args=[m.cbs_code, c.pk]))
    assert public.status_code == 200 and "Anker 50" in public.content.decode()


@pytest.mark.parametrize(
    ("url_name", "data", "message"),
    [
        ("tenders:lot_add", {"lot-title": "P", "lot-annual_budget": "0"}, "€ 0"),
        ("tenders:lot_add", {"lot-title": "P", "lot-annual_budget": "veel"}, "lot-annual_budget"),
        ("tenders:criterion_add", {"criterion-title": "C", "criterion-weight": "120"}, "100%"),
        ("tenders:deadline_set", {"deadline-kind": "bids", "deadline-at": "morgen"}, "deadline-at"),
        (
            "tenders:reserve_add",
            {
                "reserve-kind": "transition",
                "reserve-description": "x",
                "reserve-annual_amount": "-5",
                "reserve-years": "1",
            },
            "€ 0",
        ),
    ],
)
def test_bad_design_input_is_a_400_with_the_error_next_to_the_field(client, m, po_user, url_name, data, message):
    c = draft(m, po_user)
    login(client, po_user)
    response = client.post(manage_url(c, m, url_name), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not c.lots.exists() and not c.criteria.exists() and not c.deadlines.exists()


def test_bad_term_is_a_400_with_a_dutch_message(client, m, po_user):
    login(client, po_user)
    response = client.post(
        reverse("tenders:create", args=[m.cbs_code]),
        {
            "title": "x",
            "goals": "y",
            "route": "open",
            "term_years": 5,
            "option_count": 6,
            "option_years": 1,
        },
    )
    assert response.status_code == 400
    assert "hoogstens 10 jaar" in response.content.decode() or "at most 10 years" in response.content.decode()
    assert not Commissioning.objects.exists()


def test_publishing_an_incomplete_commissioning_is_a_400(client, m, po_user):
    c = draft(m, po_user)
    login(client, po_user)
    assert client.post(manage_url(c, m, "tenders:publish")).status_code == 400
    c.refresh_from_db()
    assert not c.is_published


def test_a_transition_before_the_deadline_is_a_400_by_the_server_clock(client, m, po_user):
    c = published(m, user=po_user)
    login(client, po_user)
    response = client.post(manage_url(c, m, "tenders:transition"), {"phase": Phase.EVALUATION})
    assert response.status_code == 400
    c.refresh_from_db()
    assert c.phase == Phase.TENDERING
    assert client.post(manage_url(c, m, "tenders:transition"), {"phase": "nonsense"}).status_code == 400


# --- questions and clarifications ---------------------------------------------------------------------------------
def test_provider_asks_officer_answers_and_publishes_anonymous_numbered_clarifications(client, m, po_user):
    c = published(m, user=po_user)
    rep, _org = provider(m, "welzijnleiden")
    login(client, rep)
    assert (
        client.post(
            reverse("tenders:ask", args=[m.cbs_code, c.pk]), {"text": "Mag een consortium inschrijven?"}
        ).status_code
        == 302
    )
    client.logout()
    plain = get_user_model().objects.create(username="sociaalondernemer")  # any registered provider user
    login(client, plain)
    assert (
        client.post(reverse("tenders:ask", args=[m.cbs_code, c.pk]), {"text": "Telt cofinanciering mee?"}).status_code
        == 302
    )
    client.logout()
    login(client, po_user)
    questions = list(Question.objects.order_by("asked_at"))
    for q, topic in zip(questions, ["Inschrijven", "Budget"], strict=True):
        response = client.post(
            manage_url(c, m, "tenders:answer", q.pk), {f"q{q.pk}-answer": "Ja.", f"q{q.pk}-topic": topic}
        )
        assert response.status_code == 302
    assert client.post(manage_url(c, m, "tenders:clarify"), {"clarify-introduction": "Eerste nota"}).status_code == 302
    html = client.get(reverse("publication:clarification", args=[m.cbs_code, c.pk, 1])).content.decode()
    assert "Mag een consortium inschrijven?" in html and "welzijnleiden" not in html and "sociaalondernemer" not in html
    pdf = client.get(reverse("publication:clarification_pdf", args=[m.cbs_code, c.pk, 1]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # A later clarification numbers on.
    q3 = services.ask_question(c, plain, "Nog een vraag")
    services.answer_question(q3, po_user, answer="Nee.")
    second = services.publish_clarification(c, po_user)
    q3.refresh_from_db()
    assert second.number == 2 and q3.number == 3


def test_municipal_staff_cannot_ask_questions(client, m, po_user):
    c = published(m, user=po_user)
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    assert client.post(reverse("tenders:ask", args=[m.cbs_code, c.pk]), {"text": "?"}).status_code == 403


def test_questions_after_the_deadline_are_refused_by_the_server_clock(m, po_user):
    c = published(m, user=po_user)
    rep, _ = provider(m)
    late = c.deadlines.get(kind=K.QUESTIONS).at
    with pytest.raises(ValidationError, match="deadline for questions has passed"):
        services.ask_question(c, rep, "Te laat", now=late)
    assert not Question.objects.exists()


def test_anonymous_user_cannot_ask_and_empty_question_is_a_400(client, m, po_user):
    c = published(m, user=po_user)
    url = reverse("tenders:ask", args=[m.cbs_code, c.pk])
    assert client.post(url, {"text": "?"}).status_code == 302
    login(client, provider(m)[0])
    assert client.post(url, {"text": "   "}).status_code == 400
    assert not Question.objects.exists()


def test_only_the_officer_answers_and_publishes(client, m, po_user):
    c = published(m, user=po_user)
    rep, _ = provider(m)
    q = services.ask_question(c, rep, "Vraag")
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    assert client.post(manage_url(c, m, "tenders:answer", q.pk), {f"q{q.pk}-answer": "x"}).status_code == 403
    assert client.post(manage_url(c, m, "tenders:clarify"), {}).status_code == 403


def test_subscribers_are_emailed_about_clarifications(client, m, po_user, django_capture_on_commit_callbacks):
    c = published(m, user=po_user)
    rep, _ = provider(m)
    login(client, rep)
    assert (
        client.post(
            reverse("publication:subscribe", args=[m.cbs_code, c.pk]), {"email": "info@voorbeeld.nl"}
        ).status_code
        == 302
    )
    subscription = c.subscriptions.get()
    assert not subscription.is_confirmed, "double opt-in: active only after the mailed link is confirmed"
    client.post(reverse("publication:confirm", args=[subscription.confirm_token]))
    q = services.ask_question(c, rep, "Vraag")
    services.answer_question(q, po_user, answer="Antwoord")
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_clarification(c, po_user)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["info@voorbeeld.nl"]
    assert "/afmelden/" in mail.outbox[0].body
    token = c.subscriptions.get().token
    client.post(reverse("publication:unsubscribe", args=[token]))
    assert not c.subscriptions.exists()


def test_subscribing_with_a_bad_address_changes_nothing(client, m, po_user):
    c = published(m, user=po_user)
    login(client, provider(m)[0])
    client.post(reverse("publication:subscribe", args=[m.cbs_code, c.pk]), {"email": "geen-adres"})
    assert not c.subscriptions.exists()


# --- dialogue minutes ---------------------------------------------------------------------------------------------
def test_dialogue_minutes_are_shared_only_with_that_participant_and_the_municipality(client, m, po_user):
    c = published(m, route=Route.COMPETITIVE_DIALOGUE, user=po_user)
    a = candidate(c, "A", admit=True, user=po_user, consortium_name="Consortium A")
    b = candidate(c, "B", admit=True, user=po_user, consortium_name="Consortium B")
    rejected = candidate(c, "R", admit=False, user=po_user)
    rep_a = a.applied_by
    advance_to(c, po_user, Phase.DIALOGUE_1)
    with pytest.raises(ValidationError, match="Only admitted"):
        services.record_dialogue_session(rejected, po_user, held_at=timezone.now(), minutes="x")
    services.record_dialogue_session(a, po_user, held_at=timezone.now(), minutes="Geheim A")
    services.record_dialogue_session(b, po_user, held_at=timezone.now(), minutes="Geheim B")
    url = reverse("tenders:dialogue", args=[m.cbs_code, c.pk])
    login(client, rep_a)
    page = client.get(url).content.decode()
    assert "Geheim A" in page and "Geheim B" not in page
    client.logout()
    login(client, po_user)
    page = client.get(url).content.decode()
    assert "Geheim A" in page and "Geheim B" in page
    client.logout()
    for outsider in (provider(m, "c")[0], rejected.applied_by):
        login(client, outsider)
        assert client.get(url).status_code == 403
        client.logout()
    client.logout()
    assert client.get(url).status_code == 302
    assert "Geheim" not in client.get(reverse("publication:detail", args=[m.cbs_code, c.pk])).content.decode()


def test_public_pages_and_tender_document_pdf(client, m, po_user):
    c = published(m, user=po_user)
    services.add_info_session(c, po_user, title="Spotlight", held_at=timezone.now(), summary="Uitleg over de procedure")
    assert "Spotlight" in client.get(reverse("publication:detail", args=[m.cbs_code, c.pk])).content.decode()
    assert c.title in client.get(reverse("publication:list", args=[m.cbs_code])).content.decode()
    pdf = client.get(reverse("publication:document_pdf", args=[m.cbs_code, c.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_lot_scope_is_edited_in_a_draft_and_the_overview_follows(client, m, po_user):
    c = draft(m, po_user)
    lot = services.save_lot(c, po_user, title="Perceel", annual_budget=1000)
    org = Organisation.objects.create(municipality=m, name="Buurthuis", kind="volunteer_only")
    activity = Activity.objects.create(organisation=org, title="Koffie-inloop")
    login(client, po_user)
    url = manage_url(c, m, "tenders:lot_edit", lot.pk)
    assert client.get(url).status_code == 200
    assert "Koffie-inloop" in client.get(manage_url(c, m)).content.decode()  # in no lot yet
    response = client.post(url, {"lot-title": "Perceel", "lot-annual_budget": "2000", "lot-activities": [activity.pk]})
    assert response.status_code == 302
    assert list(lot.activities.all()) == [activity]
    assert client.post(url, {"lot-title": "Perceel", "lot-annual_budget": "-1"}).status_code == 400
    lot.refresh_from_db()
    assert lot.annual_budget == 2000


def test_lot_of_a_published_commissioning_changes_only_by_a_rectification_of_the_officer(client, m, po_user):
    c = published(m, user=po_user)
    lot = c.lots.get()
    activity = Activity.objects.create(
        organisation=Organisation.objects.create(municipality=m, name="Buurthuis", kind="volunteer_only"),
        title="Koffie-inloop",
    )
    url = manage_url(c, m, "tenders:lot_edit", lot.pk)
    login(client, user_with_role(Role.POLICY_ADVISOR, m))
    assert client.get(url).status_code == 403
    client.logout()
    login(client, po_user)
    assert "rectificatie" in client.get(url).content.decode()
    bids = timezone.localtime(c.deadlines.get(kind=K.BIDS).at).strftime("%Y-%m-%dT%H:%M")
    form = {"lot-title": "Perceel 1", "lot-annual_budget": "1000000", "lot-submission_deadline": bids}
    assert client.post(url, form).status_code == 400  # no explanation
    richer = client.post(url, {**form, "lot-explanation": "Meer budget", "lot-annual_budget": "1500000"})
    assert richer.status_code == 400 and "materiële wijziging" in richer.content.decode()
    assert not c.rectifications.exists()
    scope = {**form, "lot-explanation": "Koffie-inloop hoort erbij", "lot-activities": [activity.pk]}
    assert client.post(url, scope).status_code == 400  # a change of scope is material too (Directive art. 47(3))
    later = c.deadlines.get(kind=K.BIDS).at + timedelta(days=10, minutes=1)
    later = timezone.localtime(later).strftime("%Y-%m-%dT%H:%M")
    assert client.post(url, {**scope, "lot-submission_deadline": later}).status_code == 302
    assert list(lot.activities.all()) == [activity]
    assert c.rectifications.get().changes[0]["after"] == "Koffie-inloop"
    page = client.get(reverse("publication:detail", args=[m.cbs_code, c.pk])).content.decode()
    assert "gewijzigd bij rectificatie 1 (overgenomen activiteiten, was: –)" in page
