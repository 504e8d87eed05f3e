import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction

from tests.factories import CatalogEditorFactory, ClinicalReviewerFactory
from tests.releases import publish_working_copy
from therapies.models import CatalogRelease, CatalogVersion, DiscussionTopic, Rule
from therapies.releases import (
    PublishRefused,
    pending_changes,
    release_publish,
    release_republish,
)
from therapies.snapshot import (
    Catalog,
    clear_cache,
    get_catalog,
    release_catalog,
    working_catalog,
)
from therapies.snapshot_json import catalog_from_json, to_json

LBCL_US = {
    "recent_infusion": "no",
    "disease": "lbcl",
    "lbcl_subtype": "dlbcl",
    "age": 61,
    "country": "US",
    "prior_lines": 2,
    "relapse_status": "refractory",
    "prior_therapies": ["chemoimmunotherapy"],
}


def _retitle(slug: str, title: str, *, by=None) -> DiscussionTopic:
    topic = DiscussionTopic.objects.get(slug=slug)
    topic.title = title
    topic.save()
    if by is not None:
        # What the admin's history middleware records for a signed-in editor.
        topic.history.filter(
            history_date__gte=topic.history.latest().history_date
        ).update(history_user=by)
    CatalogVersion.bump()
    return topic


def test_the_seeded_catalog_is_published_as_release_1(catalog):
    assert list(CatalogRelease.objects.values_list("number", flat=True)) == [1]
    assert catalog.release == 1


def test_an_edit_reaches_patients_only_once_it_is_published(catalog):
    _retitle("cost-and-coverage", "Paying for CAR T")

    assert working_catalog().topics["cost-and-coverage"].title == "Paying for CAR T"
    assert get_catalog().topics["cost-and-coverage"].title != "Paying for CAR T"

    release = publish_working_copy()

    assert release.number == 2
    assert get_catalog().topics["cost-and-coverage"].title == "Paying for CAR T"
    assert get_catalog("zh-hans").release == 2


def test_a_release_cannot_be_changed_in_the_database_whoever_asks(catalog):
    with pytest.raises(DatabaseError), transaction.atomic():
        CatalogRelease.objects.filter(number=1).update(note="rewritten")
    assert CatalogRelease.objects.get(number=1).note != "rewritten"


def test_the_publish_page_lists_what_changed_field_by_field(catalog):
    _retitle("cost-and-coverage", "Paying for CAR T")

    changes = pending_changes(CatalogRelease.objects.get(number=1))

    assert [(c.collection, c.key, c.kind) for c in changes] == [
        ("topics", "cost-and-coverage", "changed")
    ]
    (field,) = changes[0].fields
    assert (field.name, field.after) == ("title", "Paying for CAR T")


def test_nobody_publishes_a_release_holding_their_own_edits(catalog):
    author = ClinicalReviewerFactory()
    _retitle("cost-and-coverage", "Paying for CAR T", by=author)

    with pytest.raises(PublishRefused, match="another clinical reviewer"):
        release_publish(by=author, note="my own change")

    release = release_publish(by=ClinicalReviewerFactory(), note="checked")
    assert (release.number, release.published_own_edits) == (2, False)


def test_a_one_person_deployment_may_publish_its_own_edits_and_says_so(
    catalog, settings
):
    settings.CATALOG_ALLOW_PUBLISHING_OWN_EDITS = True
    author = ClinicalReviewerFactory()
    _retitle("cost-and-coverage", "Paying for CAR T", by=author)

    release = release_publish(by=author, note="alone here")

    assert release.published_own_edits is True


def test_an_editor_who_is_not_a_reviewer_cannot_publish(catalog):
    _retitle("cost-and-coverage", "Paying for CAR T")
    with pytest.raises(PublishRefused, match="clinical reviewer"):
        release_publish(by=CatalogEditorFactory(), note="please")
    assert CatalogRelease.objects.count() == 1


def test_nothing_to_publish_is_refused(catalog):
    with pytest.raises(PublishRefused, match="Nothing has changed"):
        release_publish(by=ClinicalReviewerFactory(), note="again")


