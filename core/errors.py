"""Error pages (400, 403, 404, 500): in Dutch, in the site's layout; under /api/ a JSON body {"detail": …} as the
OpenAPI document says (core/api_schema.py). Wired in wijkwaarde/urls.py (handler400 …)."""

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from .access import public_view

API_PREFIX = "/api/"


def _messages():
    return {
        400: (_("Bad request"), _("The address or the data sent cannot be processed. Check what you entered.")),
        403: (_("No access"), _("You may not view this page. Log in with an account that has access.")),
        404: (_("Page not found"), _("This page does not exist (any more), or it is not public.")),
        500: (
            _("Something went wrong"),
            _("An error on our side stopped this page. It has been logged; please try again later."),
        ),
    }


def _respond(request, status, *, with_request=True):
    title, text = _messages()[status]
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": title + ". " + text}, status=status)
    template = loader.get_template("error.html")
    context = {"status": status, "title": title, "text": text}
    # The 500 page renders without the request's context processors: they query the database, which may be the
    # cause of the error.
    body = template.render(context, request if with_request else None)
    return HttpResponse(body, status=status)


@requires_csrf_token
@public_view
def bad_request(request, exception=None):
    return _respond(request, 400)


@requires_csrf_token
@public_view
def permission_denied(request, exception=None):
    return _respond(request, 403)


@requires_csrf_token
@public_view
def page_not_found(request, exception=None):
    return _respond(request, 404)


@requires_csrf_token
@public_view
def server_error(request):
    return _respond(request, 500, with_request=False)
