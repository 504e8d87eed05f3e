"""Form widgets of the patient and coordinator pages."""

from django import forms


class LongSelect(forms.Select):
    """A select of many options, written by one tag (`widget_options`).

    Django's Select renders two templates for every option (the option and
    its attributes): the country question's 250 options took 10 of the 19 ms
    of its page, and a time zone choice has 600. Same markup, same context
    (`Select.get_context`).
    """

    template_name = "intake/widgets/select.html"
