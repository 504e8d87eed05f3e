"""Staff editing of the catalog.

Every save or delete bumps `CatalogVersion`, so each worker's cached catalog
(`snapshot.get_catalog`) reloads on its next request. The bump lives here, in
the admin, rather than in `save()` or a signal: the loader bumps once per run,
and tests can build rows without side effects.
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from modeltranslation.utils import get_translation_fields
from simple_history.admin import SimpleHistoryAdmin

from .conditions import CONDITION_FIELDS, CONDITIONS, Match
from .models import (
    REVIEW_INTERVAL,
    CatalogVersion,
    DiscussionTopic,
    Disease,
    EligibilityQuestion,
    EmergencyNumber,
    Indication,
    Price,
    ReferencePatient,
    Regulator,
    Rule,
    Source,
    Therapy,
    TreatmentCenter,
)


class RuleForm(forms.ModelForm):
    """Rule with a checkbox per code instead of raw JSON lists."""

    class Meta:
        model = Rule
        fields = ["indication", "topic", "question", "note", *CONDITION_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for condition in CONDITIONS:
            if not condition.takes_codes or condition.name not in self.fields:
                continue
            self.fields[condition.name] = forms.MultipleChoiceField(
                label=capfirst(condition.labels[0]),
                choices=condition.choices,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text=_("Tick none to accept any answer."),
            )
        if "diseases" in self.fields:
            # Only topics' and questions' rules show this: an indication's
            # rules take the indication's disease.
            self.fields["diseases"].help_text = _("Tick none to accept any disease.")


def condition_rows(*, leave_out: tuple[str, ...] = ()) -> list:
    """The conditions laid out for the admin: a range's two ends side by side,
    lists of codes three to a row (so the checkboxes fit on one screen), then
    the flags."""
    shown = [c for c in CONDITIONS if c.name not in leave_out]
    codes = [c.name for c in shown if c.takes_codes]
    return [
        *(c.fields for c in shown if c.match is Match.RANGE),
        *(tuple(codes[i : i + 3]) for i in range(0, len(codes), 3)),
        *(c.name for c in shown if c.match is Match.FLAG),
    ]


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = _("review overdue")
    parameter_name = "review_overdue"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Overdue (not reviewed in 12 months)")),
            ("no", _("Reviewed in the last 12 months")),
        ]

    def queryset(self, request, queryset):
        cutoff = timezone.now().date() - REVIEW_INTERVAL
        if self.value() == "yes":
            return queryset.filter(last_reviewed__lt=cutoff)
        if self.value() == "no":
            return queryset.filter(last_reviewed__gte=cutoff)
        return queryset


class CatalogAdmin(SimpleHistoryAdmin):
    """Bumps the catalog version on every change staff make.

    Both save_model and save_related bump: a worker may reload between the two,
    after the row is saved but before its rules and sources are.
    """

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        CatalogVersion.bump()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        CatalogVersion.bump()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        CatalogVersion.bump()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        CatalogVersion.bump()


class ReviewedAdmin(CatalogAdmin):
    """For ReviewedContent models: sources picker, review date filter."""

    autocomplete_fields = ["sources"]
    list_filter = [ReviewOverdueFilter]

    def get_fields(self, request, obj=None):
        # The abstract parent puts these first; they read better at the end.
        fields = super().get_fields(request, obj)
        review = [f for f in ("sources", "last_reviewed") if f in fields]
        return [f for f in fields if f not in review] + review


def side_by_side(name: str) -> tuple[str, ...]:
    """A translated field's columns on one row: English, Spanish, Chinese."""
    return tuple(get_translation_fields(name))


def languages_fieldset(title, *names: str):
    """A fieldset of translated fields, laid out in language columns."""
    return (
        title,
        {
            "fields": [side_by_side(name) for name in names],
            "classes": ["translations"],
        },
    )


class TranslatedAdmin(TranslationAdmin, ReviewedAdmin):
    """Translated fields (therapies/translation.py) shown one row per field,
    each language in its own column, so a translator sees the English next to
    the text they write. English is required; an empty translation falls back
    to English on the site, marked "English only"."""

    class Media:
        css = {"all": ["therapies/admin_translations.css"]}


class RuleInline(admin.StackedInline):
    model = Rule
    form = RuleForm
    extra = 0
    # Side by side, the checkbox lists fit on one screen.
    fields = ["note", *condition_rows()]


class IndicationRuleInline(RuleInline):
    # An indication's disease is its own field; a rule cannot narrow it.
    fields = ["note", *condition_rows(leave_out=("diseases",))]


@admin.register(Source)
class SourceAdmin(CatalogAdmin):
    list_display = ["title", "publisher", "published", "key"]
    search_fields = ["title", "publisher", "key", "url"]
    list_filter = ["publisher"]


