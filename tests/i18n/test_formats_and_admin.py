import pytest
from django.urls import reverse
from django.utils import translation

from intake.templatetags.intake_tags import english_only, usd
from tests.factories import (
    CatalogEditorFactory,
    DiscussionTopicFactory,
    sign_in_verified,
)
from therapies.models import CatalogVersion, DiscussionTopic, Therapy

BACKEND = "intake.backends.CoordinatorAwareBackend"


@pytest.mark.parametrize(
    "language, amount, text",
    [
        ("en", 500_000, "$500,000"),
        ("es", 500_000, "US$500\u00a0000"),
        ("zh-hans", 500_000, "50万美元"),
        ("zh-hans", 75_000, "7.5万美元"),
        ("zh-hans", 5_000, "5000美元"),
        ("en", "not a number", ""),
    ],
)
def test_dollar_amounts_are_written_the_way_each_language_writes_them(
    language, amount, text
):
    with translation.override(language):
        assert usd(amount) == text


def test_a_therapy_field_is_english_only_where_nobody_translated_it(catalog):
    therapy = Therapy.objects.get(slug="kymriah")
    with translation.override("es"):
        assert not english_only(therapy, "summary")
        assert not english_only(therapy, "how_given")
        assert english_only(therapy, "maker")  # not a translated field
        therapy.summary_es = ""
        therapy.how_given_es = ""
        assert english_only(therapy, "summary")
        assert english_only(therapy, "how_given")
    with translation.override("en"):
        assert not english_only(therapy, "how_given")


def test_the_therapy_page_marks_the_sections_nobody_translated(client, catalog):
    Therapy.objects.filter(slug="kymriah").update(how_given_es="")
    CatalogVersion.bump()
    html = client.get("/es/therapies/kymriah/").content.decode()
    summary = html[html.index('id="summary-title"') : html.index('id="how-title"')]
    assert "Solo en inglés" not in summary
    assert "Kymriah es una terapia CAR T" in summary
    how = html[html.index('id="how-title"') : html.index('id="approvals-title"')]
    assert "Solo en inglés" in how
    assert '<div lang="en">' in how
    effects = html[html.index('id="side-effects-title"') :]
    assert "Solo en inglés" not in effects.split("</section>")[0]
    assert "Advertencia en recuadro" in effects
    assert "US$" in html


@pytest.fixture
def editor_client(client, catalog):
    sign_in_verified(client, CatalogEditorFactory(), backend=BACKEND)
    return client


def test_staff_edit_each_language_side_by_side(editor_client):
    topic = DiscussionTopic.objects.get(slug="bridging-therapy")
    url = reverse("admin:therapies_discussiontopic_change", args=[topic.pk])
    html = editor_client.get(url).content.decode()
    for field in ("title", "body", "question"):
        # One form row per field, its three languages next to each other.
        row = f"{field}_en field-{field}_es field-{field}_zh_hans"
        assert f'<div class="form-row field-{row}">' in html
    assert "Tratamiento mientras se fabrican sus células" in html


def test_saving_a_translation_in_the_admin_keeps_it_and_reloads_the_catalog(
    editor_client,
):
    topic = DiscussionTopicFactory()
    before = CatalogVersion.current()[0]
    data = {
        "slug": topic.slug,
        "title_en": topic.title,
        "title_es": "Un título en español",
        "title_zh_hans": "",
        "body_en": topic.body,
        "body_es": "",
        "body_zh_hans": "",
        "question_en": topic.question,
        "question_es": "",
        "question_zh_hans": "",
        "priority": topic.priority,
        "last_reviewed": topic.last_reviewed.isoformat(),
        "rules-TOTAL_FORMS": "0",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "change_reason": "Spanish title added",
    }
    url = reverse("admin:therapies_discussiontopic_change", args=[topic.pk])
    response = editor_client.post(url, data)
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.title_es == "Un título en español"
    assert topic.title_en == data["title_en"]
    assert not topic.body_es
    assert CatalogVersion.current()[0] > before
    assert topic.history.latest().title_es == "Un título en español"


def test_english_stays_required_in_the_admin(editor_client):
    topic = DiscussionTopicFactory()
    url = reverse("admin:therapies_discussiontopic_change", args=[topic.pk])
    response = editor_client.post(
        url,
        {
            "slug": topic.slug,
            "title_en": "",
            "title_es": "Sólo español",
            "body_en": topic.body,
            "question_en": topic.question,
            "priority": topic.priority,
            "last_reviewed": topic.last_reviewed.isoformat(),
            "rules-TOTAL_FORMS": "0",
            "rules-INITIAL_FORMS": "0",
            "rules-MIN_NUM_FORMS": "0",
            "rules-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    topic.refresh_from_db()
    assert topic.title_es != "Sólo español"
