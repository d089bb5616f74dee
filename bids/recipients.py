"""Who bids tells tenders about when a procedure is cancelled (tenders.recipients, Directive 2014/24/EU art. 55(1)):
the lead operator of every submitted bid (a tenderer) and of every submitted request to participate that has no
candidate record yet (a candidate; once it has one, tenders tells that candidate itself). A withdrawn or draft
submission is not told. Registered in BidsConfig.ready; reads only."""

from tenders import recipients

from .models import OperatorMatch, Submission


@recipients.register
def submitters(commissioning) -> list[recipients.Recipient]:
    submissions = list(
        Submission.objects.filter(commissioning=commissioning, status=Submission.Status.SUBMITTED)
        .select_related("lead", "created_by")
        .order_by("kind", "id")
    )
    # The landscape organisation a municipality confirmed for an operator, so that it is told once.
    organisations = dict(
        OperatorMatch.objects.filter(
            operator_id__in={s.lead_id for s in submissions}, status=OperatorMatch.Status.CONFIRMED
        ).values_list("operator_id", "organisation_id")
    )
    return [
        recipients.Recipient(
            recipients.TENDERER if s.kind == Submission.Kind.BID else recipients.CANDIDATE,
            str(s),
            s.lead.contact_email,
            s.created_by,
            organisations.get(s.lead_id),
        )
        for s in submissions
        if s.kind == Submission.Kind.BID or s.candidate_id is None
    ]