@admin.register(Regulator)
class RegulatorAdmin(TranslatedAdmin):
    list_display = [
        "code",
        "name",
        "coverage",
        "approvals_checked",
        "order",
        "last_reviewed",
    ]
    list_filter = ["coverage", ReviewOverdueFilter]
    search_fields = ["code", "name", "countries"]
    fieldsets = [
        (None, {"fields": ["code", "order", "countries"]}),
        languages_fieldset(_("Name in each language"), "name"),
        (
            _("Approvals we hold"),
            {"fields": ["coverage", "approvals_checked"]},
        ),
        (_("Review"), {"fields": ["sources", "last_reviewed"]}),
    ]


@admin.register(Disease)
class DiseaseAdmin(TranslatedAdmin):
    list_display = ["name", "code", "order", "last_reviewed"]
    list_editable = ["order"]
    search_fields = ["name", "code"]
    fieldsets = [
        (None, {"fields": ["code", "order"]}),
        languages_fieldset(_("Content in each language"), "name", "description"),
        (_("Review"), {"fields": ["sources", "last_reviewed"]}),
    ]


@admin.register(Therapy)
class TherapyAdmin(TranslatedAdmin):
    list_display = ["brand_name", "generic_name", "target", "maker", "last_reviewed"]
    list_filter = ["target", ReviewOverdueFilter]
    search_fields = ["brand_name", "generic_name", "short_name", "slug", "maker"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "slug",
                    ("brand_name", "generic_name", "short_name"),
                    ("maker", "target"),
                    "order",
                ]
            },
        ),
        languages_fieldset(_("Summary in each language"), "summary"),
        languages_fieldset(
            _("Content in each language"), "how_given", "key_results", "side_effects"
        ),
        (_("Review"), {"fields": ["sources", "last_reviewed"]}),
    ]


@admin.register(Indication)
class IndicationAdmin(TranslatedAdmin):
    list_display = [
        "therapy__brand_name",
        "disease",
        "regulator_code",
        "approved_on",
        "approval_kind",
        "wording_confirmed",
        "last_reviewed",
    ]
    list_filter = [
        "regulator",
        "wording_confirmed",
        "approval_kind",
        "disease",
        "therapy",
        ReviewOverdueFilter,
    ]
    list_select_related = ["therapy", "disease"]
    search_fields = [
        "slug",
        "label",
        "therapy__brand_name",
        "therapy__generic_name",
        "disease__name",
    ]
    autocomplete_fields = ["therapy", "disease", "sources"]
    inlines = [IndicationRuleInline]

    @admin.display(description=_("regulator"), ordering="regulator")
    def regulator_code(self, obj):
        # The code (FDA) keeps the column narrow; the filter shows full names.
        return obj.regulator_id


@admin.register(DiscussionTopic)
class DiscussionTopicAdmin(TranslatedAdmin):
    list_display = ["title", "slug", "priority", "last_reviewed"]
    search_fields = ["title", "slug", "body", "question"]
    inlines = [RuleInline]
    fieldsets = [
        (None, {"fields": ["slug", "priority", "when_no_therapy_fits"]}),
        languages_fieldset(_("Content in each language"), "title", "body", "question"),
        (_("Review"), {"fields": ["sources", "last_reviewed"]}),
    ]


@admin.register(EligibilityQuestion)
class EligibilityQuestionAdmin(TranslatedAdmin):
    list_display = ["text", "slug", "order", "last_reviewed"]
    list_filter = ["diseases", ReviewOverdueFilter]
    search_fields = ["text", "slug", "help_text"]
    filter_horizontal = ["diseases"]
    autocomplete_fields = [
        "sources",
        "topic_if_yes",
        "topic_if_no",
        "topic_if_unsure",
    ]
    inlines = [RuleInline]
    fieldsets = [
        (None, {"fields": ["slug", "order", "diseases"]}),
        languages_fieldset(_("Content in each language"), "text", "help_text"),
        (
            _("Topic each answer brings up"),
            {"fields": ["topic_if_yes", "topic_if_no", "topic_if_unsure"]},
        ),
        (_("Review"), {"fields": ["sources", "last_reviewed"]}),
    ]


@admin.register(Rule)
class RuleAdmin(CatalogAdmin):
    form = RuleForm
    list_display = ["__str__", "indication", "topic", "question"]
    list_select_related = [
        "indication__therapy",
        "indication__disease",
        "topic",
        "question",
    ]
    list_filter = [
        ("indication", admin.EmptyFieldListFilter),
        ("topic", admin.EmptyFieldListFilter),
        ("question", admin.EmptyFieldListFilter),
    ]
    search_fields = [
        "note",
        "indication__slug",
        "topic__slug",
        "topic__title",
        "question__slug",
    ]
    autocomplete_fields = ["indication", "topic", "question"]
    fieldsets = [
        (
            _("What the rule belongs to (exactly one)"),
            {"fields": ["indication", "topic", "question"]},
        ),
        (_("Conditions"), {"fields": RuleInline.fields}),
    ]


