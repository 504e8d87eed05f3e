"""LongSelect writes the same select as Django's own widget, faster."""

import pytest
from django import forms
from pytest_django.asserts import assertHTMLEqual

from intake.widgets import LongSelect

CHOICES = [
    ("", "Choose one"),
    ("Europe", [("ES", "Spain"), ("FR", "France")]),
    ("US", "United States & <territories>"),
]


def _form(widget, value):
    class Form(forms.Form):
        place = forms.ChoiceField(
            choices=CHOICES,
            help_text="Where you live.",
            widget=widget(attrs={"class": "form-select"}),
        )

    return Form(data={"place": value})


@pytest.mark.parametrize("value", ["", "FR", "US", "not-a-choice"])
def test_it_renders_what_djangos_select_renders(value):
    ours = _form(LongSelect, value)
    django = _form(forms.Select, value)
    ours.is_valid(), django.is_valid()
    assertHTMLEqual(str(ours["place"]), str(django["place"]))


def test_the_chosen_option_is_selected_and_labels_are_escaped():
    html = str(_form(LongSelect, "FR")["place"])
    assert '<option value="FR" selected>France</option>' in html
    assert '<optgroup label="Europe">' in html
    assert "United States &amp; &lt;territories&gt;" in html