def test_rolling_back_publishes_the_earlier_catalog_again(catalog):
    _retitle("cost-and-coverage", "Paying for CAR T")
    publish_working_copy()

    rollback = release_republish(
        release=CatalogRelease.objects.get(number=1),
        by=ClinicalReviewerFactory(),
        note="the new title confused people",
    )

    assert (rollback.number, rollback.republishes_id) == (3, 1)
    assert get_catalog().release == 3
    assert get_catalog().topics["cost-and-coverage"].title != "Paying for CAR T"
    # The working copy keeps the edit for staff to fix.
    assert working_catalog().topics["cost-and-coverage"].title == "Paying for CAR T"


def test_an_older_release_is_read_back_exactly_as_published(catalog):
    before = get_catalog()
    _retitle("cost-and-coverage", "Paying for CAR T")
    publish_working_copy()
    clear_cache()

    again = release_catalog(1)

    assert again.topics == before.topics
    assert again.indications == before.indications
    assert again.release == 1
    # In the same order too (PostgreSQL's jsonb would sort an object's keys).
    assert list(again.regulators) == list(before.regulators)
    assert list(again.diseases) == list(before.diseases)
    assert again.reference_patients == before.reference_patients


def test_reading_a_release_takes_two_queries_whatever_its_size(
    catalog, django_assert_num_queries
):
    clear_cache()
    with django_assert_num_queries(2):
        get_catalog()
    with django_assert_num_queries(1):
        get_catalog()


def _suggest(tmp_path, capsys, *options) -> dict:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(LBCL_US))
    call_command("suggest", "--answers", str(path), *options)
    return json.loads(capsys.readouterr().out)


def test_suggest_names_its_release_and_reads_the_one_asked_for(
    catalog, tmp_path, capsys
):
    Rule.objects.filter(
        indication__therapy__slug="kymriah", max_age__isnull=True
    ).update(min_age=70)
    CatalogVersion.bump()

    latest = _suggest(tmp_path, capsys)
    working = _suggest(tmp_path, capsys, "--working-copy")
    publish_working_copy()
    first = _suggest(tmp_path, capsys, "--release", "1")
    second = _suggest(tmp_path, capsys, "--release", "2")

    def slugs(result):
        return {t["slug"] for t in result["therapies"]}

    assert latest["catalog_release"] == 1 and "kymriah" in slugs(latest)
    assert working["catalog_release"] is None and "kymriah" not in slugs(working)
    assert first["catalog_release"] == 1 and "kymriah" in slugs(first)
    assert second["catalog_release"] == 2 and "kymriah" not in slugs(second)


def test_suggest_refuses_a_release_that_does_not_exist(catalog, tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(LBCL_US))
    with pytest.raises(CommandError, match="no catalog release 99") as refusal:
        call_command("suggest", "--answers", str(path), "--release", "99")
    assert refusal.value.returncode == 2


def _carteyva_fl_criteria(catalog):
    (indication,) = (i for i in catalog.indications if i.slug == "carteyva-nmpa-fl")
    (rule,) = indication.rules
    return rule.criteria


def test_a_release_keeps_the_answers_a_rule_leaves_to_check(catalog):
    clear_cache()
    published = release_catalog(1)
    assert _carteyva_fl_criteria(published).to_check == ("late_relapse",)


def test_a_release_published_before_answers_to_check_existed_reads_back_without(
    catalog,
):
    data = to_json(working_catalog())
    for indication in data["indications"]:
        for rule in indication["rules"]:
            del rule["criteria"]["to_check"]
    older = catalog_from_json(Catalog, data)
    assert _carteyva_fl_criteria(older).to_check == ()


def test_a_release_that_kept_a_price_name_as_a_translated_pair_reads_back_a_name(
    catalog,
):
    data = to_json(working_catalog())
    trial_price = next(p for p in data["prices"] if p["therapy"] is None)
    trial_price["therapy_name"] = [trial_price["therapy_name"], False]
    older = catalog_from_json(Catalog, data)
    names = [p.therapy_name for p in older.prices if p.therapy is None]
    assert names and all(isinstance(name, str) for name in names)
    assert trial_price["therapy_name"][0] in names
