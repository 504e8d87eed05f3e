from django import forms, template

register = template.Library()


@register.filter
def describedby(field) -> str:
    """The ids of the help text and errors that describe `field`."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


@register.filter
def accessible(field):
    """Render a text-like input with Bootstrap classes, tied to its help and errors."""
    widget = field.field.widget
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": css}
    ids = describedby(field)
    if ids:
        attrs["aria-describedby"] = ids
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def is_choice_group(field) -> bool:
    return isinstance(
        field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
    )


@register.filter
def usd(amount) -> str:
    try:
        return f"${int(amount):,}"
    except (TypeError, ValueError):
        return ""
