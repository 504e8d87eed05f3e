import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    CatalogEditorFactory,
    DiscussionTopicFactory,
    IndicationFactory,
    PriceFactory,
    RuleFactory,
    TherapyFactory,
    UserFactory,
    sign_in_verified,
)
from therapies.models import (
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
    TrialResult,
)

TRANSLATED = {"title", "body", "question"}
CATALOG_MODELS = [
    Source,
    Regulator,
    Disease,
    Therapy,
    Indication,
    DiscussionTopic,
    EligibilityQuestion,
    Rule,
    TreatmentCenter,
    Price,
    TrialResult,
    EmergencyNumber,
    ReferencePatient,
]
BACKEND = "intake.backends.CoordinatorAwareBackend"


@pytest.fixture
def editor_client(client, catalog):
    sign_in_verified(client, CatalogEditorFactory(), backend=BACKEND)
    return client


def _url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def _topic_form(topic, **changes) -> dict:
    """The topic change form as the browser posts it, with no rules."""
    data = {
        "slug": topic.slug,
        # Translated fields are edited per language (therapies/translation.py).
        "title_en": topic.title,
        "body_en": topic.body,
        "question_en": topic.question,
        "priority": topic.priority,
        "last_reviewed": topic.last_reviewed.isoformat(),
        "change_reason": "Clearer wording",
        "rules-TOTAL_FORMS": "0",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
    }
    data.update(
        {
            f"{name}_en" if name in TRANSLATED else name: value
            for name, value in changes.items()
        }
    )
    return data


@pytest.mark.parametrize("model", CATALOG_MODELS, ids=lambda m: m.__name__)
def test_an_editor_can_open_every_catalog_list_and_form(editor_client, model):
    # Rules in the seed belong to indications, topics and questions alike.
    obj = model.objects.first() or RuleFactory()
    assert editor_client.get(_url(model, "changelist")).status_code == 200
    assert editor_client.get(_url(model, "add")).status_code == 200
    assert editor_client.get(_url(model, "change", obj.pk)).status_code == 200
    assert editor_client.get(_url(model, "history", obj.pk)).status_code == 200


def test_the_catalog_version_is_shown_but_read_only(editor_client):
    version = CatalogVersion.objects.get()
    assert editor_client.get(_url(CatalogVersion, "changelist")).status_code == 200
    response = editor_client.get(_url(CatalogVersion, "change", version.pk))
    assert response.status_code == 200
    assert 'type="submit"' not in response.content.decode().split('id="content"')[1]
    assert editor_client.get(_url(CatalogVersion, "add")).status_code == 403
    assert (
        editor_client.post(_url(CatalogVersion, "delete", version.pk)).status_code
        == 403
    )


