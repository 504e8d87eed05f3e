"""Staff editing of the catalog.

Every save or delete bumps `CatalogVersion`, so each worker's cached catalog
(`snapshot.get_catalog`) reloads on its next request. The bump lives here, in
the admin, rather than in `save()` or a signal: the loader bumps once per run,
and tests can build rows without side effects.

Every change asks for a reason, kept in the history with it (rules edited
inline and linked records included); a revert brings back the linked records
and rules too (therapies/history.py). Editors retire records; only
superusers delete.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin
from modeltranslation.utils import get_translation_fields
from simple_history.admin import SimpleHistoryAdmin

from . import history
from .conditions import (
    CAN_LEAVE_TO_CHECK,
    CONDITION_FIELDS,
    CONDITIONS,
    NOT_KNOWN,
    REQUIRED_ON_INDICATIONS,
    VOCABULARIES,
    Match,
)
from .models import (
    REVIEW_INTERVAL,
    CatalogVersion,
    CostNote,
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
    TrialResult,
)


class ChangeReasonForm(forms.ModelForm):
    """Asks why: the reason goes into the history with the change."""

    change_reason = forms.CharField(
        label=_("Reason for change"),
        max_length=100,
        help_text=_("Kept in the history, for example: new FDA label, June 2026."),
    )


class PriceForm(ChangeReasonForm):
    def clean(self):
        data = super().clean()
        # Editors write the label per language (label_en, …): the form leaves
        # `label` itself out, so Django skips the unique constraint naming it
        # and a duplicate would reach the database. Say it in a sentence.
        label = data.get("label_en") or ""
        others = Price.objects.filter(
            therapy=data.get("therapy"), country=data.get("country")
        ).exclude(pk=self.instance.pk)
        if any((other.label_en or "") == label for other in others.only("label_en")):
            unique = next(
                c
                for c in Price._meta.constraints
                if c.name == "price_unique_per_country"
            )
            raise ValidationError(unique.violation_error_message)
        return data


class RuleForm(forms.ModelForm):
    """Rule with a checkbox per code instead of raw JSON lists."""

    class Meta:
        model = Rule
        fields = [
            "indication",
            "topic",
            "question",
            "note",
            *CONDITION_FIELDS,
            "no_limit_on",
            "to_check",
        ]

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
        if "no_limit_on" in self.fields:
            self.fields["no_limit_on"] = forms.MultipleChoiceField(
                label=capfirst(Rule._meta.get_field("no_limit_on").verbose_name),
                choices=[(c.name, c.name_label) for c in REQUIRED_ON_INDICATIONS],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text=Rule._meta.get_field("no_limit_on").help_text,
            )
        if "to_check" in self.fields:
            self.fields["to_check"] = forms.MultipleChoiceField(
                label=capfirst(Rule._meta.get_field("to_check").verbose_name),
                choices=to_check_choices(),
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text=Rule._meta.get_field("to_check").help_text,
            )


# An indication's disease is its own field; its rules cannot narrow it.
INDICATION_TAKES = ("diseases",)


def to_check_choices() -> list:
    """The answers a rule on an indication can leave to check, grouped by
    vocabulary under the conditions that ask it (several yes / no conditions
    share one group)."""
    groups: dict[str, list] = {}
    for condition in CAN_LEAVE_TO_CHECK:
        if condition.name in INDICATION_TAKES:
            continue
        groups.setdefault(condition.vocabulary, []).append(condition.labels[0])
    return [
        (
            ", ".join(str(label) for label in labels),
            [
                (code, label)
                for code, label in VOCABULARIES[vocabulary].choices
                if code not in NOT_KNOWN
            ],
        )
        for vocabulary, labels in groups.items()
    ]


class RuleAdminForm(ChangeReasonForm, RuleForm):
    pass


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


def with_reason(fieldsets) -> list:
    """`fieldsets` with the "reason for change" last, in a fieldset of its own."""
    fieldsets = list(fieldsets)
    named = {f for _title, opts in fieldsets for f in flat(opts["fields"])}
    if "change_reason" not in named:
        fieldsets.append((_("Why"), {"fields": ["change_reason"]}))
    return fieldsets


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


class RetiredFilter(admin.SimpleListFilter):
    title = _("retired")
    parameter_name = "retired"

    def lookups(self, request, model_admin):
        return [("no", _("Shown to patients")), ("yes", _("Retired"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(retired_on__isnull=False)
        if self.value() == "no":
            return queryset.filter(retired_on__isnull=True)
        return queryset


@admin.action(permissions=["change"], description=_("Retire the selected records"))
def retire(modeladmin, request, queryset):
    changed = 0
    for obj in queryset.filter(retired_on__isnull=True):
        obj.retired_on = timezone.now().date()
        obj._change_reason = str(_("Retired from the list"))
        obj.save()
        changed += 1
    CatalogVersion.bump()
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d record retired: patients no longer see it.",
            "%(count)d records retired: patients no longer see them.",
            changed,
        )
        % {"count": changed},
    )


@admin.action(permissions=["change"], description=_("Bring the selected back"))
def bring_back(modeladmin, request, queryset):
    changed = 0
    for obj in queryset.filter(retired_on__isnull=False):
        obj.retired_on = None
        obj._change_reason = str(_("Brought back from the list"))
        obj.save()
        changed += 1
    CatalogVersion.bump()
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d record brought back.", "%(count)d records brought back.", changed
        )
        % {"count": changed},
    )


class CatalogAdmin(SimpleHistoryAdmin):
    """Bumps the catalog version on every change staff make.

    Both save_model and save_related bump: a worker may reload between the two,
    after the row is saved but before its rules and sources are.
    """

    form = ChangeReasonForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    object_history_template = "admin/therapies/object_history.html"
    object_history_form_template = "admin/therapies/object_history_form.html"

    def get_fields(self, request, obj=None):
        # The reason comes last, in a fieldset of its own (get_fieldsets).
        return [f for f in super().get_fields(request, obj) if f != "change_reason"]

    def get_fieldsets(self, request, obj=None):
        return with_reason(super().get_fieldsets(request, obj))

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not any(f.name == "retired_on" for f in self.model._meta.fields):
            return actions
        for action in (retire, bring_back):
            actions[action.__name__] = self.get_action(action)
        return actions

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if any(f.name == "retired_on" for f in self.model._meta.fields):
            filters.append(RetiredFilter)
        return filters

    def has_delete_permission(self, request, obj=None):
        # Editors retire; a record deleted by a superuser keeps its history.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data.get("change_reason", "")
        super().save_model(request, obj, form, change)
        reverting = getattr(request, "catalog_revert_to", None)
        if reverting is not None:
            history.rules_restore(
                owner=obj, when=reverting.history_date, reason=obj._change_reason
            )
        CatalogVersion.bump()

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data.get("change_reason", "")
        for inline_form in formset.forms:
            inline_form.instance._change_reason = reason
        super().save_formset(request, form, formset, change)

    def history_view(self, request, object_id, extra_context=None):
        name = history.rule_owner_field(self.model)
        rules = (
            Rule.history.filter(**{f"{name}_id": object_id})
            .select_related("history_user")
            .order_by("-history_date")
            if name
            else []
        )
        return super().history_view(
            request, object_id, {**(extra_context or {}), "rule_history": rules}
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        record = self.model.history.filter(id=object_id, history_id=version_id).first()
        request.catalog_revert_to = record
        context = {**(extra_context or {})}
        if record is not None:
            context["links_known"] = history.knows_links(record)
            if history.rule_owner_field(self.model):
                context["has_rules"] = True
                context["rules_then"] = history.rules_as_of(
                    record.instance, record.history_date
                )
        return super().history_form_view(request, object_id, version_id, context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        record = getattr(request, "catalog_revert_to", None)
        if record is None:
            return form
        links = history.links_as_of(record)

        class RevertForm(form):
            def __init__(self, *args, **kw):
                kw["initial"] = {**links, **kw.get("initial", {})}
                super().__init__(*args, **kw)

        return RevertForm

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        CatalogVersion.bump()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        CatalogVersion.bump()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        CatalogVersion.bump()


def flat(fields) -> list[str]:
    """A fieldset's field names, rows of several flattened."""
    return [f for row in fields for f in (row if isinstance(row, tuple) else (row,))]