@admin.register(TreatmentCenter)
class TreatmentCenterAdmin(ReviewedAdmin):
    list_display = [
        "name",
        "city",
        "country",
        "products_verified",
        "accepts_international",
        "last_reviewed",
    ]
    list_filter = [
        "country",
        "products_verified",
        "accepts_international",
        "therapies",
        ReviewOverdueFilter,
    ]
    search_fields = ["name", "city", "country", "slug"]
    filter_horizontal = ["therapies"]


@admin.register(Price)
class PriceAdmin(TranslatedAdmin):
    list_display = [
        "__str__",
        "therapy",
        "label",
        "country",
        "low_usd",
        "high_usd",
        "as_of",
        "last_reviewed",
    ]
    list_filter = ["country", "therapy", ReviewOverdueFilter]
    list_select_related = ["therapy"]
    search_fields = ["therapy__brand_name", "label", "country", "note"]
    autocomplete_fields = ["therapy", "sources"]


@admin.register(EmergencyNumber)
class EmergencyNumberAdmin(ReviewedAdmin):
    list_display = [
        "country",
        "number",
        "second_number",
        "second_number_use",
        "last_reviewed",
    ]
    list_filter = ["second_number_use", ReviewOverdueFilter]
    search_fields = ["country", "number", "second_number"]


class ReferencePatientForm(forms.ModelForm):
    """Answers as JSON; expectations as ticks among the catalog's therapies
    and topics, so a slug cannot be mistyped."""

    class Meta:
        model = ReferencePatient
        fields = [
            "name",
            "answers",
            *(name for name, _kind in ReferencePatient.EXPECTATIONS),
            "expect_urgent",
            "note",
            "sources",
            "last_reviewed",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answers"].error_messages["invalid"] = _(
            "This is not valid JSON. Write the answers as a JSON object with "
            'double quotes, such as {"disease": "lbcl", "age": 61, "country": "US"}.'
        )
        self.fields["answers"].widget.attrs.update(rows=8, cols=80)
        choices = {
            "therapy": [
                (t.slug, f"{t.brand_name} ({t.slug})")
                for t in Therapy.objects.only("slug", "brand_name")
            ],
            "topic": [
                (t.slug, f"{t.title} ({t.slug})")
                for t in DiscussionTopic.objects.only("slug", "title")
            ],
        }
        for name, kind in ReferencePatient.EXPECTATIONS:
            self.fields[name] = forms.MultipleChoiceField(
                label=self.fields[name].label,
                choices=choices[kind],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )


@admin.register(ReferencePatient)
class ReferencePatientAdmin(ReviewedAdmin):
    form = ReferencePatientForm
    list_display = [
        "name",
        "disease",
        "country",
        "shows",
        "hides",
        "urgent",
    ]
    # The review date is a filter, not a column: the list fits 1280 px.
    list_filter = ["expect_urgent", ReviewOverdueFilter]
    search_fields = ["name", "note"]
    fieldsets = [
        (None, {"fields": ["name", "answers", "note"]}),
        (
            _("Therapies"),
            {"fields": [("must_show_therapies", "must_not_show_therapies")]},
        ),
        (_("Topics"), {"fields": [("must_show_topics", "must_not_show_topics")]}),
        (_("Urgent warning"), {"fields": ["expect_urgent"]}),
        (_("Review"), {"fields": ["sources", "last_reviewed"]}),
    ]

    @admin.display(description=_("disease"))
    def disease(self, obj):
        return _answer(obj, "disease")

    @admin.display(description=_("country"))
    def country(self, obj):
        return _answer(obj, "country")

    @admin.display(description=_("urgent"), boolean=True, ordering="expect_urgent")
    def urgent(self, obj):
        return obj.expect_urgent

    @admin.display(description=_("must show"))
    def shows(self, obj):
        return ", ".join(obj.must_show_therapies) or "–"

    @admin.display(description=_("must not show"))
    def hides(self, obj):
        return ", ".join(obj.must_not_show_therapies) or "–"


def _answer(obj: ReferencePatient, name: str) -> str:
    answers = obj.answers if isinstance(obj.answers, dict) else {}
    return str(answers.get(name, "–"))


@admin.register(CatalogVersion)
class CatalogVersionAdmin(admin.ModelAdmin):
    """Read only: the loader and the catalog admins move it."""

    list_display = ["version", "changed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