def test_staff_without_catalog_permissions_are_refused(client, catalog):
    sign_in_verified(client, UserFactory(is_staff=True), backend=BACKEND)
    assert client.get(_url(Therapy, "changelist")).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client, catalog):
    response = client.get(_url(Therapy, "changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_rule_lists_are_edited_as_checkboxes(editor_client):
    rule = RuleFactory()
    html = editor_client.get(_url(Rule, "change", rule.pk)).content.decode()
    assert 'type="checkbox" name="relapse_statuses" value="early_relapse"' in html
    assert 'type="checkbox" name="prior_therapies_all" value="anti_cd38"' in html
    assert 'name="diseases" value="mzl"' in html


def test_the_review_overdue_filter_finds_stale_content(editor_client):
    stale = TherapyFactory(
        brand_name="Stalecel",
        last_reviewed=datetime.date.today() - datetime.timedelta(days=400),
    )
    fresh = TherapyFactory(brand_name="Freshcel")
    url = _url(Therapy, "changelist")

    overdue = editor_client.get(url, {"review_overdue": "yes"}).content.decode()
    assert stale.brand_name in overdue
    assert fresh.brand_name not in overdue

    current = editor_client.get(url, {"review_overdue": "no"}).content.decode()
    assert fresh.brand_name in current
    assert stale.brand_name not in current


@pytest.mark.parametrize(
    "model",
    [m for m in CATALOG_MODELS if m not in (Source, Rule)],
    ids=lambda m: m.__name__,
)
def test_every_reviewed_model_has_the_review_overdue_filter(editor_client, model):
    response = editor_client.get(_url(model, "changelist"), {"review_overdue": "yes"})
    assert response.status_code == 200
    assert "review overdue" in response.content.decode()


def test_saving_a_topic_bumps_the_catalog_version(editor_client):
    topic = DiscussionTopicFactory()
    before = CatalogVersion.current()[0]
    response = editor_client.post(
        _url(DiscussionTopic, "change", topic.pk),
        _topic_form(topic, title="A clearer title"),
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.title == "A clearer title"
    assert CatalogVersion.current()[0] > before


def test_saving_a_topic_records_who_changed_it(editor_client):
    topic = DiscussionTopicFactory()
    editor_client.post(
        _url(DiscussionTopic, "change", topic.pk),
        _topic_form(topic, title="A clearer title"),
    )
    latest = topic.history.latest()
    assert latest.title == "A clearer title"
    assert latest.history_type == "~"
    assert latest.history_user.is_staff
    history = editor_client.get(_url(DiscussionTopic, "history", topic.pk))
    assert "A clearer title" in history.content.decode()


def test_a_rule_added_in_a_topic_stores_the_ticked_codes(editor_client):
    topic = DiscussionTopicFactory()
    data = _topic_form(topic, **{"rules-TOTAL_FORMS": "1"})
    data.update(
        {
            "rules-0-note": "Relapse after CAR T",
            "rules-0-diseases": ["lbcl", "fl"],
            "rules-0-prior_car_t": ["relapse_early", "relapse_late"],
            "rules-0-min_prior_lines": "2",
        }
    )
    response = editor_client.post(_url(DiscussionTopic, "change", topic.pk), data)
    assert response.status_code == 302
    rule = topic.rules.get()
    assert rule.diseases == ["lbcl", "fl"]
    assert rule.prior_car_t == ["relapse_early", "relapse_late"]
    assert rule.relapse_statuses == []
    assert rule.min_prior_lines == 2
    assert rule.history.count() == 1


def test_a_code_outside_the_vocabulary_is_refused(editor_client):
    topic = DiscussionTopicFactory()
    data = _topic_form(topic, **{"rules-TOTAL_FORMS": "1"})
    data["rules-0-diseases"] = ["lbcl", "not-a-disease"]
    response = editor_client.post(_url(DiscussionTopic, "change", topic.pk), data)
    assert response.status_code == 200
    assert not topic.rules.exists()


def test_an_editor_cannot_delete_content(editor_client):
    price = PriceFactory()
    response = editor_client.post(_url(Price, "delete", price.pk), {"post": "yes"})
    assert response.status_code == 403
    assert Price.objects.filter(pk=price.pk).exists()


def test_a_superuser_deleting_content_bumps_the_catalog_version(client, catalog):
    sign_in_verified(
        client, UserFactory(is_staff=True, is_superuser=True), backend=BACKEND
    )
    price = PriceFactory()
    before = CatalogVersion.current()[0]
    response = client.post(_url(Price, "delete", price.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Price.objects.filter(pk=price.pk).exists()
    assert price.history.filter(history_type="-").exists()
    assert CatalogVersion.current()[0] > before


def test_retiring_topics_from_the_list_hides_them_from_patients(editor_client):
    topics = DiscussionTopicFactory.create_batch(2)
    before = CatalogVersion.current()[0]
    response = editor_client.post(
        _url(DiscussionTopic, "changelist"),
        {"action": "retire", "_selected_action": [t.pk for t in topics]},
    )
    assert response.status_code == 302
    assert (
        DiscussionTopic.objects.filter(
            pk__in=[t.pk for t in topics], retired_on__isnull=False
        ).count()
        == 2
    )
    assert CatalogVersion.current()[0] > before
    from therapies.snapshot import get_catalog

    assert not {t.slug for t in topics} & set(get_catalog().topics)


def test_the_delete_action_is_not_offered_to_editors(editor_client):
    html = editor_client.get(_url(DiscussionTopic, "changelist")).content.decode()
    assert 'value="delete_selected"' not in html
    assert 'value="retire"' in html


@pytest.mark.parametrize(
    "model, make_more",
    [
        (Indication, lambda: IndicationFactory.create_batch(5)),
        (Price, lambda: PriceFactory.create_batch(5)),
        (Rule, lambda: RuleFactory.create_batch(5)),
        (
            ReferencePatient,
            lambda: ReferencePatient.objects.bulk_create(
                ReferencePatient(
                    name=f"extra {n}",
                    answers={"disease": "mm"},
                    last_reviewed=datetime.date(2026, 12, 5),
                )
                for n in range(5)
            ),
        ),
    ],
    ids=["Indication", "Price", "Rule", "ReferencePatient"],
)
def test_list_pages_run_the_same_queries_whatever_their_length(
    editor_client, model, make_more
):
    url = _url(model, "changelist")
    editor_client.get(url)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as before:
        editor_client.get(url)
    make_more()
    with CaptureQueriesContext(connection) as after:
        editor_client.get(url)
    assert len(after) == len(before)


def test_an_editor_can_change_an_emergency_number_and_it_is_kept_in_history(
    editor_client,
):
    number = EmergencyNumber.objects.get(country="NZ")
    before = CatalogVersion.current()[0]
    response = editor_client.post(
        _url(EmergencyNumber, "change", number.pk),
        {
            "country": "NZ",
            "number": "111",
            "second_number": "112",
            "second_number_use": "mobile",
            "sources": list(number.sources.values_list("pk", flat=True)),
            "last_reviewed": "2026-12-05",
            "change_reason": "Checked with the ministry",
        },
    )
    assert response.status_code == 302
    number.refresh_from_db()
    assert number.second_number == "112"
    assert number.history.count() >= 2
    assert CatalogVersion.current()[0] > before


def test_an_emergency_number_with_letters_or_a_second_number_without_a_use_is_refused(
    editor_client,
):
    number = EmergencyNumber.objects.get(country="NZ")
    form = {
        "country": "NZ",
        "number": "111",
        "sources": list(number.sources.values_list("pk", flat=True)),
        "last_reviewed": "2026-12-05",
    }
    url = _url(EmergencyNumber, "change", number.pk)
    response = editor_client.post(url, {**form, "number": "call 111"})
    assert response.status_code == 200
    assert "Digits only" in response.content.decode()
    response = editor_client.post(url, {**form, "second_number": "112"})
    assert response.status_code == 200
    number.refresh_from_db()
    assert number.second_number == ""
