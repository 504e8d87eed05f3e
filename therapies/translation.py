"""Catalog fields staff translate (django-modeltranslation).

Each field below gets one column per language (`title_en`, `title_es`,
`title_zh_hans`); reading `title` gives the active language's text and falls
back to English when that one is empty. English is required, the others are
optional: the snapshot marks a fallback so pages can say "English only".

Names (`NAMES`) are the exception: a product has a name of its own only where
it is sold under one (奕凯达 in China), and an empty one falls back to English
unmarked, since a brand name in Latin letters is normal on any page.

django-simple-history copies every field of a row into its history table, the
new language columns included, so each historical model is registered with the
same fields: the history then keeps every language, not only English.
"""

from modeltranslation.translator import TranslationOptions, translator

from .models import (
    CostNote,
    DiscussionTopic,
    Disease,
    EligibilityQuestion,
    Indication,
    Price,
    Regulator,
    Therapy,
    TrialResult,
)

TRANSLATED_FIELDS = {
    DiscussionTopic: ("title", "body", "question"),
    EligibilityQuestion: ("text", "help_text"),
    Disease: ("name", "description"),
    Therapy: (
        "brand_name",
        "generic_name",
        "summary",
        "how_given",
        "key_results",
        "side_effects",
    ),
    Regulator: ("name",),
    Indication: ("label", "approval_note"),
    Price: ("label", "note"),
    TrialResult: ("population", "results", "note"),
    CostNote: ("title", "body"),
}

# Translated fields that are names: their English stands on any page unmarked.
NAMES = {Therapy: ("brand_name", "generic_name")}


def _options(fields: tuple[str, ...]) -> type[TranslationOptions]:
    return type("Options", (TranslationOptions,), {"fields": fields})


for _model, _fields in TRANSLATED_FIELDS.items():
    translator.register(_model, _options(_fields))
    translator.register(_model.history.model, _options(_fields))
