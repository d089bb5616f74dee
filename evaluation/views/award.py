"""The procurement officer's award page per lot: the ranking, the award decision (Aw 2.130; rank 1 preselected, the
tie-break explained when totals are equal), the letters, withdrawal, the winner's evidence (Directive art. 59(4)),
summary proceedings and judgments, debriefing requests with their due dates (art. 55(2)), and the definitive award
after the standstill (Aw 2.127), which makes the contract record."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import role_view
from core.models import Role
from tenders import selectors as tender_selectors

from .. import award_rules, selectors, services
from ..forms import AwardForm, TextForm, add_errors
from ..models import AwardDecision, AwardLetter, CriteriaSnapshot, DebriefingRequest, SummaryProceedings
from . import private

OFFICER = Role.PROCUREMENT_OFFICER
LABELS = {
    "withdraw": gettext_lazy("Reason for withdrawing the decision"),
    "proceedings": gettext_lazy("Claimant"),
    "judgment": gettext_lazy("Judgment (summary)"),
    "answer": gettext_lazy("Answer"),
}


def _lot(request, pk, lot):
    c = tender_selectors.get_for(request.user, request.municipality, pk)
    return c, get_object_or_404(c.lots, pk=lot)


def _award_form(committee, snapshot, ranking, data=None):
    names = {r["submission"].pk: f"{r['rank']}. {r['submission']} ({r['total']})" for r in ranking}
    first = next((r["submission"].pk for r in ranking if r["rank"] == 1), None)
    return AwardForm(data, initial={"winner": first}, choices=list(names.items()))


def _text_form(name, pk="", data=None):
    return TextForm(data, label=LABELS[name], prefix=f"{name}{pk}")


def _page(request, c, lot, *, award_form=None, forms=None, status=200):
    committee = lot.committees.first()
    snapshot = CriteriaSnapshot.objects.filter(commissioning=c).first()
    ranking = selectors.ranking(committee, snapshot) if committee and snapshot else []
    excluded = selectors.excluded(committee, snapshot) if committee and snapshot else []
    decision = award_rules.standing_decision(lot)
    now = timezone.now()
    forms = forms or {}
    context = {
        "commissioning": c,
        "lot": lot,
        "committee": committee,
        "ranking": ranking,
        "excluded": excluded,
        "tie": any(r["tie"] and r["rank"] == 1 for r in ranking),
        "decision": decision,
        "history": AwardDecision.objects.filter(lot=lot, withdrawn_at__isnull=False),
        "award_form": award_form or (_award_form(committee, snapshot, ranking) if ranking and not decision else None),
        "forms": {name: forms.get(name) or _text_form(name) for name in ("withdraw", "proceedings")},
        "now": now,
    }
    if decision:
        context.update(
            letters=decision.letters.select_related("submission__lead"),
            proceedings=[
                {"row": p, "form": forms.get(f"judgment{p.pk}") or _text_form("judgment", p.pk)}
                for p in decision.proceedings.all()
            ],
            debriefings=[
                {
                    "row": d,
                    "overdue": d.answered_at is None and d.due_at < now,
                    "form": forms.get(f"answer{d.pk}") or _text_form("answer", d.pk),
                }
                for d in decision.debriefings.select_related("submission__lead").order_by("due_at")
            ],
            definitive_errors=award_rules.definitive_errors(decision, now),
            contract=getattr(decision, "contract", None) if decision.definitive_at else None,
        )
    return private(render(request, "evaluation/award.html", context, status=status))


@role_view(OFFICER)
def award(request, municipality, pk, lot):
    c, lot = _lot(request, pk, lot)
    return _page(request, c, lot)


@require_POST
@role_view(OFFICER)
def decide(request, municipality, pk, lot):
    c, lot = _lot(request, pk, lot)
    committee = lot.committees.first()
    snapshot = CriteriaSnapshot.objects.filter(commissioning=c).first()
    if committee is None or snapshot is None:
        raise Http404
    ranking = selectors.ranking(committee, snapshot)
    form = _award_form(committee, snapshot, ranking, request.POST)
    if form.is_valid():
        winner = next(r["submission"] for r in ranking if r["submission"].pk == form.cleaned_data["winner"])
        try:
            services.decide_award(
                lot,
                actor=request.user,
                winner=winner,
                characteristics=form.cleaned_data["characteristics"],
                tie_break=form.cleaned_data["tie_break"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The award decision was sent to every tenderer."))
            return redirect("evaluation:award", municipality, c.pk, lot.pk)
    return _page(request, c, lot, award_form=form, status=400)


def _decision(lot, decision):
    return get_object_or_404(AwardDecision, lot=lot, pk=decision)


def _text_action(request, municipality, pk, lot, name, act, done, row=""):
    """A POST with one text field (form `name`, of row `row`), passed to `act(lot, text)`; back to the award page,
    or the page again with the form's errors (400)."""
    c, lot = _lot(request, pk, lot)
    form = _text_form(name, row, request.POST)
    if form.is_valid():
        try:
            act(lot, form.cleaned_data["text"])
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("evaluation:award", municipality, c.pk, lot.pk)
    return _page(request, c, lot, forms={f"{name}{row}": form}, status=400)


