"""The engine's catalog: a fixed number of queries to build, one to check, and
never stale after a staff change."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.releases import publish_working_copy
from therapies.models import (
    CatalogVersion,
    DiscussionTopic,
    Disease,
    Indication,
    Rule,
    Source,
    Therapy,
)
from therapies.snapshot import build_catalog, get_catalog

TODAY = datetime.date(2026, 11, 22)


def grow_catalog(n):
    source = Source.objects.create(key="extra", title="Extra source")
    disease = Disease.objects.get(code="lbcl")
    for i in range(n):
        therapy = Therapy.objects.create(
            slug=f"extra-{i}",
            brand_name=f"Extra {i}",
            generic_name="x",
            maker="m",
            target="CD19",
            summary="s",
            how_given="h",
            key_results="k",
            side_effects="e",
            last_reviewed=TODAY,
            order=100 + i,
        )
        therapy.sources.add(source)
        indication = Indication.objects.create(
            slug=f"extra-{i}-lbcl",
            therapy=therapy,
            disease=disease,
            regulator_id="FDA",
            label="l",
            last_reviewed=TODAY,
        )
        indication.sources.add(source)
        Rule.objects.create(indication=indication, min_prior_lines=5)
        topic = DiscussionTopic.objects.create(
            slug=f"extra-topic-{i}",
            title="t",
            body="b",
            question="q",
            last_reviewed=TODAY,
        )
        Rule.objects.create(topic=topic, diseases=["solid"])
    CatalogVersion.bump()
    publish_working_copy()


def count_build_queries():
    with CaptureQueriesContext(connection) as ctx:
        build_catalog((0, None))
    return len(ctx.captured_queries)


def test_building_the_catalog_takes_the_same_number_of_queries_at_any_size(catalog):
    small = count_build_queries()
    grow_catalog(30)
    assert count_build_queries() == small


def test_the_cached_catalog_costs_one_query_per_request(
    catalog, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert get_catalog() is catalog


def test_a_staff_change_anywhere_reloads_the_catalog(catalog):
    topic = DiscussionTopic.objects.get(slug="cost-and-coverage")
    topic.title = "Paying for CAR T"
    topic.save()
    CatalogVersion.bump()  # what every admin save does
    publish_working_copy()
    assert get_catalog().topics["cost-and-coverage"].title == "Paying for CAR T"


def test_result_pages_cost_the_same_with_a_ten_times_larger_catalog(
    client, make_submission, django_assert_num_queries
):
    submission = make_submission(submitted=True)
    grow_catalog(60)
    client.get(f"/i/{submission.token}/results/")
    with django_assert_num_queries(1):  # the submission, with the catalog version
        client.get(f"/i/{submission.token}/results/")
