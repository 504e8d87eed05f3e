"""An editor's dangerous edit is refused with a sentence; every change keeps
its reason; a revert brings back linked records and rules; review due page."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.factories import (
    CatalogEditorFactory,
    DiscussionTopicFactory,
    IndicationFactory,
    PriceFactory,
    RuleFactory,
    TherapyFactory,
    TreatmentCenterFactory,
    sign_in_verified,
)
from tests.releases import publish_working_copy
from therapies.models import (
    CatalogVersion,
    DiscussionTopic,
    Indication,
    Price,
    Rule,
    Therapy,
    TreatmentCenter,
)
from therapies.snapshot import get_catalog

BACKEND = "intake.backends.CoordinatorAwareBackend"
REASON = "New label, June 2026"


@pytest.fixture
def editor_client(client, catalog):
    sign_in_verified(client, CatalogEditorFactory(), backend=BACKEND)
    return client


def _url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def _indication_form(indication, rules=(), **changes) -> dict:
    data = {
        "slug": indication.slug,
        "therapy": indication.therapy_id,
        "disease": indication.disease_id,
        "regulator": indication.regulator_id,
        "label_en": indication.label,
        "approved_on": indication.approved_on.isoformat(),
        "approval_kind": indication.approval_kind,
        "wording_confirmed": "on",
        "last_reviewed": indication.last_reviewed.isoformat(),
        "change_reason": REASON,
        "rules-TOTAL_FORMS": str(len(rules)),
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
    }
    for i, rule in enumerate(rules):
        data.update({f"rules-{i}-{name}": value for name, value in rule.items()})
    data.update(changes)
    return data


def _save_indication(client, indication, rules, **changes):
    return client.post(
        _url(Indication, "change", indication.pk),
        _indication_form(indication, rules, **changes),
    )


def test_a_rule_holding_only_a_note_is_refused_with_a_sentence(editor_client):
    indication = IndicationFactory()
    response = _save_indication(editor_client, indication, [{"note": "to fill in"}])
    assert response.status_code == 200
    assert "a rule with only a note lets every patient through" in (
        response.content.decode()
    )
    assert not indication.rules.exists()


def test_a_rule_on_an_indication_must_say_its_lines_and_status(editor_client):
    indication = IndicationFactory()
    response = _save_indication(
        editor_client, indication, [{"note": "Adults", "min_age": "18"}]
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Say what this rule requires of the number of prior lines" in html
    assert "Say what this rule requires of the disease status" in html
    assert not indication.rules.exists()


def test_a_rule_may_say_the_label_sets_no_line_count(editor_client):
    indication = IndicationFactory()
    response = _save_indication(
        editor_client,
        indication,
        [
            {
                "note": "Relapsed or refractory",
                "min_age": "18",
                "relapse_statuses": ["refractory", "early_relapse", "late_relapse"],
                "no_limit_on": ["prior_lines"],
            }
        ],
    )
    assert response.status_code == 302
    rule = indication.rules.get()
    assert rule.no_limit_on == ["prior_lines"]
    assert rule.history.get().history_change_reason == REASON


@pytest.mark.parametrize(
    "conditions, sentence",
    [
        (
            {"min_age": "30", "max_age": "18"},
            "The minimum age is above the maximum age",
        ),
        (
            {"min_prior_lines": "4", "max_prior_lines": "2"},
            "The minimum prior lines is above the maximum prior lines",
        ),
        ({"min_age": "130"}, "less than or equal to 120"),
        (
            {"relapse_statuses": ["newly_diagnosed"], "min_prior_lines": "1"},
            "Newly diagnosed means no treatment yet",
        ),
    ],
    ids=["ages", "lines", "age-130", "newly-diagnosed-after-a-line"],
)
def test_an_impossible_rule_is_refused_in_plain_words(
    editor_client, conditions, sentence
):
    indication = IndicationFactory()
    rule = {
        "note": "Impossible",
        "min_prior_lines": "1",
        "relapse_statuses": ["refractory"],
        **conditions,
    }
    response = _save_indication(editor_client, indication, [rule])
    html = response.content.decode()
    assert response.status_code == 200
    assert sentence in html
    assert "range_ordered" not in html
    assert not indication.rules.exists()


RULE_24_MONTHS = {
    "note": "Refractory or back within 24 months",
    "min_prior_lines": "2",
    "relapse_statuses": ["refractory", "early_relapse"],
}


def test_a_rule_may_leave_an_answer_to_check_and_says_so_in_short(editor_client):
    indication = IndicationFactory()
    response = _save_indication(
        editor_client, indication, [{**RULE_24_MONTHS, "to_check": ["late_relapse"]}]
    )
    assert response.status_code == 302
    rule = indication.rules.get()
    assert rule.to_check == ["late_relapse"]
    assert rule.criteria().to_check == ("late_relapse",)
    assert "to check: It came back more than 12 months" in rule.summary()


@pytest.mark.parametrize(
    "rule, sentence",
    [
        (
            {**RULE_24_MONTHS, "to_check": ["early_relapse"]},
            "This rule accepts “It came back within 12 months",
        ),
        (
            {**RULE_24_MONTHS, "to_check": ["dlbcl"]},
            "is not an answer to a condition this rule sets",
        ),
        (
            {**RULE_24_MONTHS, "to_check": ["not_a_code"]},
            "Select a valid choice",
        ),
    ],
    ids=["accepted", "condition-not-set", "unknown-code"],
)
def test_an_answer_left_to_check_that_would_mislead_is_refused(
    editor_client, rule, sentence
):
    indication = IndicationFactory()
    response = _save_indication(editor_client, indication, [rule])
    assert response.status_code == 200
    assert sentence in response.content.decode()
    assert not indication.rules.exists()


def test_a_stored_list_of_answers_to_check_takes_only_known_codes(catalog):
    rule = Rule.objects.filter(indication__slug="carteyva-nmpa-fl").get()
    rule.to_check = ["late_relapse", "24_months"]
    with pytest.raises(ValidationError, match="Use a list of these codes"):
        rule.full_clean()


def test_only_an_indication_s_rule_may_leave_an_answer_to_check(catalog):
    rule = Rule(
        topic=DiscussionTopic.objects.first(),
        relapse_statuses=["refractory"],
        to_check=["late_relapse"],
    )
    with pytest.raises(ValidationError, match="Only a rule on an indication"):
        rule.full_clean()


def test_a_yes_or_no_left_to_check_must_name_one_condition(catalog):
    rule = Rule.objects.filter(indication__slug="carteyva-nmpa-fl").get()
    rule.caregiver = ["yes"]
    rule.travel_abroad = ["yes"]
    rule.to_check = ["no"]
    with pytest.raises(ValidationError, match="more than one condition"):
        rule.full_clean()


def test_every_seeded_rule_passes_the_editors_checks(catalog):
    for rule in Rule.objects.select_related("indication__disease"):
        rule.full_clean()


def test_each_rule_shows_a_plain_summary_in_the_admin(editor_client):
    rule = RuleFactory(
        min_age=18, min_prior_lines=2, relapse_statuses=["refractory", "early_relapse"]
    )
    html = editor_client.get(
        _url(Indication, "change", rule.indication_id)
    ).content.decode()
    assert "for adults (18 and older)" in html
    assert "after 2 or more prior lines of therapy" in html


def test_a_duplicate_price_is_refused_with_a_sentence_not_a_constraint_name(
    editor_client,
):
    price = PriceFactory()
    response = editor_client.post(
        _url(Price, "add"),
        {
            "therapy": price.therapy_id,
            "country": "US",
            "low_usd": "1",
            "high_usd": "2",
            "as_of": "2026-01-01",
            "last_reviewed": "2026-12-01",
            "change_reason": REASON,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This product already has a price for this country" in html
    assert "price_unique_per_country" not in html
    assert Price.objects.filter(therapy=price.therapy).count() == 1


def test_a_lowercase_country_never_makes_a_second_united_states(editor_client):
    response = editor_client.post(
        _url(TreatmentCenter, "add"),
        {
            "slug": "lower-case-centre",
            "name": "Lower Case Centre",
            "city": "Houston",
            "country": "us",
            "last_reviewed": "2026-12-01",
            "change_reason": REASON,
        },
    )
    assert response.status_code == 200
    assert not TreatmentCenter.objects.filter(slug="lower-case-centre").exists()
    assert TreatmentCenterFactory(country="us").country.code == "US"
    centre = TreatmentCenterFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        TreatmentCenter.objects.filter(pk=centre.pk).update(country="us")


def test_a_change_without_a_reason_is_refused(editor_client):
    indication = IndicationFactory()
    response = _save_indication(editor_client, indication, [], change_reason="")
    assert response.status_code == 200
    assert "Reason for change" in response.content.decode()


def test_reverting_a_centre_brings_back_a_product_removed_since(editor_client):
    kept, removed = TherapyFactory.create_batch(2)
    centre = TreatmentCenterFactory(therapies=[kept, removed])
    centre.therapies.remove(removed)
    before = (
        centre.history.order_by("history_date").filter(history_type="~").first()
    )  # the record written when both products were there
    assert set(before.therapies.values_list("therapy_id", flat=True)) == {
        kept.pk,
        removed.pk,
    }
    url = reverse(
        "admin:therapies_treatmentcenter_simple_history",
        args=[centre.pk, before.history_id],
    )
    form = editor_client.get(url).context["adminform"].form
    assert set(form.initial["therapies"]) == {kept.pk, removed.pk}
    data = {
        "slug": centre.slug,
        "name": centre.name,
        "city": centre.city,
        "country": "US",
        "products_verified": "on",
        "therapies": [kept.pk, removed.pk],
        "last_reviewed": centre.last_reviewed.isoformat(),
        "change_reason": "Removed by mistake",
    }
    assert editor_client.post(url, data).status_code == 302
    assert set(centre.therapies.all()) == {kept, removed}
    assert centre.history.latest().history_change_reason == "Removed by mistake"


def test_reverting_an_indication_brings_back_its_rules(editor_client):
    start = datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        indication = IndicationFactory()
        rule = RuleFactory(
            indication=indication, min_prior_lines=2, relapse_statuses=["refractory"]
        )
    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        indication.save()
    version = indication.history.latest()
    rule.min_prior_lines = 5
    rule.save()
    url = reverse(
        "admin:therapies_indication_simple_history",
        args=[indication.pk, version.history_id],
    )
    page = editor_client.get(url).content.decode()
    assert "after 2 or more prior lines of therapy" in page
    data = _indication_form(indication, change_reason="Back to the label")
    del data["rules-TOTAL_FORMS"]
    assert editor_client.post(url, data).status_code == 302
    rule.refresh_from_db()
    assert rule.min_prior_lines == 2
    assert rule.history.latest().history_change_reason == "Back to the label"


def test_a_retired_therapy_stops_showing_to_patients(client, catalog):
    kymriah = Therapy.objects.get(slug="kymriah")
    kymriah.retired_on = datetime.date(2026, 12, 1)
    kymriah.save()
    CatalogVersion.bump()  # as the admin does
    publish_working_copy()
    assert "kymriah" not in get_catalog().therapies
    assert all(i.therapy.slug != "kymriah" for i in get_catalog().indications)
    assert client.get("/therapies/kymriah/").status_code == 404


def test_the_review_due_page_lists_overdue_due_soon_and_stale_translations(
    editor_client, django_assert_max_num_queries
):
    today = datetime.date.today()
    overdue = TherapyFactory(
        brand_name="Overduecel", last_reviewed=today - datetime.timedelta(days=400)
    )
    soon = TherapyFactory(
        brand_name="Sooncel", last_reviewed=today - datetime.timedelta(days=340)
    )
    topic = DiscussionTopicFactory(title="Stale topic", title_es="Tema viejo")
    topic.title_en = "Stale topic, English rewritten"
    topic.save()
    url = reverse("therapies_review_due")
    with django_assert_max_num_queries(40):
        response = editor_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    overdue_part, rest = html.split('id="due-soon"')
    soon_part, translations_part = rest.split('id="stale-translations"')
    assert overdue.brand_name in overdue_part
    assert soon.brand_name in soon_part
    assert "Stale topic, English rewritten" in translations_part


def test_the_review_due_page_runs_the_same_queries_however_much_is_due(
    editor_client, django_assert_num_queries
):
    url = reverse("therapies_review_due")
    editor_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        editor_client.get(url)
    old = datetime.date.today() - datetime.timedelta(days=400)
    TherapyFactory.create_batch(3, last_reviewed=old)
    PriceFactory.create_batch(3, last_reviewed=old)
    with django_assert_num_queries(len(before)):
        editor_client.get(url)


def test_admin_search_finds_spanish_and_chinese_text(editor_client):
    DiscussionTopicFactory(title="English words", title_es="Palabras únicas")
    DiscussionTopicFactory(title="Other words", title_zh_hans="独特的词")
    url = _url(DiscussionTopic, "changelist")
    assert "English words" in editor_client.get(url, {"q": "únicas"}).content.decode()
    assert "Other words" in editor_client.get(url, {"q": "独特"}).content.decode()
