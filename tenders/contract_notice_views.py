"""Recording the dispatch of the contract notice to TenderNed/TED (procurement officer)."""

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
        _("The dispatch of the notice was recorded."),
    )