class ReviewedAdmin(CatalogAdmin):
    """For ReviewedContent models: sources picker, review date filter."""

    autocomplete_fields = ["sources"]
    list_filter = [ReviewOverdueFilter]

    def get_fields(self, request, obj=None):
        # The abstract parent puts these first; they read better at the end.
        fields = super().get_fields(request, obj)
        review = [f for f in ("sources", "last_reviewed") if f in fields]
        return [f for f in fields if f not in review] + review


def translated_search(*names: str) -> list[str]:
    """Search fields that find a translated text in every language."""
    return [f for name in names for f in get_translation_fields(name)]


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

    def get_fieldsets(self, request, obj=None):
        # TranslationAdmin lays the fields out itself (it calls no super()).
        return with_reason(super().get_fieldsets(request, obj))

    class Media:
        css = {"all": ["therapies/admin_translations.css"]}


class RuleInline(admin.StackedInline):
    model = Rule
    form = RuleForm
    extra = 0
    # Side by side, the checkbox lists fit on one screen.
    fields = ["rule_summary", "note", *condition_rows()]
    readonly_fields = ["rule_summary"]

    @admin.display(description=_("in short"))
    def rule_summary(self, rule):
        return rule.summary() if rule.pk else "-"

    def has_delete_permission(self, request, obj=None):
        # Removing a rule is an edit of its owner, kept in the rules' history.
        return self.has_change_permission(request, obj)


