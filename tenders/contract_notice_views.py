"""Recording the contract notice (procurement officer): its dispatch to TenderNed/TED, the confirmation of its
receipt and its publication on TED."""

from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import role_view

from . import services
from .notice_forms import NoticeForm
from .views import OFFICER, _get, _submit


@require_POST
@role_view(OFFICER)
def notice_record(request, municipality, pk):
    c = _get(request, pk)
    form = NoticeForm(request.POST, commissioning=c)
    return _submit(
        request,
        c,
        "notice_form",
        form,
        lambda d: services.record_notice(c, request.user, **d),
        _("The contract notice was recorded."),
    )
