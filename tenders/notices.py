"""Reading a cancellation notice: who may see it, its reference and title, and its PDF (WeasyPrint, core.pdf)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from core.access import has_role, represented_organisation_ids
from core.models import Role
from core.pdf import render_pdf

from .notice_models import CancellationNotice

TEMPLATE = "tenders/notice_pdf.html"
STAFF = (Role.POLICY_ADVISOR, Role.PROCUREMENT_OFFICER)


def visible_notices(user, municipality, commissioning):
    """The municipality's staff see every notice of its commissioning; a recipient sees those addressed to them or
    to an organisation they represent; anyone else none."""
    notices = commissioning.cancellation_notices.select_related("organisation")
    if has_role(user, STAFF, municipality):
        return notices
    return notices.filter(Q(user=user) | Q(organisation_id__in=represented_organisation_ids(user)))


def reference(notice: CancellationNotice) -> str:
    return f"WW-{notice.commissioning_id}-{notice.number}"


def title(notice: CancellationNotice) -> str:
    if notice.is_decision:
        return _("Decision on your application: the grant round is cancelled")
    return _("Notice: the procedure is cancelled")


def filename(notice: CancellationNotice) -> str:
    return f"{'beschikking' if notice.is_decision else 'intrekking'}-{reference(notice)}.pdf"


def context(notice: CancellationNotice) -> dict:
    """What the notice's print template (TEMPLATE) shows: the sender, the recipient, reference, reasons and, for a
    decision, the objection clause."""
    c = notice.commissioning
    owner = c.municipality or c.purchasing_organisation
    sender = _("Municipality of %(name)s") % {"name": owner.name} if c.municipality_id else owner.name
    return {
        "notice": notice,
        "commissioning": c,
        "title": title(notice),
        "reference": reference(notice),
        "sender": sender,
    }


def pdf(notice: CancellationNotice) -> bytes:
    return render_pdf(TEMPLATE, context(notice))
