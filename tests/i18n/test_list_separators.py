"""Lists in the page's language: "A, B and C" in English, "甲、乙和丙" in Chinese
(issue 14), whether the engine's sentences, the answers or a template join them."""

import pytest
from django.template import Context, Template
from django.utils import translation

from intake.presentation import _codes
from therapies.vocabulary import PriorTherapy
from therapies.wording import join_and, join_or


@pytest.mark.parametrize(
    "language, both, either",
    [("en", "A, B and C", "A, B or C"), ("es", "A, B y C", "A, B o C")],
)
def test_lists_are_joined_in_the_page_language(language, both, either):
    with translation.override(language):
        assert join_and(["A", "B", "C"]) == both
        assert join_or(["A", "B", "C"]) == either


def test_chinese_lists_are_joined_with_the_enumeration_comma():
    with translation.override("zh-hans"):
        assert join_and(["甲", "乙", "丙"]) == "甲、乙和丙"


@pytest.mark.parametrize("language", ["en", "es"])
def test_answers_that_hold_commas_are_kept_apart_with_a_semicolon(language):
    with translation.override(language):
        joined = _codes(PriorTherapy, ["btki", "pi"], "-")
    assert joined.count("; ") == 1


def test_the_template_tag_gives_the_page_language_separator():
    template = Template("{% load intake_tags %}A{% list_separator %}B")
    with translation.override("en"):
        assert template.render(Context()) == "A, B"
