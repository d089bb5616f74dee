"""Forms of a published procedure: rectifications, cancelling, questions and their answers, clarifications and
information sessions. They only parse input; the services decide. Re-exported by tenders.forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .form_fields import DateTimeField, clean_minimum, minimum_field
from .models import Route


class RectificationForm(forms.Form):
    """Everything a rectification may change, filled in with the current values; only what differs is changed."""

    explanation = forms.CharField(label=_("What is corrected, and why"), widget=forms.Textarea(attrs={"rows": 3}))
    title = forms.CharField(label=_("Title"), max_length=255)
    goals = forms.CharField(label=_("Goals in plain language"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, commissioning, **kwargs):
        super().__init__(*args, prefix="rectify", **kwargs)
        self.commissioning = commissioning
        self.initial.update({"title": commissioning.title, "goals": commissioning.goals})
        self.lots = list(commissioning.lots.all())
        self.criteria = list(commissioning.criteria.prefetch_related("anchors").select_related("parent"))
        self.deadlines = list(commissioning.deadlines.all())
        for lot in self.lots:
            self._add(
                f"lot_{lot.pk}",
                forms.DecimalField(
                    label=_("Budget per year, lot %(n)s") % {"n": lot.number}, max_digits=14, decimal_places=2
                ),
                lot.annual_budget,
            )
            self._add(
                f"lot_{lot.pk}_description",
                forms.CharField(
                    label=_("Description, lot %(n)s") % {"n": lot.number},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                ),
                lot.description,
            )
        parents = {c.parent_id for c in self.criteria}
        for criterion in self.criteria:
            self._add(
                f"criterion_{criterion.pk}_weight",
                forms.DecimalField(
                    label=_("Weight (%%) of “%(title)s”") % {"title": criterion.title}, max_digits=5, decimal_places=2
                ),
                criterion.weight,
            )
            if criterion.pk in parents:
                continue
            if commissioning.route != Route.GRANT_ROUND:  # a grant round has no minimums yet
                label = _("“%(title)s”: minimum score (knock-out)") % {"title": criterion.title}
                self._add(
                    f"criterion_{criterion.pk}_minimum",
                    minimum_field(commissioning, label),
                    "" if criterion.minimum_score is None else str(criterion.minimum_score),
                )
            anchors = {a.score: a.text for a in criterion.anchors.all()}
            for score in commissioning.scale:
                self._add(
                    f"criterion_{criterion.pk}_anchor_{score}",
                    forms.CharField(
                        label=_("“%(title)s”: anchor for score %(s)s") % {"title": criterion.title, "s": score},
                        widget=forms.Textarea(attrs={"rows": 2}),
                    ),
                    anchors.get(score, ""),
                )
        for d in self.deadlines:
            self._add(f"deadline_{d.kind}", DateTimeField(label=d.get_kind_display()), d.at)

    def _add(self, name, field, initial):
        self.fields[name] = field
        self.initial[name] = initial

    def changes(self) -> dict:
        """The arguments of services.rectify: only what differs from the current values."""
        c, data = self.commissioning, self.cleaned_data
        lots = {}
        for lot in self.lots:
            new = {}
            if data[f"lot_{lot.pk}"] != lot.annual_budget:
                new["annual_budget"] = data[f"lot_{lot.pk}"]
            if data[f"lot_{lot.pk}_description"].strip() != lot.description:
                new["description"] = data[f"lot_{lot.pk}_description"]
            if new:
                lots[lot.pk] = new
        criteria = {}
        for criterion in self.criteria:
            new = {}
            if data[f"criterion_{criterion.pk}_weight"] != criterion.weight:
                new["weight"] = data[f"criterion_{criterion.pk}_weight"]
            current = {a.score: a.text for a in criterion.anchors.all()}
            anchors = {
                s: data[f"criterion_{criterion.pk}_anchor_{s}"]
                for s in c.scale
                if f"criterion_{criterion.pk}_anchor_{s}" in data
                and data[f"criterion_{criterion.pk}_anchor_{s}"].strip() != current.get(s, "")
            }
            if anchors:
                new["anchors"] = anchors
            minimum_key = f"criterion_{criterion.pk}_minimum"
            if minimum_key in data and clean_minimum(data[minimum_key]) != criterion.minimum_score:
                new["minimum_score"] = clean_minimum(data[minimum_key])
            if new:
                criteria[criterion.pk] = new
        return {
            "fields": {f: data[f] for f in ("title", "goals") if data[f] != getattr(c, f)},
            "lots": lots,
            "criteria": criteria,
            # The form shows minutes: a deadline counts as changed when the minute entered differs.
            "deadlines": {
                d.kind: data[f"deadline_{d.kind}"]
                for d in self.deadlines
                if data[f"deadline_{d.kind}"] != d.at.replace(second=0, microsecond=0)
            },
        }


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Published on the public page and as open data, and e-mailed to everyone following it."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that cancelling ends the procedure for good; it cannot be undone."),
        error_messages={"required": _("Confirm that you want to end the procedure.")},
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))
    topic = forms.CharField(label=_("Topic (groups the questions)"), max_length=120, required=False)


class ClarificationForm(forms.Form):
    introduction = forms.CharField(label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    extend_to = DateTimeField(
        label=_("Extend the next submission deadline to (Amsterdam time)"),
        required=False,
        help_text=_("Only when the clarifications come less than 10 days before that deadline (Aw 2.54)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="clarify", **kwargs)


class InfoSessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    held_at = DateTimeField(label=_("Date and time (Amsterdam time)"))
    location = forms.CharField(label=_("Location"), max_length=255, required=False)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="info", **kwargs)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Your question"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    lot = forms.ModelChoiceField(label=_("About lot"), queryset=None, required=False, empty_label=_("(all lots)"))

    def __init__(self, *args, commissioning, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = commissioning.lots.all()