@require_POST
@role_view(OFFICER)
def withdraw(request, municipality, pk, lot, decision):
    def act(lot, text):
        services.withdraw_award(_decision(lot, decision), actor=request.user, reason=text)

    return _text_action(request, municipality, pk, lot, "withdraw", act, _("The award decision was withdrawn."))


@require_POST
@role_view(OFFICER)
def proceedings(request, municipality, pk, lot, decision):
    def act(lot, text):
        services.register_proceedings(_decision(lot, decision), actor=request.user, claimant=text)

    return _text_action(
        request, municipality, pk, lot, "proceedings", act, _("The summary proceedings were registered.")
    )


@require_POST
@role_view(OFFICER)
def judgment(request, municipality, pk, lot, proceedings):
    def act(lot, text):
        row = get_object_or_404(SummaryProceedings, decision__lot=lot, pk=proceedings)
        services.record_judgment(row, actor=request.user, judgment=text)

    return _text_action(request, municipality, pk, lot, "judgment", act, _("The judgment was recorded."), proceedings)


@require_POST
@role_view(OFFICER)
def answer(request, municipality, pk, lot, debriefing):
    def act(lot, text):
        row = get_object_or_404(DebriefingRequest, decision__lot=lot, pk=debriefing)
        services.answer_debriefing(row, actor=request.user, answer=text)

    return _text_action(request, municipality, pk, lot, "answer", act, _("The answer was recorded."), debriefing)


def _simple(request, municipality, pk, lot, decision, act, done):
    c, lot = _lot(request, pk, lot)
    try:
        act(_decision(lot, decision))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("evaluation:award", municipality, c.pk, lot.pk)


@require_POST
@role_view(OFFICER)
def evidence(request, municipality, pk, lot, decision):
    def act(d):
        services.record_evidence(d, actor=request.user)

    return _simple(request, municipality, pk, lot, decision, act, _("The winner's evidence was recorded."))


@require_POST
@role_view(OFFICER)
def definitive(request, municipality, pk, lot, decision):
    def act(d):
        services.make_definitive(d, actor=request.user)

    return _simple(
        request, municipality, pk, lot, decision, act, _("The award is definitive; the contract record was made.")
    )


@role_view(OFFICER)
def letter(request, municipality, pk, lot, letter):
    _c, lot = _lot(request, pk, lot)
    row = get_object_or_404(AwardLetter, decision__lot=lot, pk=letter)
    return private(letter_response(row))


def letter_response(row):
    if not row.pdf:
        raise Http404
    response = FileResponse(row.pdf.open("rb"), filename=f"gunningsbeslissing-{row.pk}.pdf", as_attachment=True)
    response["Content-Type"] = "application/pdf"
    return response