class IndicationRuleInline(RuleInline):
    # An indication's disease is its own field; a rule cannot narrow it. It
    # must say its lines and status, or that the label sets no limit on them.
    fields = [
        "rule_summary",
        "note",
        *condition_rows(leave_out=INDICATION_TAKES),
        "no_limit_on",
        "to_check",
    ]


@admin.register(Source)
class SourceAdmin(CatalogAdmin):
    list_display = ["title", "publisher", "published", "last_reviewed"]
    search_fields = ["title", "publisher", "key", "url"]
    list_filter = ["publisher"]
    prepopulated_fields = {"key": ["title"]}


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
    search_fields = ["code", *translated_search("name"), "countries"]
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
    search_fields = [*translated_search("name", "description"), "code"]
    fieldsets = [
        (None, {"fields": ["code", "order"]}),
        languages_fieldset(_("Content in each language"), "name", "description"),
        (_("Review"), {"fields": ["sources", "last_reviewed"]}),
    ]


@admin.register(Therapy)
class TherapyAdmin(TranslatedAdmin):
    list_display = ["brand_name", "generic_name", "target", "maker", "last_reviewed"]
    list_filter = ["target", ReviewOverdueFilter]
    search_fields = [
        *translated_search("brand_name", "generic_name"),
        "short_name",
        "slug",
        "maker",
        *translated_search("summary"),
    ]
    # The slug is the stable key: made once from the English name, never
    # from a translation.
    prepopulated_fields = {"slug": ["brand_name_en"]}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "slug",
                    "short_name",
                    ("maker", "target"),
                    "order",
                    "retired_on",
                ]
            },
        ),
        (
            _("Names in each language"),
            {
                "fields": [side_by_side("brand_name"), side_by_side("generic_name")],
                "classes": ["translations"],
                "description": _(
                    "Fill in a translation only where the product is sold under "
                    "a name of its own, as on that country's label. An empty "
                    "one shows the English name, without an “English only” note."
                ),
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
    fields = [
        "slug",
        ("therapy", "disease", "regulator"),
        "label",
        ("approved_on", "approval_note"),
        ("approval_kind", "regular_approval_on"),
        "wording_confirmed",
        "retired_on",
        "sources",
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
    search_fields = [*translated_search("title", "body", "question"), "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [RuleInline]
    fieldsets = [
        (None, {"fields": ["slug", "priority", "when_no_therapy_fits", "retired_on"]}),
        languages_fieldset(_("Content in each language"), "title", "body", "question"),
        (_("Review"), {"fields": ["sources", "last_reviewed"]}),
    ]


@admin.register(EligibilityQuestion)
class EligibilityQuestionAdmin(TranslatedAdmin):
    list_display = ["text", "slug", "order", "last_reviewed"]
    list_filter = ["diseases", ReviewOverdueFilter]
    search_fields = [*translated_search("text", "help_text"), "slug"]
    prepopulated_fields = {"slug": ["text_en"]}
    filter_horizontal = ["diseases"]
    autocomplete_fields = [
        "sources",
        "topic_if_yes",
        "topic_if_no",
        "topic_if_unsure",
    ]
    inlines = [RuleInline]
    fieldsets = [
        (None, {"fields": ["slug", "order", "diseases", "retired_on"]}),
        languages_fieldset(_("Content in each language"), "text", "help_text"),
        (
            _("Topic each answer brings up"),
            {"fields": ["topic_if_yes", "topic_if_no", "topic_if_unsure"]},
        ),
        (_("Review"), {"fields": ["sources", "last_reviewed"]}),
    ]


@admin.register(Rule)
class RuleAdmin(CatalogAdmin):
    form = RuleAdminForm
    list_display = ["__str__", "rule_summary", "indication", "topic", "question"]
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
        (
            _("Conditions"),
            {
                "fields": [
                    "rule_summary",
                    *RuleInline.fields[1:],
                    "no_limit_on",
                    "to_check",
                ]
            },
        ),
    ]
    readonly_fields = ["rule_summary"]

    @admin.display(description=_("in short"))
    def rule_summary(self, rule):
        return rule.summary()


@admin.register(TreatmentCenter)
class TreatmentCenterAdmin(ReviewedAdmin):
    list_display = ["name", "city", "country", "products_verified", "last_reviewed"]
    prepopulated_fields = {"slug": ["name"]}
    list_filter = [
        # Only the countries centres are in, not every country in the world.
        ("country", admin.AllValuesFieldListFilter),
        "products_verified",
        "accepts_international",
        "therapies",
        ReviewOverdueFilter,
    ]
    search_fields = ["name", "city", "region", "country", "slug"]
    filter_horizontal = ["therapies"]


@admin.register(Price)
class PriceAdmin(TranslatedAdmin):
    form = PriceForm
    list_display = [
        "__str__",
        "therapy",
        "label",
        "country",
        "kind",
        "estimated_by",
        "low_usd",
        "high_usd",
        "currency",
        "as_of",
        "last_reviewed",
    ]
    list_filter = ["kind", "country", "currency", "therapy", ReviewOverdueFilter]
    list_select_related = ["therapy"]
    search_fields = ["therapy__brand_name", "label", "country", "note", "estimated_by"]
    autocomplete_fields = ["therapy", "sources"]
    fieldsets = [
        (None, {"fields": ["therapy", "country", "retired_on"]}),
        (_("Who gives this price"), {"fields": ["kind", "estimated_by", "as_of"]}),
        (
            _("Amounts"),
            {
                "fields": [
                    ("low_usd", "high_usd"),
                    ("currency", "low_local", "high_local"),
                ]
            },
        ),
        languages_fieldset(_("Label and note in each language"), "label", "note"),
        (_("Review"), {"fields": ["sources", "last_reviewed"]}),
    ]


@admin.register(CostNote)
class CostNoteAdmin(TranslatedAdmin):
    list_display = ["title", "slug", "country_list", "last_reviewed"]
    search_fields = [*translated_search("title", "body"), "slug", "countries"]
    prepopulated_fields = {"slug": ["title_en"]}
    fieldsets = [
        (None, {"fields": ["slug", "countries", "retired_on"]}),
        languages_fieldset(_("Content in each language"), "title", "body"),
        (_("Review"), {"fields": ["sources", "last_reviewed"]}),
    ]

    @admin.display(description=_("countries"))
    def country_list(self, obj):
        return ", ".join(c.code for c in obj.countries) or _("general (no country)")


@admin.register(TrialResult)
class TrialResultAdmin(TranslatedAdmin):
    list_display = [
        "trial",
        "therapy",
        "disease",
        "patients",
        "severe_crs",
        "severe_neuro",
        "last_reviewed",
    ]
    list_filter = ["therapy", "disease", ReviewOverdueFilter]
    list_select_related = ["therapy", "disease"]
    search_fields = ["trial", "slug", "therapy__brand_name", "disease__name"]
    autocomplete_fields = ["therapy", "disease", "sources"]
    prepopulated_fields = {"slug": ["trial"]}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "slug",
                    ("therapy", "disease"),
                    ("trial", "patients"),
                    "order",
                    "retired_on",
                ]
            },
        ),
        (
            _("Severe side effects"),
            {"fields": [("severe_crs", "crs_grade"), ("severe_neuro", "neuro_grade")]},
        ),
        languages_fieldset(
            _("Content in each language"), "population", "results", "note"
        ),
        (_("Review"), {"fields": ["sources", "last_reviewed"]}),
    ]


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


class ReferencePatientForm(ChangeReasonForm):
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
