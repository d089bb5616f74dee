"""Pages of economic operators: register, confirm the address, colleagues, the optional second factor, and the
municipality's page to confirm matches with its landscape registry."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from core import otp
from core import services as core_services
from core.access import login_view, public_view, role_view

from .. import rules, selectors, services
from ..models import EconomicOperator, OperatorMatch
from ..operator_forms import InviteForm, NewAccountForm, RegistrationForm, TotpForm, add_service_errors

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _own_operator(request, pk) -> EconomicOperator:
    """An operator the user acts for; any other is 404 (its existence is not disclosed)."""
    operator = get_object_or_404(EconomicOperator, pk=pk)
    if not rules.is_member(request.user, operator):
        raise Http404
    return operator


@public_view
def register(request):
    """Anyone registers an organisation; without a session also an account (username = e-mail address)."""
    logged_in = request.user.is_authenticated
    form = RegistrationForm(request.POST if request.method == "POST" else None, with_account=not logged_in)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k not in ("password", "password_again")}
        try:
            operator = services.register_operator(
                user=request.user if logged_in else None, password=form.cleaned_data.get("password", ""), **values
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            if not logged_in:
                login(request, operator.members.get().user, backend=BACKEND)
            messages.success(request, _("Registered. We sent a link to confirm the e-mail address."))
            return redirect("bids:operator", operator.pk)
    return render(request, "bids/operators_register.html", {"form": form}, status=400 if form.errors else 200)


@public_view
def confirm(request, token):
    """The link from the registration mail. A GET only shows a button (mail scanners follow links)."""
    if request.method == "POST":
        try:
            operator = services.confirm_operator_email(token)
        except ValidationError as e:
            return render(request, "bids/operators_token.html", {"error": e.messages[0]}, status=400)
        messages.success(request, _("The e-mail address of %(name)s is confirmed.") % {"name": operator.name})
        return (
            redirect("bids:operator", operator.pk)
            if rules.is_member(request.user, operator)
            else redirect("core:login")
        )
    return render(request, "bids/operators_token.html", {"confirming": True})


@login_view
def mine(request):
    return render(
        request,
        "bids/operators_mine.html",
        {"operators": selectors.operators_of(request.user), "has_totp": bool(otp.confirmed_device(request.user))},
    )


@login_view
def detail(request, pk):
    operator = _own_operator(request, pk)
    is_manager = rules.is_manager(request.user, operator)
    return render(
        request,
        "bids/operators_detail.html",
        {
            "operator": operator,
            "members": operator.members.select_related("user").order_by("joined_at"),
            "matches": operator.matches.select_related("organisation__municipality"),
            "may_invite": is_manager and rules.operator_may_take_part(operator),
            "may_resend": is_manager and not rules.operator_may_take_part(operator),
            "confirmed": rules.operator_may_take_part(operator),
            "invite_form": InviteForm(),
            "has_totp": bool(otp.confirmed_device(request.user)),
        },
    )


@require_POST
@login_view
def invite(request, pk):
    operator = _own_operator(request, pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.invite_colleague(operator, request.user, form.cleaned_data["email"])
        except ValidationError as e:
            if getattr(e, "code", None) == "forbidden":
                raise Http404 from e
            add_service_errors(form, e)
        else:
            messages.success(request, _("Invitation sent."))
            return redirect("bids:operator", operator.pk)
    return render(
        request,
        "bids/operators_detail.html",
        {"operator": operator, "invite_form": form, "may_invite": True, "confirmed": True},
        status=400,
    )


@require_POST
@login_view
def resend(request, pk):
    operator = _own_operator(request, pk)
    try:
        services.resend_confirmation(operator, request.user)
    except ValidationError as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, _("We sent a new link to confirm the e-mail address."))
    return redirect("bids:operator", operator.pk)


@require_POST
@login_view
def rematch(request, pk):
    """Look for matching organisations in the landscape registries again (e.g. after a municipality's import)."""
    operator = _own_operator(request, pk)
    created = services.propose_matches(operator, request.user)
    messages.success(request, _("New matches proposed: %(n)s.") % {"n": len(created)})
    return redirect("bids:operator", operator.pk)


@public_view
def accept(request, token):
    """A colleague's invitation: logged in, accept with a button; otherwise make an account for the invited address
    (or log in first)."""
    form = None if request.user.is_authenticated else NewAccountForm(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            member = services.accept_invitation(
                token,
                user=request.user if form is None else None,
                password=form.cleaned_data["password"] if form else "",
            )
        except ValidationError as e:
            if form is None or not hasattr(e, "error_dict"):
                return render(request, "bids/operators_token.html", {"error": e.messages[0]}, status=400)
            add_service_errors(form, e)
        else:
            if form is not None:
                login(request, member.user, backend=BACKEND)
            messages.success(request, _("You now act for %(name)s.") % {"name": member.operator.name})
            return redirect("bids:operator", member.operator_id)
    status = 400 if form is not None and form.errors else 200
    return render(request, "bids/operators_accept.html", {"form": form, "token": token}, status=status)


@login_view
def second_factor(request):
    """Provider accounts need no second factor but may link an authenticator app (core.otp, the same enrolment
    as municipal staff); from then on their login asks for its code."""
    if otp.confirmed_device(request.user):
        return render(request, "bids/operators_totp.html", {"linked": True})
    device = otp.enrolment_device(request.session, request.user)  # unsaved: a GET writes nothing
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.verify_enrolment(device, form.cleaned_data["token"].strip()):
            device = core_services.confirm_totp_device(request.user, device.key, actor=request.user)
            request.session.pop(otp.ENROL_KEY, None)
            otp_login(request, device)
            messages.success(request, _("Your authenticator app is linked."))
            return redirect("bids:mine")
        form.add_error("token", _("This code is not correct or has expired."))
    context = {"form": form, "qr_svg": otp.qr_svg(device), "secret": otp.secret_base32(device)}
    return render(request, "bids/operators_totp.html", context, status=400 if form.errors else 200)


@role_view(*services.operators.MATCH_DECIDERS)
def matches(request, municipality):
    """Proposed matches of registered operators with organisations of this municipality's landscape."""
    if request.method == "POST":
        match = get_object_or_404(
            OperatorMatch, pk=request.POST.get("match"), organisation__municipality=request.municipality
        )
        try:
            services.decide_match(match, request.user, confirm=request.POST.get("decision") == "confirm")
        except ValidationError as e:
            messages.error(request, e.messages[0])
            return redirect("bids:matches", request.municipality.cbs_code)
        messages.success(request, _("Decision saved."))
        return redirect("bids:matches", request.municipality.cbs_code)
    return render(
        request,
        "bids/operators_matches.html",
        {"matches": selectors.proposed_matches(request.municipality), "proposed": OperatorMatch.Status.PROPOSED},
    )
