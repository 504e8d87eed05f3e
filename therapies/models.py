"""The therapy catalog: approved CAR T products, their labelled indications and
the content that prepares a patient's conversation with the oncologist.

Every fact-bearing record links its sources and carries a last-reviewed date;
django-simple-history keeps every change. `seed_hash` lets `load_catalog`
tell a row that still holds its seed from one that staff edited.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import F, Q, Subquery
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from .conditions import (
    BY_NAME,
    CAN_LEAVE_TO_CHECK,
    CODES_TO_CHECK,
    CONDITION_FIELDS,
    CONDITIONS,
    REQUIRED_ON_INDICATIONS,
    VOCABULARIES,
    Condition,
    Match,
    summarise,
)
from .criteria import Criteria
from .vocabulary import DiseaseCode

REVIEW_INTERVAL = datetime.timedelta(days=365)


class Source(models.Model):
    key = models.SlugField(_("key"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    published = models.CharField(
        _("date"),
        max_length=40,
        blank=True,
        help_text=_("As the source gives it: 2024, Apr 2024 or 2024-04-05."),
    )
    last_reviewed = models.DateField(
        _("last checked"),
        null=True,
        blank=True,
        help_text=_("When someone last checked the source still says this."),
    )
    seed_hash = models.CharField(max_length=64, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = _("source")

    def __str__(self):
        return self.title


class ReviewedContent(models.Model):
    """Fields every fact-bearing record shares."""

    sources = models.ManyToManyField(Source, blank=True, verbose_name=_("sources"))
    last_reviewed = models.DateField(_("last reviewed"))
    seed_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def review_overdue(self) -> bool:
        return timezone.now().date() - self.last_reviewed > REVIEW_INTERVAL


class RetirableQuerySet(models.QuerySet):
    def current(self):
        """What patients may be shown: records nobody has retired."""
        return self.filter(retired_on__isnull=True)


class Retirable(models.Model):
    """A record editors retire instead of deleting: it stops showing to
    patients and keeps its history."""

    retired_on = models.DateField(
        _("retired on"),
        null=True,
        blank=True,
        help_text=_(
            "Set a date to stop showing this to patients. Records are retired, "
            "never deleted, so their history stays."
        ),
    )

    class Meta:
        abstract = True

    @property
    def retired(self) -> bool:
        return self.retired_on is not None


def catalog_history(*m2m_fields: str) -> HistoricalRecords:
    """History of a catalog model, its many-to-many fields included, so a
    revert brings back the sources (or products) a record had."""
    return HistoricalRecords(m2m_fields=["sources", *m2m_fields])


class Disease(ReviewedContent):
    code = models.CharField(
        _("code"), max_length=20, choices=DiseaseCode.choices, unique=True
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("plain description"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = catalog_history()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("disease")

    def __str__(self):
        return self.name


def country_clashes(countries, others, name: str) -> list[str]:
    """The `countries` that one of `others` already lists, each as "CODE
    (the other's `name`)", sorted: one regulator, or one cost note, per country."""
    taken = {c.code: getattr(other, name) for other in others for c in other.countries}
    return sorted(f"{c.code} ({taken[c.code]})" for c in countries if c.code in taken)


class Regulator(ReviewedContent):
    """A medicines regulator and the countries where its approvals apply.

    `coverage` says how much of its CAR T approvals the catalog holds as of
    `approvals_checked`: the patient's page says when the list may be incomplete.
    """

    class Coverage(models.TextChoices):
        COMPLETE = "complete", _("Complete: every CAR T approval as of the date")
        PARTIAL = "partial", _("Partial: the list may be incomplete")

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z][A-Za-z ]*$",
                _("Letters and spaces only, such as FDA or Health Canada."),
            )
        ],
        help_text=_("A short code patients see beside a product, such as FDA."),
    )
    name = models.CharField(_("name"), max_length=200)
    countries = CountryField(
        _("countries"),
        multiple=True,
        blank=True,
        help_text=_("The countries where its approvals apply."),
    )
    approvals_checked = models.DateField(_("approvals last checked"))
    coverage = models.CharField(
        _("coverage"),
        max_length=10,
        choices=Coverage.choices,
        default=Coverage.PARTIAL,
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower comes first in lists.")
    )
    history = catalog_history()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("regulator")

    def __str__(self):
        return self.code

    def clean(self):
        # One regulator per country, so a patient's country names one list.
        others = Regulator.objects.exclude(pk=self.pk).only("code", "countries")
        clashes = country_clashes(self.countries, others, "code")
        if clashes:
            raise ValidationError(
                {
                    "countries": _(
                        "These countries already belong to another regulator: "
                        "%(countries)s."
                    )
                    % {"countries": ", ".join(clashes)}
                }
            )


