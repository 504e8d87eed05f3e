from django import template
from django.conf import settings
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info
from modeltranslation.utils import build_localized_fieldname

from therapies import money, wording

from ..middleware import idle_seconds_left as _seconds_left

register = template.Library()


@register.inclusion_tag("review/_idle_warning.html", takes_context=True)
def idle_warning(context) -> dict:
    """The warning shown shortly before the idle sign-out, on the pages of a
    signed-in user (nothing for anyone else)."""
    request = context["request"]
    warn = settings.SESSION_IDLE_WARNING
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "submission": context.get("submission"),
        "seconds_left": _seconds_left(request),
        "warn_before": warn,
        "warn_minutes": max(1, warn // 60),
    }


@register.filter
def usd(value) -> str:
    """An amount of US dollars written the way the page's language writes it:
    $500,000 · US$500 000 · 50万美元."""
    return money.amount(value)


@register.simple_tag
def price_amounts(price) -> dict:
    """A price's ranges for a table row: in US dollars, and in the local
    currency when the source gives one (either may be empty)."""
    return {
        "usd": money.amount_range(price.low_usd, price.high_usd),
        "local": money.amount_range(price.low_local, price.high_local, price.currency)
        if price.currency
        else "",
    }


@register.simple_tag
def list_separator() -> str:
    """Between the items of a list on this page: ", " or, in Chinese, 、."""
    return wording.list_separator()


@register.filter
def english_only(value, field: str = "") -> bool:
    """Whether a catalog text on this page is the English fallback.

    `value` is a snapshot `Text`, or a model instance with `field` named: a
    translated field (therapies/translation.py) is English only while its
    column for the page's language is empty; any other text always is.
    """
    language = get_language() or settings.LANGUAGE_CODE
    if not field:
        return bool(getattr(value, "english_only", False))
    if language == settings.MODELTRANSLATION_DEFAULT_LANGUAGE or not getattr(
        value, field, ""
    ):
        return False
    if not hasattr(value, build_localized_fieldname(field, "en")):
        return True
    return not getattr(value, build_localized_fieldname(field, language), "")


@register.filter
def lang_en(text):
    """` lang="en"` on the element holding an English-only text, for screen readers."""
    return mark_safe(' lang="en"') if english_only(text) else ""  # a constant


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """This page in each language; empty where the address has no language prefix."""
    request = context.get("request")
    if request is None:
        return []
    path, current = request.get_full_path(), get_language()
    links = [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]
    if len({link["url"] for link in links}) < len(links):
        return []
    return links


@register.inclusion_tag("intake/_sources.html")
def source_list(sources) -> dict:
    """The "Sources:" line of a therapy or topic."""
    return {"sources": sources}


@register.simple_tag
def topic_text(topic) -> dict:
    """A topic card's title line and text."""
    return {
        "summary": render_to_string("intake/_topic_summary.html", {"topic": topic}),
        "body": render_to_string("intake/_topic_body.html", {"topic": topic}),
    }


@register.simple_tag
def select_options(field) -> SafeString:
    """The `<option>`s of a select field (a bound one), the chosen one selected.

    Django's Select widget renders a template for each option and one more for
    its attributes: the queue's filter form shows five selects on every page,
    and those templates were a tenth of its time. The choices are flat,
    without groups, as the filter form's are.
    """
    chosen = set(field.field.widget.format_value(field.value()))
    return format_html_join(
        "\n",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if str(value) in chosen else "", label)
            for value, label in field.field.choices
        ),
    )


@register.simple_tag
def widget_options(widget: dict) -> SafeString:
    """The `<option>`s (in their `<optgroup>`s) of a Select widget's context,
    as Django's select templates write them (intake.widgets.LongSelect)."""
    groups = []
    for group, options, _index in widget["optgroups"]:
        items = format_html_join(
            "\n",
            '<option value="{}"{}>{}</option>',
            # Most options have no attributes (the chosen one: `selected`).
            (
                (o["value"], flatatt(o["attrs"]) if o["attrs"] else "", o["label"])
                for o in options
            ),
        )
        groups.append(
            format_html('<optgroup label="{}">{}</optgroup>', group, items)
            if group
            else items
        )
    return format_html_join("\n", "{}", ((g,) for g in groups))
