"""factory_boy factories, one per model, grouped by app and in model order.

Catalog factories make rows that do not collide with the seeded catalog the
test database starts with (sequences give fresh slugs and keys). Content is
made up and carries no patient data.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from therapies import models as catalog

# ---------------------------------------------------------------- accounts


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class CatalogEditorFactory(UserFactory):
    """Staff with every permission on the catalog app, and nothing more."""

    is_staff = True

    @factory.post_generation
    def catalog_permissions(self, create, extracted, **kwargs):
        if create:
            self.user_permissions.set(
                Permission.objects.filter(content_type__app_label="therapies").exclude(
                    codename="publish_catalogrelease"
                )
            )


class ClinicalReviewerFactory(CatalogEditorFactory):
    """A catalog editor in the Clinical reviewers group: may publish releases."""

    @factory.post_generation
    def reviewers_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(clinical_reviewers_group())


def clinical_reviewers_group():
    """The group migration therapies 0007 creates (made again after a flush)."""
    from django.contrib.auth.models import Group

    group, _ = Group.objects.get_or_create(name="Clinical reviewers")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="therapies",
            codename__in=["publish_catalogrelease", "view_catalogrelease"],
        )
    )
    return group


class CoordinatorFactory(UserFactory):
    """A nurse navigator: in the Coordinators group, not staff."""

    first_name = factory.Sequence(lambda n: f"Nav{n}")
    last_name = "Coordinator"

    @factory.post_generation
    def coordinators_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(coordinators_group())


def coordinators_group():
    """The group the data migration creates (made again if a test flushed it)."""
    from django.contrib.auth.models import Group

    group, _ = Group.objects.get_or_create(name="Coordinators")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="intake", codename="review_submission"
        )
    )
    return group


class AuthenticatorAppFactory(factory.django.DjangoModelFactory):
    """A confirmed authenticator app (TOTP), the second factor."""

    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True


def app_code(device: TOTPDevice) -> str:
    """The code the person's authenticator app shows now."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{code:0{device.digits}d}"


