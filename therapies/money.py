"""Amounts of money written the way the page's language writes them.

One row per currency: the sentence an amount goes into, translated like any
other text ("$%(amount)s" reads "%(amount)s美元" in Chinese). The currencies a
price may be in are `models.Currency`; each needs its row here.
"""

from django.utils.formats import number_format
from django.utils.translation import get_language, pgettext_lazy

AMOUNT_FORMATS = {
    "USD": pgettext_lazy("an amount in US dollars", "$%(amount)s"),
    "CNY": pgettext_lazy("an amount in Chinese yuan", "RMB %(amount)s"),
    "EUR": pgettext_lazy("an amount in euros", "€%(amount)s"),
    "GBP": pgettext_lazy("an amount in pounds sterling", "£%(amount)s"),
    "INR": pgettext_lazy("an amount in Indian rupees", "₹%(amount)s"),
}


def amount(value, currency: str = "USD") -> str:
    """`value` in `currency` for the active language: $500,000 · 50万美元 ·
    RMB 1,200,000; "" when there is no amount."""
    try:
        value = int(value)
    except (TypeError, ValueError):
        return ""
    if (get_language() or "").startswith("zh") and value >= 10_000:
        # Chinese counts large sums in 万 (ten thousand): 50万, 7.5万.
        number = f"{value / 10_000:,.2f}".rstrip("0").rstrip(".") + "万"
    else:
        number = number_format(value, use_l10n=True, force_grouping=True)
    return str(AMOUNT_FORMATS[currency]) % {"amount": number}


def amount_range(low, high, currency: str = "USD") -> str:
    """ "$400,000 – $500,000", or one amount when both ends are the same."""
    if low is None:
        return ""
    if high is None or high == low:
        return amount(low, currency)
    return f"{amount(low, currency)} – {amount(high, currency)}"