class TherapyQuerySet(RetirableQuerySet):
    def for_listing(self):
        return self.current().prefetch_related(
            models.Prefetch(
                "indications",
                queryset=Indication.objects.current()
                .select_related("disease", "regulator")
                .prefetch_related("rules")
                .order_by("regulator__order", "regulator_id", "approved_on"),
            )
        )

    def for_detail(self):
        return self.current().prefetch_related(
            "sources",
            models.Prefetch(
                "indications",
                queryset=Indication.objects.current()
                .select_related("disease", "regulator")
                .prefetch_related("sources", "rules")
                .order_by(
                    "regulator__order", "regulator_id", "disease__order", "approved_on"
                ),
            ),
            models.Prefetch(
                "prices", queryset=Price.objects.current().order_by("country")
            ),
            models.Prefetch(
                "trial_results",
                queryset=TrialResult.objects.current()
                .select_related("therapy", "disease")
                .prefetch_related("sources")
                .order_by("disease__order", "order", "trial"),
            ),
        )


class Therapy(ReviewedContent, Retirable):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    brand_name = models.CharField(_("brand name"), max_length=80)
    generic_name = models.CharField(_("generic name"), max_length=120)
    short_name = models.CharField(
        _("short name"), max_length=40, blank=True, help_text=_("For example axi-cel.")
    )
    maker = models.CharField(_("maker"), max_length=200)
    target = models.CharField(
        _("target antigen"), max_length=40, help_text=_("For example CD19 or BCMA.")
    )
    summary = models.TextField(_("plain-language summary"))
    how_given = models.TextField(_("how it is made and given"))
    key_results = models.TextField(
        _("key results"), help_text=_("Trial names with their main results.")
    )
    side_effects = models.TextField(_("main side effects"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = catalog_history()

    objects = TherapyQuerySet.as_manager()

    class Meta:
        ordering = ["order", "brand_name"]
        verbose_name = _("therapy")
        verbose_name_plural = _("therapies")

    def __str__(self):
        return f"{self.brand_name} ({self.generic_name})"


class Indication(ReviewedContent, Retirable):
    class ApprovalKind(models.TextChoices):
        REGULAR = "regular", _("Regular approval")
        ACCELERATED = "accelerated", _("Accelerated approval")
        CONDITIONAL = "conditional", _("Conditional approval")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    therapy = models.ForeignKey(
        Therapy, models.CASCADE, related_name="indications", verbose_name=_("therapy")
    )
    disease = models.ForeignKey(
        Disease, models.PROTECT, related_name="indications", verbose_name=_("disease")
    )
    # The column keeps the regulator's code (FDA), as before it was a table.
    regulator = models.ForeignKey(
        Regulator,
        models.PROTECT,
        to_field="code",
        db_column="regulator",
        related_name="indications",
        verbose_name=_("regulator"),
    )
    label = models.TextField(_("label wording, in our own words"))
    approved_on = models.DateField(_("approval date"), null=True, blank=True)
    approval_note = models.CharField(
        _("approval date note"),
        max_length=120,
        blank=True,
        help_text=_("When only a month or year is known."),
    )
    approval_kind = models.CharField(
        _("approval kind"),
        max_length=12,
        choices=ApprovalKind.choices,
        default=ApprovalKind.REGULAR,
    )
    regular_approval_on = models.DateField(
        _("became a regular approval on"),
        null=True,
        blank=True,
        help_text=_(
            "For an accelerated or conditional approval that the regulator has "
            "since turned into a regular one."
        ),
    )
    wording_confirmed = models.BooleanField(
        _("wording confirmed"),
        default=True,
        help_text=_(
            "Off when we could not confirm the label's exact wording: patients "
            "are told to check with their team."
        ),
    )
    history = catalog_history()

    objects = RetirableQuerySet.as_manager()

    class Meta:
        ordering = ["therapy__order", "regulator__order", "disease__order"]
        verbose_name = _("indication")
        indexes = [models.Index(fields=["regulator", "disease"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(regular_approval_on__isnull=True)
                | ~Q(approval_kind="regular"),
                name="indication_regular_date_only_after_other_kind",
                violation_error_message=_(
                    "Only an accelerated or conditional approval can later "
                    "become a regular one: clear that date, or choose the kind "
                    "it was first approved as."
                ),
            ),
            models.CheckConstraint(
                condition=Q(regular_approval_on__isnull=True)
                | Q(approved_on__isnull=True)
                | Q(regular_approval_on__gte=F("approved_on")),
                name="indication_regular_after_approval",
                violation_error_message=_(
                    "An approval cannot become regular before it was first granted."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.therapy.brand_name} · {self.disease.name} · {self.regulator_id}"


class DiscussionTopic(ReviewedContent, Retirable):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("body"), help_text=_("Plain words, about a grade-8 reading level.")
    )
    question = models.CharField(
        _("question to ask"),
        max_length=300,
        help_text=_("One question the patient can read out to the doctor."),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=50,
        help_text=_("Higher comes first. Urgent topics use 100."),
    )
    when_no_therapy_fits = models.BooleanField(
        _("also when no therapy fits"),
        default=False,
        help_text=_(
            "Also raise this topic when no approved therapy's label fits the "
            "patient's answers, whatever its rules say."
        ),
    )
    history = catalog_history()

    objects = RetirableQuerySet.as_manager()

    class Meta:
        ordering = ["-priority", "title"]
        verbose_name = _("discussion topic")

    def __str__(self):
        return self.title


class EligibilityQuestion(ReviewedContent, Retirable):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.TextField(_("help text"), blank=True)
    diseases = models.ManyToManyField(
        Disease,
        blank=True,
        verbose_name=_("diseases"),
        help_text=_("Leave empty to ask for every disease."),
    )
    topic_if_yes = models.ForeignKey(
        DiscussionTopic,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic if yes"),
    )
    topic_if_no = models.ForeignKey(
        DiscussionTopic,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic if no"),
    )
    topic_if_unsure = models.ForeignKey(
        DiscussionTopic,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic if not sure"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = catalog_history("diseases")

    objects = RetirableQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("eligibility question")

    def __str__(self):
        return self.text

    def topic_for(self, answer: str):
        return {
            "yes": self.topic_if_yes,
            "no": self.topic_if_no,
            "unsure": self.topic_if_unsure,
        }.get(answer)


@deconstructible
class CodesValidator:
    """Accepts a JSON list whose items are all codes of one vocabulary."""

    def __init__(self, vocabulary: str):
        self.vocabulary = vocabulary

    def __call__(self, value):
        allowed = set(VOCABULARIES[self.vocabulary].values)
        if not isinstance(value, list) or any(v not in allowed for v in value):
            raise ValidationError(
                _("Use a list of these codes: %(codes)s.")
                % {"codes": ", ".join(sorted(allowed))}
            )

    def __eq__(self, other):
        return isinstance(other, CodesValidator) and other.vocabulary == self.vocabulary


def condition_field(condition: Condition, label) -> models.Field:
    """The model field holding one of `condition`'s values (conditions.py)."""
    if condition.takes_codes:
        return models.JSONField(
            label,
            default=list,
            blank=True,
            validators=[CodesValidator(condition.vocabulary)],
        )
    if condition.match is Match.RANGE:
        return models.PositiveSmallIntegerField(
            label,
            null=True,
            blank=True,
            validators=[MaxValueValidator(condition.bounds[1])],
        )
    return models.BooleanField(label, null=True, blank=True)


def range_ordered(condition: Condition) -> models.CheckConstraint:
    low, high = condition.fields
    low_label, high_label = condition.labels
    return models.CheckConstraint(
        condition=Q(**{f"{low}__isnull": True})
        | Q(**{f"{high}__isnull": True})
        | Q(**{f"{low}__lte": F(high)}),
        name=f"rule_{condition.name}_range_ordered",
        violation_error_message=format_lazy(
            _("The {low} is above the {high}: no patient could meet this rule."),
            low=low_label,
            high=high_label,
        ),
    )


@deconstructible
class OpenConditionsValidator:
    """Accepts a JSON list of the conditions a rule on an indication must say."""

    def __call__(self, value):
        allowed = {c.name for c in REQUIRED_ON_INDICATIONS}
        if not isinstance(value, list) or any(v not in allowed for v in value):
            raise ValidationError(
                _("Use a list of these conditions: %(names)s.")
                % {"names": ", ".join(sorted(allowed))}
            )

    def __eq__(self, other):
        return isinstance(other, OpenConditionsValidator)


@deconstructible
class ToCheckValidator:
    """Accepts a JSON list of answer codes a rule can leave to check."""

    def __call__(self, value):
        if not isinstance(value, list) or any(v not in CODES_TO_CHECK for v in value):
            raise ValidationError(
                _("Use a list of these codes: %(codes)s.")
                % {"codes": ", ".join(sorted(CODES_TO_CHECK))}
            )

    def __eq__(self, other):
        return isinstance(other, ToCheckValidator)


# The Rule's condition fields, one or two per row of the conditions table.
RuleConditions = type(
    "RuleConditions",
    (models.Model,),
    {
        "__module__": __name__,
        "__doc__": "A rule's conditions, as conditions.CONDITIONS declares them.",
        "Meta": type("Meta", (), {"abstract": True}),
        **{
            name: condition_field(condition, label)
            for condition in CONDITIONS
            for name, label in zip(condition.fields, condition.labels, strict=True)
        },
    },
)


class Rule(RuleConditions):
    """One set of conditions for an indication, a topic or a question.

    The owner applies when any of its rules is met. Empty lists mean "any".
    """

    indication = models.ForeignKey(
        Indication, models.CASCADE, null=True, blank=True, related_name="rules"
    )
    topic = models.ForeignKey(
        DiscussionTopic, models.CASCADE, null=True, blank=True, related_name="rules"
    )
    question = models.ForeignKey(
        EligibilityQuestion, models.CASCADE, null=True, blank=True, related_name="rules"
    )
    note = models.CharField(_("what this route is"), max_length=200, blank=True)
    # A rule on an indication says what it requires of each condition the
    # table marks `required_on_indications`, or that the label sets no limit.
    no_limit_on = models.JSONField(
        _("the label sets no limit on"),
        default=list,
        blank=True,
        validators=[OpenConditionsValidator()],
        help_text=_(
            "Tick only when the approved label names no such limit: a rule on "
            "an indication must say both, one way or the other."
        ),
    )
    # Answers that may or may not meet the label: it draws a line our answers
    # cannot (relapse within 24 months, when we ask about 12). They make the
    # therapy a point to check with the care team, not a "not yet".
    to_check = models.JSONField(
        _("answers left to check"),
        default=list,
        blank=True,
        validators=[ToCheckValidator()],
        help_text=_(
            "Tick an answer the rule does not accept but the label may still "
            "cover, where the label draws a line our questions cannot: patients "
            "who give it see the therapy as a point to check, not as a miss."
        ),
    )
    history = HistoricalRecords()

    # The conditions, in the order people read them; loader and admin use this.
    CONDITION_FIELDS = CONDITION_FIELDS

    class Meta:
        verbose_name = _("rule")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        indication__isnull=False,
                        topic__isnull=True,
                        question__isnull=True,
                    )
                    | Q(
                        indication__isnull=True,
                        topic__isnull=False,
                        question__isnull=True,
                    )
                    | Q(
                        indication__isnull=True,
                        topic__isnull=True,
                        question__isnull=False,
                    )
                ),
                name="rule_has_exactly_one_owner",
                violation_error_message=_(
                    "A rule belongs to exactly one indication, topic or question."
                ),
            ),
            *(range_ordered(c) for c in CONDITIONS if c.match is Match.RANGE),
        ]

    def __str__(self):
        return self.note or f"Rule {self.pk}"

    def criteria(self, disease_code: str | None = None) -> Criteria:
        """This rule as a `Criteria`; an indication's rule takes its disease."""
        values = {name: getattr(self, name) for name in CONDITION_FIELDS}
        values["to_check"] = self.to_check or ()
        if disease_code:
            values["diseases"] = (disease_code,)
        return Criteria.from_values(values)

    @property
    def on_indication(self) -> bool:
        # In an inline on a new indication the parent is not saved yet.
        return self.indication_id is not None or self.indication is not None

    def summary(self) -> str:
        """The rule in one line of plain words, for editors."""
        parts = [summarise(self.criteria())] if not self.criteria().is_empty() else []
        parts += [
            _("no limit on %(name)s in the label") % {"name": BY_NAME[n].name_label}
            for n in self.no_limit_on or ()
            if n in BY_NAME
        ]
        if self.to_check:
            parts.append(
                _("to check: %(answers)s")
                % {"answers": ", ".join(code_label(c) for c in self.to_check)}
            )
        return "; ".join(parts) or _("no conditions")

    def clean(self):
        super().clean()
        errors = rule_problems(self)
        if errors:
            raise ValidationError(errors)


def rule_problems(rule: Rule) -> list:
    """Why `rule` would mislead patients: it says too little, or nobody could
    meet it. Empty when it is fine."""
    criteria = rule.criteria()
    if criteria.is_empty() and not rule.no_limit_on:
        return [
            _(
                "Set at least one condition: a rule with only a note lets every "
                "patient through."
            )
        ]
    problems = []
    if rule.on_indication:
        problems += unsaid_conditions(rule, criteria)
    if impossible_status(criteria):
        problems.append(
            _(
                "Newly diagnosed means no treatment yet, so it cannot go with "
                "a minimum of one or more prior lines."
            )
        )
    problems += to_check_problems(rule, criteria)
    if rule.on_indication and criteria.lbcl_subtypes:
        disease = rule.indication.disease if rule.indication.disease_id else None
        if disease is not None and disease.code != "lbcl":
            problems.append(
                _(
                    "Kinds of large B-cell lymphoma only apply to an indication "
                    "for large B-cell lymphoma."
                )
            )
    return problems


def code_label(code: str) -> str:
    """An answer code a rule may leave to check, as the intake words it."""
    for condition in CAN_LEAVE_TO_CHECK:
        vocabulary = VOCABULARIES[condition.vocabulary]
        if code in vocabulary.values:
            return str(vocabulary(code).label)
    return code


def to_check_problems(rule: Rule, criteria: Criteria) -> list:
    """Why the answers `rule` leaves to check would mislead: each must answer
    exactly one condition the rule sets, and one the rule does not accept."""
    if not rule.to_check:
        return []
    if not rule.on_indication:
        return [
            _(
                "Only a rule on an indication can leave answers to check: a "
                "topic or a question either applies or it does not."
            )
        ]
    problems = []
    set_here = [c for c in criteria.conditions() if c.can_leave_to_check]
    for code in rule.to_check:
        answered = [c for c in set_here if code in c.codes_to_check((code,))]
        words = {"answer": code_label(code)}
        if not answered:
            problems.append(
                _(
                    "“%(answer)s” is not an answer to a condition this rule "
                    "sets, so it cannot be left to check."
                )
                % words
            )
        elif len(answered) > 1:
            problems.append(
                _(
                    "“%(answer)s” answers more than one condition of this rule, "
                    "so which one it leaves to check is unclear."
                )
                % words
            )
        elif code in answered[0].accepted(criteria):
            problems.append(
                _(
                    "This rule accepts “%(answer)s”: untick it from the answers "
                    "left to check."
                )
                % words
            )
    return problems


def unsaid_conditions(rule: Rule, criteria: Criteria) -> list:
    problems = []
    for condition in REQUIRED_ON_INDICATIONS:
        said = condition.is_set(criteria)
        left_open = condition.name in (rule.no_limit_on or ())
        if not said and not left_open:
            problems.append(
                _(
                    "Say what this rule requires of %(name)s, or tick that the "
                    "label sets no limit on it."
                )
                % {"name": condition.name_label}
            )
        elif said and left_open:
            problems.append(
                _(
                    "This rule limits %(name)s and also says the label sets no "
                    "limit on it: keep one."
                )
                % {"name": condition.name_label}
            )
    return problems


def impossible_status(criteria: Criteria) -> bool:
    statuses = set(criteria.relapse_statuses)
    return (
        bool(statuses)
        and statuses <= {"newly_diagnosed"}
        and (criteria.min_prior_lines or 0) > 0
    )


class TreatmentCenterQuerySet(RetirableQuerySet):
    def for_listing(self):
        return self.current().prefetch_related(
            models.Prefetch("therapies", queryset=Therapy.objects.current())
        )

    def country_codes(self):
        return (
            self.current()
            .order_by("country")
            .values_list("country", flat=True)
            .distinct()
        )


def country_in_capitals(model_name: str) -> models.CheckConstraint:
    """The database keeps one spelling of each country: `us` is not a second
    United States."""
    return models.CheckConstraint(
        condition=Q(country=Upper("country")),
        name=f"{model_name}_country_in_capitals",
        violation_error_message=_("Choose the country from the list."),
    )


class TreatmentCenter(ReviewedContent, Retirable):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city"), max_length=120)
    region = models.CharField(
        _("region or state"),
        max_length=120,
        blank=True,
        help_text=_("The state, province or region, such as California."),
    )
    country = CountryField(_("country"))
    therapies = models.ManyToManyField(
        Therapy, blank=True, related_name="centers", verbose_name=_("products offered")
    )
    products_verified = models.BooleanField(
        _("products verified"),
        default=False,
        help_text=_("Off until staff confirm the products with the centre."),
    )
    accepts_international = models.BooleanField(
        _("accepts international patients"), null=True, blank=True
    )
    trials = models.TextField(_("clinical trials"), blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    history = catalog_history("therapies")

    objects = TreatmentCenterQuerySet.as_manager()

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("treatment centre")
        indexes = [models.Index(fields=["country"])]
        constraints = [country_in_capitals("treatmentcenter")]

    def __str__(self):
        return f"{self.name}, {self.city}"


class Currency(models.TextChoices):
    """The currencies a price's local amounts may be in (ISO 4217 codes).

    A currency added here needs its amount format in therapies/money.py.
    """

    CNY = "CNY", _("Chinese yuan (RMB)")
    EUR = "EUR", _("Euro")
    GBP = "GBP", _("Pound sterling")
    INR = "INR", _("Indian rupee")


class PriceKind(models.TextChoices):
    """Who a price comes from, so a page never shows an estimate as a quote,
    or the cost of joining a trial as a treatment's price."""

    TRAVEL_ESTIMATE = "travel_estimate", _("Estimate from a medical-travel company")
    LIST_PRICE = "list_price", _("Price from the maker, regulator or health system")
    REPORTED = "reported", _("Price reported in the news")
    TRIAL_COST = "trial_cost", _("Cost of joining a clinical trial")


class Price(ReviewedContent, Retirable):
    therapy = models.ForeignKey(
        Therapy,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="prices",
        verbose_name=_("therapy"),
        help_text=_("Empty for the cost of joining a clinical trial."),
    )
    label = models.CharField(
        _("label"),
        max_length=120,
        blank=True,
        help_text=_("What is priced when it is not one product, such as trials."),
    )
    country = CountryField(_("country"))
    kind = models.CharField(
        _("kind of price"),
        max_length=20,
        choices=PriceKind.choices,
        # The first seeded prices were all a medical-travel site's estimates;
        # the safe default never presents a price as a quote.
        default=PriceKind.TRAVEL_ESTIMATE,
    )
    estimated_by = models.CharField(
        _("whose price"),
        max_length=120,
        blank=True,
        help_text=_("Who gives this price, as the page names them, such as CancerFax."),
    )
    low_usd = models.PositiveIntegerField(
        _("low (USD)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    high_usd = models.PositiveIntegerField(
        _("high (USD)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    currency = models.CharField(
        _("local currency"),
        max_length=3,
        choices=Currency.choices,
        blank=True,
        help_text=_("The currency of the local amounts, when the source gives them."),
    )
    low_local = models.PositiveBigIntegerField(
        _("low (local currency)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    high_local = models.PositiveBigIntegerField(
        _("high (local currency)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    as_of = models.DateField(_("as of"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = catalog_history()

    objects = RetirableQuerySet.as_manager()

    class Meta:
        ordering = ["therapy__order", "country"]
        verbose_name = _("price")
        constraints = [
            models.CheckConstraint(
                condition=Q(low_usd__isnull=True, high_usd__isnull=True)
                | Q(
                    low_usd__isnull=False,
                    high_usd__isnull=False,
                    low_usd__lte=F("high_usd"),
                ),
                name="price_low_not_above_high",
                violation_error_message=_(
                    "Give both US dollar amounts, the low one first, or neither."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    currency="", low_local__isnull=True, high_local__isnull=True
                )
                | (
                    ~Q(currency="")
                    & Q(
                        low_local__isnull=False,
                        high_local__isnull=False,
                        low_local__lte=F("high_local"),
                    )
                ),
                name="price_local_amounts_have_a_currency",
                violation_error_message=_(
                    "Local amounts need their currency and both amounts, the low "
                    "one first; a currency needs the amounts."
                ),
            ),
            models.CheckConstraint(
                condition=Q(low_usd__isnull=False) | ~Q(currency=""),
                name="price_has_an_amount",
                violation_error_message=_(
                    "Give the price in US dollars, in the local currency, or both."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind=PriceKind.TRIAL_COST) | Q(therapy__isnull=True),
                name="price_trial_cost_names_no_product",
                violation_error_message=_(
                    "The cost of joining a trial is never shown as a product's "
                    "price: leave the therapy empty and give it a label."
                ),
            ),
            models.CheckConstraint(
                condition=Q(currency=Upper("currency")),
                name="price_currency_in_capitals",
                violation_error_message=_("Choose the currency from the list."),
            ),
            models.UniqueConstraint(
                fields=["therapy", "country", "label"],
                name="price_unique_per_country",
                violation_error_message=_(
                    "This product already has a price for this country with "
                    "this label: change that one, or give this one a label."
                ),
            ),
            country_in_capitals("price"),
        ]

    def __str__(self):
        what = self.therapy.brand_name if self.therapy_id else self.label
        amounts = [
            f"${self.low_usd:,}–${self.high_usd:,}" if self.low_usd else "",
            f"{self.currency} {self.low_local:,}–{self.high_local:,}"
            if self.currency
            else "",
        ]
        return f"{what} · {self.country}: {' · '.join(a for a in amounts if a)}"


class CostNoteQuerySet(RetirableQuerySet):
    def for_snapshot(self):
        return self.current().prefetch_related("sources").order_by("slug")


class CostNote(ReviewedContent, Retirable):
    """What we know of cost and coverage (who pays) in one or more countries.

    The results page shows the note for the patient's country; a note with no
    countries is the general one, for every country without a note of its own,
    and says plainly that we have no information there.
    """

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    countries = CountryField(
        _("countries"),
        multiple=True,
        blank=True,
        help_text=_(
            "Leave empty for the general note shown where no note names the "
            "patient's country."
        ),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("body"), help_text=_("Plain words, about a grade-8 reading level.")
    )
    history = catalog_history()

    objects = CostNoteQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("cost and coverage note")
        constraints = [
            models.UniqueConstraint(
                fields=["countries"],
                condition=Q(countries="", retired_on__isnull=True),
                name="cost_note_one_general_note",
                violation_error_message=_(
                    "There is already a general note (one with no countries): "
                    "change that one, or name countries for this one."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        # One note per country, so a patient's country names one note.
        others = (
            CostNote.objects.current().exclude(pk=self.pk).only("slug", "countries")
        )
        clashes = country_clashes(self.countries, others, "slug")
        if clashes and self.retired_on is None:
            raise ValidationError(
                {
                    "countries": _(
                        "These countries already have a cost and coverage note: "
                        "%(countries)s."
                    )
                    % {"countries": ", ".join(clashes)}
                }
            )


class TrialResultQuerySet(RetirableQuerySet):
    def for_snapshot(self):
        """Trials patients may be shown: neither they nor their product retired."""
        return (
            self.current()
            .filter(therapy__retired_on__isnull=True)
            .select_related("therapy", "disease")
            .prefetch_related(models.Prefetch("sources", queryset=Source.objects.all()))
            .order_by("therapy__order", "therapy__slug", "disease__order", "order")
        )


def rate_text(value) -> str | None:
    """A percentage as people write it: 8, not 8.0; 2.4 stays 2.4."""
    if value is None or value == "":
        return None
    return format(Decimal(str(value)).normalize(), "f")


def percent_field(label) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_(
            "Percent of the trial's patients, as the source states it. Leave "
            "empty when no source confirms it: patients then see no number."
        ),
    )


class TrialResult(ReviewedContent, Retirable):
    """The results of one pivotal trial of a product, for the patients of one
    disease: a patient sees only the trials of their own disease, so nobody
    reads another disease's rates of severe side effects."""

    class Grade(models.TextChoices):
        # How the source counts "severe"; pages name it beside the rate.
        GRADE_3_OR_HIGHER = "3_or_higher", _("grade 3 or higher")
        GRADE_3_OR_4 = "3_or_4", _("grade 3 or 4")
        GRADE_3 = "3", _("grade 3")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    therapy = models.ForeignKey(
        Therapy,
        models.CASCADE,
        related_name="trial_results",
        verbose_name=_("therapy"),
    )
    disease = models.ForeignKey(
        Disease,
        models.PROTECT,
        related_name="trial_results",
        verbose_name=_("disease"),
        help_text=_("Only patients with this disease see this trial."),
    )
    trial = models.CharField(
        _("trial"), max_length=80, help_text=_("Its name, such as ZUMA-5.")
    )
    population = models.TextField(
        _("who was in the trial"),
        help_text=_("Plain words, such as: adults with follicular lymphoma."),
    )
    patients = models.PositiveIntegerField(
        _("number of patients"), null=True, blank=True
    )
    results = models.TextField(
        _("main results"), blank=True, help_text=_("Plain words, grade-8 reading.")
    )
    severe_crs = percent_field(_("severe cytokine release syndrome (%)"))
    crs_grade = models.CharField(
        _("what counts as severe CRS"),
        max_length=12,
        choices=Grade.choices,
        default=Grade.GRADE_3_OR_HIGHER,
    )
    severe_neuro = percent_field(_("severe neurologic events (%)"))
    neuro_grade = models.CharField(
        _("what counts as severe neurologic events"),
        max_length=12,
        choices=Grade.choices,
        default=Grade.GRADE_3_OR_HIGHER,
    )
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower comes first in lists.")
    )
    history = catalog_history()

    objects = TrialResultQuerySet.as_manager()

    class Meta:
        ordering = ["therapy__order", "disease__order", "order", "trial"]
        verbose_name = _("trial result")
        indexes = [models.Index(fields=["therapy", "disease"])]

    def __str__(self):
        return f"{self.trial} · {self.therapy.brand_name} · {self.disease.name}"


dial_digits = RegexValidator(
    r"^[0-9]{2,15}$", _("Digits only, as a person dials them, such as 911.")
)


class EmergencyNumberQuerySet(models.QuerySet):
    def for_countries(self, codes) -> dict:
        """{country code: its emergency number} for those of `codes` we know."""
        rows = self.filter(country__in=list(codes)).only(
            "country", "number", "second_number", "second_number_use", "last_reviewed"
        )
        return {row.country.code: row for row in rows}


class EmergencyNumber(ReviewedContent):
    """The number to dial for an ambulance in one country.

    Pages show it as a tap-to-call link for someone unwell after CAR T; which
    number a country uses is data staff keep, not code.
    """

    class SecondUse(models.TextChoices):
        # Pages print the label, then the number: "You can also call 112".
        ALSO = "also", _("You can also call")
        AMBULANCE = "ambulance", _("For an ambulance, you can also call")
        MOBILE = "mobile", _("From a mobile phone, you can also call")

    country = CountryField(_("country"), unique=True)
    number = models.CharField(
        _("number to call"),
        max_length=15,
        validators=[dial_digits],
        help_text=_("The number for an ambulance or any emergency."),
    )
    second_number = models.CharField(
        _("second number"), max_length=15, blank=True, validators=[dial_digits]
    )
    second_number_use = models.CharField(
        _("when to use the second number"),
        max_length=12,
        choices=SecondUse.choices,
        blank=True,
    )
    history = catalog_history()

    objects = EmergencyNumberQuerySet.as_manager()

    class Meta:
        ordering = ["country"]
        verbose_name = _("emergency number")
        constraints = [
            models.CheckConstraint(
                condition=Q(second_number="", second_number_use="")
                | (~Q(second_number="") & ~Q(second_number_use="")),
                name="emergency_second_number_has_a_use",
                violation_error_message=_(
                    "A second number needs a note on when to use it, and that "
                    "note needs a second number."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.country.code}: {self.number}"


# The full check of a reference patient's answers (keys, codes, ranges) belongs
# to the intake, which owns the contract's answers: it adds its parser here
# when the apps load (intake/apps.py), as `therapies` never imports `intake`.
# A check takes the answers (a dict) and raises ValueError saying what is wrong.
ANSWER_CHECKS: list[Callable[[dict], None]] = []

ANSWERS_EXAMPLE = '{"disease": "lbcl", "age": 61, "country": "US"}'


class ReferencePatientQuerySet(models.QuerySet):
    def for_snapshot(self):
        return self.order_by("name")


class ReferencePatient(ReviewedContent):
    """A made-up patient whose results staff have checked against the labels.

    Catalog data: a rule edit that changes what such a patient is shown (an
    age limit typed wrong) makes `check_reference_patients` fail, naming the
    patient and what differs. Answers are in the intake contract's codes;
    expectations name therapies and topics by slug.
    """

    name = models.CharField(
        _("name"),
        max_length=200,
        unique=True,
        help_text=_("Who this is, such as “adult B-ALL, second relapse, US”."),
    )
    answers = models.JSONField(
        _("answers"),
        default=dict,
        help_text=_(
            "The patient's answers in the intake contract's codes, as a JSON "
            'object, such as {"disease": "lbcl", "age": 61, "country": "US"}.'
        ),
    )
    must_show_therapies = models.JSONField(
        _("therapies that must be shown"), default=list, blank=True
    )
    must_not_show_therapies = models.JSONField(
        _("therapies that must not be shown"), default=list, blank=True
    )
    must_show_topics = models.JSONField(
        _("topics that must be shown"), default=list, blank=True
    )
    must_not_show_topics = models.JSONField(
        _("topics that must not be shown"), default=list, blank=True
    )
    expect_urgent = models.BooleanField(
        _("urgent warning expected"),
        null=True,
        blank=True,
        help_text=_("Yes, no, or unknown when it does not matter."),
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("Why these expectations: the label's words.")
    )
    history = HistoricalRecords()

    objects = ReferencePatientQuerySet.as_manager()

    # (expectation field, the model whose slugs it names)
    EXPECTATIONS = (
        ("must_show_therapies", "therapy"),
        ("must_not_show_therapies", "therapy"),
        ("must_show_topics", "topic"),
        ("must_not_show_topics", "topic"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("reference patient")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        answers_error = self._answers_error()
        if answers_error:
            errors["answers"] = answers_error
        errors.update(self._expectation_errors())
        if errors:
            raise ValidationError(errors)

    def _answers_error(self):
        if not isinstance(self.answers, dict):
            return _("Write the answers as a JSON object, such as %(example)s.") % {
                "example": ANSWERS_EXAMPLE
            }
        for check in ANSWER_CHECKS:
            try:
                check(self.answers)
            except ValueError as exc:
                return _("These answers are not valid: %(error)s") % {"error": exc}
        return None

    def _expectation_errors(self) -> dict:
        known = {
            "therapy": set(Therapy.objects.values_list("slug", flat=True)),
            "topic": set(DiscussionTopic.objects.values_list("slug", flat=True)),
        }
        errors = {}
        for name, kind in self.EXPECTATIONS:
            value = getattr(self, name)
            if not isinstance(value, list) or not all(
                isinstance(s, str) for s in value
            ):
                errors[name] = _('Write a list of slugs, such as ["yescarta"].')
                continue
            unknown = sorted(set(value) - known[kind])
            if unknown:
                message = (
                    _("No therapy has the slug %(slugs)s.")
                    if kind == "therapy"
                    else _("No topic has the slug %(slugs)s.")
                )
                errors[name] = message % {"slugs": ", ".join(unknown)}
        for show, hide in (
            ("must_show_therapies", "must_not_show_therapies"),
            ("must_show_topics", "must_not_show_topics"),
        ):
            both = sorted(set(self._slugs(show)) & set(self._slugs(hide)))
            if both and hide not in errors:
                errors[hide] = _("Both must and must not be shown: %(slugs)s.") % {
                    "slugs": ", ".join(both)
                }
        return errors

    def _slugs(self, name: str) -> list[str]:
        value = getattr(self, name)
        return (
            [s for s in value if isinstance(s, str)] if isinstance(value, list) else []
        )


def version_pair(version, changed_at) -> tuple:
    """(version, changed_at) the same way however it was read: the time as
    text, so the pairs that different queries read compare equal."""
    if version is None:
        return (0, None)
    return (int(version), None if changed_at is None else str(changed_at))


class CatalogVersion(models.Model):
    """A single row bumped on every catalog change, so every worker on every
    server notices with one cheap query and reloads its cached catalog."""

    version = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("catalog version")

    def __str__(self):
        return f"v{self.version}"

    @classmethod
    def current(cls) -> tuple:
        """(version, changed_at): the pair changes whenever the catalog does,
        also across a database restore that rewinds the counter."""
        row = cls.objects.filter(pk=1).values_list("version", "changed_at").first()
        return version_pair(*row) if row else (0, None)

    @classmethod
    def bump(cls) -> None:
        updated = cls.objects.filter(pk=1).update(
            version=F("version") + 1, changed_at=timezone.now()
        )
        if not updated:
            cls.objects.get_or_create(pk=1)


class CatalogReleaseQuerySet(models.QuerySet):
    def latest_version(self) -> tuple:
        """(number, published_at) of the latest release, or (0, None) before
        the first: one query, the pair every cache of patient pages is keyed by."""
        row = self.order_by("-number").values_list("number", "published_at").first()
        return version_pair(*row) if row else (0, None)

    def latest_version_columns(self) -> dict:
        """The same pair as annotations, to read it along with another query."""
        latest = self.order_by("-number")
        return {
            "release_number": Subquery(latest.values("number")[:1]),
            "release_published_at": Subquery(latest.values("published_at")[:1]),
        }

    def with_publisher(self):
        return self.select_related("published_by", "republishes")


class CatalogRelease(models.Model):
    """A published, numbered and immutable copy of the whole catalog.

    Staff edit the working copy (every other model here); patients, the print
    view and `suggest` read the latest release. A database trigger (migration
    0007) refuses any change to a release once written, whoever asks.
    """

    number = models.PositiveIntegerField(_("number"), unique=True)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    # PROTECT: a user who published a release is deactivated, never deleted.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"))
    published_own_edits = models.BooleanField(
        _("published by one of its editors"),
        default=False,
        help_text=_(
            "Only where a one-person deployment allows it "
            "(CATALOG_ALLOW_PUBLISHING_OWN_EDITS)."
        ),
    )
    republishes = models.ForeignKey(
        "self",
        verbose_name=_("publishes again"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Set on a rollback: the earlier release published again."),
    )
    # {language code: the catalog snapshot in that language (snapshot_json)}
    data = models.JSONField(_("catalog"), editable=False)

    objects = CatalogReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("catalog release")
        verbose_name_plural = _("catalog releases")
        permissions = [("publish_catalogrelease", _("Can publish a catalog release"))]

    def __str__(self):
        return gettext("Release %(number)s") % {"number": self.number}