def sign_in_verified(client, user, **kwargs):
    """`client` signed in as `user` with password and second factor both done.

    The session holds what django_otp.login() stores after a good code; the
    real check (SecondFactorMiddleware) still runs on every request.
    """
    client.force_login(user, **kwargs)
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    device = device or AuthenticatorAppFactory(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


# ---------------------------------------------------------------- therapies


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalog.Source

    key = factory.Sequence(lambda n: f"test-source-{n}")
    title = factory.Sequence(lambda n: f"Test source {n}")
    publisher = "Test publisher"
    url = factory.LazyAttribute(lambda s: f"https://example.org/{s.key}")
    published = "2024"


class ReviewedFactory(factory.django.DjangoModelFactory):
    """Fields every ReviewedContent model shares."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    last_reviewed = factory.LazyFunction(datetime.date.today)

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create and extracted:
            self.sources.set(extracted)


class DiseaseFactory(ReviewedFactory):
    """The seeded catalog holds every contract disease code: this fetches one."""

    class Meta:
        model = catalog.Disease
        django_get_or_create = ("code",)

    code = "lbcl"
    name = "Large B-cell lymphoma"
    description = "A made-up description."


class TherapyFactory(ReviewedFactory):
    class Meta:
        model = catalog.Therapy

    slug = factory.Sequence(lambda n: f"test-therapy-{n}")
    brand_name = factory.Sequence(lambda n: f"Testcel {n}")
    generic_name = factory.Sequence(lambda n: f"testcabtagene autoleucel {n}")
    maker = "Test Pharma"
    target = "CD19"
    summary = "A made-up product for tests."
    how_given = "Made from your own T cells."
    key_results = "TEST-1: everyone responded."
    side_effects = "CRS and ICANS."
    order = 100


class RegulatorFactory(ReviewedFactory):
    class Meta:
        model = catalog.Regulator
        django_get_or_create = ["code"]

    code = "FDA"
    name = factory.LazyAttribute(lambda o: f"{o.code} (test regulator)")
    countries = factory.LazyAttribute(lambda o: ["US"] if o.code == "FDA" else [])
    approvals_checked = datetime.date(2026, 11, 22)
    coverage = catalog.Regulator.Coverage.PARTIAL


def regulator(code: str) -> catalog.Regulator:
    """The regulator with `code`: the migrated one when it exists."""
    return RegulatorFactory(code=code)


class IndicationFactory(ReviewedFactory):
    class Meta:
        model = catalog.Indication

    slug = factory.Sequence(lambda n: f"test-indication-{n}")
    therapy = factory.SubFactory(TherapyFactory)
    disease = factory.SubFactory(DiseaseFactory)
    regulator = factory.LazyFunction(lambda: regulator("FDA"))
    label = "Adults after two or more lines."
    approved_on = datetime.date(2024, 1, 15)
    approval_kind = catalog.Indication.ApprovalKind.REGULAR


class DiscussionTopicFactory(ReviewedFactory):
    class Meta:
        model = catalog.DiscussionTopic

    slug = factory.Sequence(lambda n: f"test-topic-{n}")
    title = factory.Sequence(lambda n: f"Test topic {n}")
    body = "Plain words about the topic."
    question = "What should I ask?"
    priority = 50


class EligibilityQuestionFactory(ReviewedFactory):
    class Meta:
        model = catalog.EligibilityQuestion

    slug = factory.Sequence(lambda n: f"test-question-{n}")
    text = factory.Sequence(lambda n: f"Test question {n}?")
    order = 100


class RuleFactory(factory.django.DjangoModelFactory):
    """A rule owned by an indication; pass topic= or question= (and
    indication=None) for the other owners."""

    class Meta:
        model = catalog.Rule

    indication = factory.SubFactory(IndicationFactory)
    note = "After two or more lines"
    min_prior_lines = 2


class TreatmentCenterFactory(ReviewedFactory):
    class Meta:
        model = catalog.TreatmentCenter

    slug = factory.Sequence(lambda n: f"test-centre-{n}")
    name = factory.Sequence(lambda n: f"Test Cancer Centre {n}")
    city = "Testville"
    country = "US"
    products_verified = True

    @factory.post_generation
    def therapies(self, create, extracted, **kwargs):
        if create and extracted:
            self.therapies.set(extracted)


class PriceFactory(ReviewedFactory):
    class Meta:
        model = catalog.Price

    therapy = factory.SubFactory(TherapyFactory)
    country = "US"
    low_usd = 400000
    high_usd = 500000
    as_of = datetime.date(2026, 1, 1)
    note = "A made-up estimate."


class TrialResultFactory(ReviewedFactory):
    class Meta:
        model = catalog.TrialResult

    slug = factory.Sequence(lambda n: f"test-trial-{n}")
    therapy = factory.SubFactory(TherapyFactory)
    disease = factory.SubFactory(DiseaseFactory)
    trial = factory.Sequence(lambda n: f"TEST-{n}")
    population = "Made-up adults with large B-cell lymphoma."
    results = "A made-up result."
    severe_crs = 5


# ---------------------------------------------------------------- intake

# A made-up patient whose answers follow the intake contract.
SUBMISSION_ANSWERS = {
    "recent_infusion": "no",
    "disease": "lbcl",
    "age": 58,
    "country": "US",
    "prior_lines": 2,
    "relapse_status": "refractory",
    "prior_therapies": ["chemoimmunotherapy"],
    "transplant_eligible": "no",
    "caregiver": "yes",
    "travel_abroad": "no",
}
URGENT_ANSWERS = {"recent_infusion": "yes", "symptoms": ["fever"]}


def _answers(submission):
    from intake.answers import parse_answers

    return parse_answers({**SUBMISSION_ANSWERS, **submission.answer_overrides})


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A submitted intake whose patient asked to be contacted (in the queue).

    Pass `answer_overrides={...}` to change answers (`URGENT_ANSWERS` makes it
    urgent); the queue's columns follow the answers as the submit service does.
    """

    class Meta:
        model = "intake.Submission"

    class Params:
        answer_overrides = {}

    stage = "submitted"
    answers = factory.LazyAttribute(lambda s: _answers(s).to_json())
    completed_steps = ["safety", "disease", "about", "history", "practical"]
    language = "en"
    submitted_at = factory.LazyFunction(timezone.now)
    urgent = factory.LazyAttribute(lambda s: _answers(s).urgent)
    disease = factory.LazyAttribute(lambda s: _answers(s).disease)
    prior_lines = factory.LazyAttribute(lambda s: _answers(s).prior_lines)
    relapse_status = factory.LazyAttribute(lambda s: _answers(s).relapse_status)
    country = factory.LazyAttribute(lambda s: _answers(s).country)
    contact_requested = True
    contact_requested_at = factory.LazyAttribute(lambda s: s.submitted_at)
    contact_name = factory.Sequence(lambda n: f"Demo Patient {n}")
    contact_email = factory.Sequence(lambda n: f"patient{n}@example.org")
    contact_phone = "+1 202 555 0100"
    contact_phone_digits = factory.LazyAttribute(
        lambda s: "".join(ch for ch in s.contact_phone if ch.isdigit())
    )
    last_action_at = factory.LazyAttribute(lambda s: s.contact_requested_at)
    contact_language = "en"
    contact_time = "Weekday mornings"
    consent_version = "2026-11-v1"


class ReviewEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "intake.ReviewEvent"

    submission = factory.SubFactory(SubmissionFactory)
    author = factory.SubFactory(CoordinatorFactory)
    kind = "note"
    text = "Left a voicemail."
