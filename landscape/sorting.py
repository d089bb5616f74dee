"""Sortable tables: a column is sorted server-side by the query parameter `sorteer` (`naam`, or `-naam` for
descending). The headers are links, and the sorted column carries `aria-sort` so screen readers announce it."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.db.models import Case, CharField, Value, When
from django.utils.translation import gettext_lazy as _

PARAM = "sorteer"


@dataclass(frozen=True)
class Column:
    key: str  # the value of ?sorteer= (Dutch, part of the URL)
    label: str
    order_by: object  # a field name or expression; None: the column cannot be sorted (e.g. a list of districts)
    numeric: bool = False


def choice_label_order(field: str, choices) -> Case:
    """Order by the (translated) label of a choice field instead of its code value."""
    return Case(*[When(**{field: value}, then=Value(str(label))) for value, label in choices], output_field=CharField())


class SortForm(forms.Form):
    sorteer = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, data, columns):
        super().__init__(data)
        keys = [c.key for c in columns if c.order_by is not None]
        self.fields[PARAM].choices = [("", "")] + [(k, k) for k in keys] + [(f"-{k}", f"-{k}") for k in keys]
        self.fields[PARAM].error_messages["invalid_choice"] = _(
            "This table cannot be sorted by “%(value)s”; the table is shown unsorted."
        )


def sort(queryset, columns, request, tiebreak=("name", "pk")):
    """(queryset sorted as asked, the headers for the template, the sort form). Invalid input: form errors."""
    form = SortForm(request.GET, columns)
    current = form.cleaned_data.get(PARAM, "") if form.is_valid() else ""
    descending = current.startswith("-")
    key = current.lstrip("-")
    by_key = {c.key: c for c in columns if c.order_by is not None}
    if key in by_key:
        expression = by_key[key].order_by
        if isinstance(expression, str):
            expression = f"-{expression}" if descending else expression
            queryset = queryset.order_by(expression, *tiebreak)
        else:
            queryset = queryset.order_by(expression.desc() if descending else expression.asc(), *tiebreak)
    return queryset, headers(columns, request, key, descending), form


def headers(columns, request, key, descending):
    params = {k: v for k, v in request.GET.items() if k not in (PARAM, "pagina")}
    result = []
    for c in columns:
        if c.order_by is None:
            result.append({"label": c.label, "numeric": c.numeric, "url": None, "aria_sort": None})
            continue
        sorted_here = c.key == key
        # A click on the sorted column reverses it; numbers start with the largest, text with A.
        if sorted_here:
            next_value = c.key if descending else f"-{c.key}"
        else:
            next_value = f"-{c.key}" if c.numeric else c.key
        result.append(
            {
                "label": c.label,
                "numeric": c.numeric,
                "url": "?" + urlencode({**params, PARAM: next_value}),
                "aria_sort": ("descending" if descending else "ascending") if sorted_here else None,
            }
        )
    return result
