"""Public pages (no login): the commissionings of a municipality with their lots, budgets, criteria, timeline,
clarifications and documents; subscriptions for providers; the OCDS publication policy."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bids import submission_rules as bid_rules
from core.access import login_view, public_view
from core.page_cache import cached_public
from core.pdf import pdf_response
from evaluation import selectors as evaluation_selectors
from tenders import regime, rules, selectors
from tenders.models import Clarification
from tenders.rules import applications_open

from . import award_notice, ocds, services
from .models import Subscription


def _public(request, pk):
    """Only published commissionings exist for the public (a draft is a 404, even for its designers here)."""
    c = selectors.published(request.municipality).filter(pk=pk).first()
    if c is None:
        raise Http404
    return c


def document_context(c) -> dict:
    """Everything the public page and the tender document PDF show."""
    clarifications = list(c.clarifications.prefetch_related("questions__lot"))
    rectifications = list(c.rectifications.all())
    notes = selectors.amendment_notes(rectifications)
    lots, criteria = list(c.lots.prefetch_related("kpis")), selectors.criteria_tree(c)
    selectors.annotate_amendments(notes, lots, criteria)
    return {
        "commissioning": c,
        "lots": lots,
        "reserved": list(c.reserved_lines.all()),
        "criteria": criteria,
        "timeline": sorted(
            selectors.timeline(c, notes) + evaluation_selectors.timeline_items(c, timezone.now()),
            key=lambda item: item["at"],
        ),
        "phases": selectors.route_phases(c),
        "threshold": (threshold := rules.check_threshold(c, regime.regime_date(c))),
        "regime_label": rules.REGIME_LABELS[threshold.regime],
        "additional_cpv": list(c.additional_cpv.all()),
        "clarifications": clarifications,
        "rectifications": rectifications,
        "applications_open": applications_open(c),
        "generated_at": timezone.now(),
        "info_sessions": list(c.info_sessions.all()),
    }


@cached_public
@public_view
def commissioning_list(request, municipality):
    items = selectors.published(request.municipality).select_related("purchasing_organisation")
    return render(request, "publication/list.html", {"commissionings": items})


@cached_public
@public_view
def detail(request, municipality, pk):
    c = _public(request, pk)
    context = document_context(c)
    context["ocid"] = ocds.ocid(c)
    now = timezone.now()
    context["awards"] = award_notice.notice(c, now)
    if context["awards"]:
        items = context["timeline"] + award_notice.timeline_items(context["awards"], now)
        context["timeline"] = sorted(items, key=lambda i: i["at"])
    subscription = (
        Subscription.objects.filter(commissioning=c, user=request.user).first()
        if request.user.is_authenticated
        else None
    )
    context["subscribed"] = subscription is not None and subscription.is_confirmed
    context["subscription_pending"] = subscription is not None and not subscription.is_confirmed
    context["subscription_email"] = subscription.email if subscription else ""
    # Members of a registered economic operator get the way in to bid (anonymous pages stay the same for everyone).
    context["may_bid"] = request.user.is_authenticated and bid_rules.may_start_any(request.user, c, timezone.now())
    return render(request, "publication/detail.html", context)


@cached_public
@public_view
def document_pdf(request, municipality, pk):
    c = _public(request, pk)
    return pdf_response("publication/document_pdf.html", document_context(c), f"aanbestedingsdocument-{c.pk}.pdf")


def _clarification(request, pk, number):
    c = _public(request, pk)
    clarification = get_object_or_404(Clarification, commissioning=c, number=number)
    return {
        "commissioning": c,
        "clarification": clarification,
        "questions": list(clarification.questions.select_related("lot").order_by("number")),
    }


@cached_public
@public_view
def clarification(request, municipality, pk, number):
    return render(request, "publication/clarification.html", _clarification(request, pk, number))


@cached_public
@public_view
def clarification_pdf(request, municipality, pk, number):
    context = _clarification(request, pk, number)
    return pdf_response("publication/clarification_pdf.html", context, f"nota-van-inlichtingen-{pk}-{number}.pdf")


@require_POST
@login_view
def subscribe(request, municipality, pk):
    c = _public(request, pk)
    try:
        subscription = services.subscribe(c, request.user, request.POST.get("email") or request.user.email)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if subscription.is_confirmed:
            messages.success(request, _("You already receive an e-mail about every change."))
        else:
            messages.success(
                request,
                _("We sent a link to %(email)s. Your subscription starts when you open that link and confirm it.")
                % {"email": subscription.email},
            )
    return redirect("publication:detail", municipality, pk)


@public_view
def confirm(request, token):
    """The link in the confirmation mail. Opening it (GET) changes nothing — mail scanners open links too —; the
    button on the page (POST) confirms the subscription."""
    subscription = Subscription.objects.select_related("commissioning").filter(confirm_token=token).first()
    if subscription is None:
        raise Http404
    c = subscription.commissioning
    if request.method == "POST":
        services.confirm_subscription(token)
        messages.success(request, _("Confirmed: you will receive an e-mail about every change."))
        return redirect("publication:detail", c.municipalities()[0].cbs_code, c.pk)
    return render(request, "publication/confirm.html", {"subscription": subscription, "commissioning": c})


@csrf_exempt
@public_view
def unsubscribe(request, token):
    """Stop the e-mails. The secret token in the link is the authorisation, so a mail client's one-click POST
    (RFC 8058, `List-Unsubscribe=One-Click`, without a CSRF token) works as well as the button on the page."""
    if request.method == "POST":
        stopped = services.unsubscribe(token)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(status=200 if stopped else 404)
        if stopped:
            messages.success(request, _("You will no longer receive e-mails about this commissioning."))
        return redirect("core:home")
    if not Subscription.objects.filter(token=token).exists():
        raise Http404
    return render(request, "publication/unsubscribe.html")


@cached_public
@public_view
def ocds_policy(request):
    return render(request, "publication/ocds_policy.html")
