from django import forms, template

register = template.Library()

_CONTROL_CLASS = {
    forms.CheckboxInput: "form-check-input",
    forms.Select: "form-select",
    forms.SelectMultiple: "form-select",
}


@register.filter
def with_control_class(field):
    """Render a bound field with the design system's class for its widget."""
    widget = field.field.widget
    css = next(
        (c for kind, c in _CONTROL_CLASS.items() if isinstance(widget, kind)), "form-control"
    )
    attrs = {"class": css}
    if field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}-errors"
    elif field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}-help"
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_choice_list(field) -> bool:
    """Radio buttons and checkbox lists: a fieldset with a legend, not a label."""
    return isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
