"""Template helpers for NL Design System forms: `{{ field|utrecht_widget }}` renders a form field's widget with the
Utrecht component classes, and links it to its description and error messages for screen readers."""

from django import forms, template

register = template.Library()


def _classes(widget, invalid: bool) -> str:
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        # Django puts these attributes on the wrapping <div> too; the options are styled by `.ww-choices` instead.
        return ""
    if isinstance(widget, forms.Textarea):
        base = "utrecht-textarea utrecht-textarea--html-textarea"
        return base + (" utrecht-textarea--invalid" if invalid else "")
    if isinstance(widget, forms.CheckboxInput):
        return "utrecht-checkbox utrecht-checkbox--html-input"
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
        return "utrecht-select utrecht-select--html-select" + (" utrecht-select--invalid" if invalid else "")
    if isinstance(widget, forms.FileInput):
        return "ww-file-input"
    if isinstance(widget, forms.widgets.Input):
        return "utrecht-textbox utrecht-textbox--html-input" + (" utrecht-textbox--invalid" if invalid else "")
    return ""


@register.filter
def utrecht_widget(field):
    """The widget of a bound field with Utrecht classes, `aria-invalid` and `aria-describedby` set."""
    widget = field.field.widget
    invalid = bool(field.errors)
    attrs = {}
    classes = " ".join(c for c in [widget.attrs.get("class", ""), _classes(widget, invalid)] if c)
    if classes:
        attrs["class"] = classes
    described_by = describedby(field)
    if described_by and not field.use_fieldset:  # a fieldset carries it itself (see _form_fields.html)
        attrs["aria-describedby"] = described_by
    if invalid:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def describedby(field) -> str:
    """The ids of a field's description and error messages, as rendered by _form_fields.html."""
    ids = [f"{field.auto_id}_helptext"] if field.help_text else []
    return " ".join(ids + [f"{field.auto_id}_error{i}" for i in range(len(field.errors))])
