"""The notices of a cancelled procedure (tenders.notices): the list and each notice as a PDF, for the municipality's
staff (all notices) and for each recipient (their own). Anyone else gets 403; an unknown or unpublished
commissioning, or a notice of another commissioning, 404."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from core.access import has_role, login_view

from . import notices, selectors


def _commissioning(request, pk):
    c = selectors.published(request.municipality).filter(pk=pk).first()
    if c is None:
        raise Http404
    return c


@login_view
def notice_list(request, municipality, pk):
    c = _commissioning(request, pk)
    visible = list(notices.visible_notices(request.user, request.municipality, c))
    is_staff = has_role(request.user, notices.STAFF, request.municipality)
    if not visible and not is_staff:
        raise PermissionDenied
    for notice in visible:
        notice.title = notices.title(notice)
        notice.reference = notices.reference(notice)
    return render(request, "tenders/notices.html", {"commissioning": c, "notices": visible, "is_staff": is_staff})


@login_view
def notice_pdf(request, municipality, pk, notice):
    c = _commissioning(request, pk)
    found = c.cancellation_notices.filter(pk=notice).first()
    if found is None:
        raise Http404
    if not notices.visible_notices(request.user, request.municipality, c).filter(pk=found.pk).exists():
        raise PermissionDenied
    response = HttpResponse(notices.pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{notices.filename(found)}"'
    return response
