"""Home, accessibility statement, login with two factors, job progress."""

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login

from . import otp, services, throttle
from .access import has_role, login_view, municipalities_for, needs_second_factor, public_view
from .forms import LoginForm, TokenForm, locked_message
from .models import Job, Municipality, Role
from .page_cache import cached_public
from .signals import second_factor_failed

PENDING = "wijkwaarde_pending_user"
PENDING_NEXT = "wijkwaarde_pending_next"


@public_view
def health(request):
    """Liveness for load balancers and the yardstick of bench_pages: no database, no template."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@cached_public
@public_view
def home(request):
    return render(
        request,
        "core/home.html",
        {
            "municipalities": Municipality.objects.all(),
            "my_municipalities": municipalities_for(request.user),
        },
    )


# The date the accessibility statement was last reviewed: change it with the statement.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 11, 24)


@cached_public
@public_view
def accessibility(request):
    return render(request, "core/accessibility.html", {"statement_date": ACCESSIBILITY_STATEMENT_DATE})


# The language switch sits on every page. A CSRF token in it would make every page personal (and uncacheable); a forged
# switch can only change the language of the visitor's next page, so the switch takes no token.
set_language = public_view(csrf_exempt(django_set_language))


@public_view
def favicon(request):
    """Browsers ask for /favicon.ico on every site: send them to the static icon (a temporary redirect, because the
    icon's URL carries a content hash in production that changes when the icon does)."""
    return redirect(static("img/favicon.svg"))


def _safe_next(request, value):
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return "/"


@public_view
def login_page(request):
    """Step 1: username and password. Municipal staff continue to the second factor before they are logged in."""
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        user = form.user
        if needs_second_factor(user) or otp.confirmed_device(user):  # providers who linked an app too
            request.session[PENDING] = user.pk
            request.session[PENDING_NEXT] = next_url
            if otp.confirmed_device(user):
                return redirect("core:login_token")
            return redirect("core:login_enrol")
        login(request, user)  # the failure count was cleared under its lock (LoginForm)
        return redirect(next_url)
    return render(request, "core/login.html", {"form": form, "next": next_url})


def _pending_user(request):
    pk = request.session.get(PENDING)
    if not pk:
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()


def _abandon_login(request, message):
    """Back to step 1: the pending password step no longer counts."""
    request.session.pop(PENDING, None)
    request.session.pop(PENDING_NEXT, None)
    messages.error(request, message)
    return redirect("core:login")


def _second_step(request, user, device, template, context):
    """Check the code of `device` (steps 2a and 2b). Wrong codes count towards the lock of the username; a locked
    username goes back to the login page. Returns the response."""
    username = user.get_username()
    if throttle.seconds_locked(username):
        return _abandon_login(request, locked_message(username))
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        enrolling = device.pk is None  # enrolment: the device is stored only now, confirmed, with an audit event
        checked = []

        def check():
            checked.append(True)
            return otp.verify_enrolment(device, token) if enrolling else device.verify_token(token)

        # Lock checked, code verified and a failure counted under the username's row lock (core.throttle).
        outcome, _ok = throttle.guarded(username, check, reset_on_success=True)
        if outcome is throttle.Outcome.OK:
            if enrolling:
                device = services.confirm_totp_device(user, device.key, actor=user)
                request.session.pop(otp.ENROL_KEY, None)
            return _finish_login(request, user, device)
        if checked:
            second_factor_failed.send(sender=_second_step, user=user, request=request)  # audited; never the code
        if outcome is throttle.Outcome.LOCKED:
            return _abandon_login(request, locked_message(username))
        form.add_error("token", _("This code is not correct or has expired."))
    hint = otp.demo_hint(device)
    return render(request, template, {"form": form, "demo_token": hint, **context})


def _finish_login(request, user, device):
    next_url = request.session.pop(PENDING_NEXT, "/")
    request.session.pop(PENDING, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    return redirect(next_url)


@public_view
def login_token(request):
    """Step 2: the TOTP code of the linked authenticator app."""
    user = _pending_user(request)
    device = otp.confirmed_device(user) if user else None
    if device is None:
        return redirect("core:login")
    return _second_step(request, user, device, "core/login_token.html", {})


@public_view
def login_enrol(request):
    """First login of municipal staff: link an authenticator app (QR code or key), then confirm with a code."""
    user = _pending_user(request)
    if user is None:
        return redirect("core:login")
    if otp.confirmed_device(user):
        return redirect("core:login_token")
    device = otp.enrolment_device(request.session, user)  # unsaved: a GET writes nothing
    context = {"qr_svg": otp.qr_svg(device), "secret": otp.secret_base32(device)}
    return _second_step(request, user, device, "core/login_enrol.html", context)


@require_POST
@public_view
def logout_page(request):
    logout(request)
    messages.info(request, _("You are logged out."))
    return redirect("core:home")


@login_view
def job_status(request, job_id):
    """Progress of a background job: its owner, or a municipal role holder of its municipality, may look."""
    job = get_object_or_404(Job, pk=job_id)
    if job.created_by_id != request.user.pk and not (
        job.municipality and has_role(request.user, set(Role.values) - {Role.PROVIDER_REPRESENTATIVE}, job.municipality)
    ):
        raise Http404
    if not request.headers.get("HX-Request"):
        return render(request, "core/job_status.html", {"job": job})
    # `follow`: a page that shows the result itself (e.g. the import page) is reloaded on it once the job is done.
    follow = request.GET.get("follow") == "1"
    response = render(request, "core/_job_progress.html", {"job": job, "fragment": True, "follow": follow})
    if follow and job.status == Job.Status.DONE and job.result.get("redirect"):
        response["HX-Redirect"] = job.result["redirect"]
    return response
