"""Coordinators' sessions are Django's database sessions."""

import datetime

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

URL = "/review/"


def test_a_signed_in_coordinator_stays_signed_in(coordinator_client):
    assert coordinator_client.get(URL).status_code == 200
    assert coordinator_client.get(URL).status_code == 200


def test_an_expired_session_signs_the_coordinator_out(coordinator_client):
    assert coordinator_client.get(URL).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = coordinator_client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_deleted_session_signs_the_coordinator_out(coordinator_client):
    assert coordinator_client.get(URL).status_code == 200
    Session.objects.all().delete()
    assert coordinator_client.get(URL).status_code == 302


def test_an_unknown_or_malformed_key_loads_nothing_and_is_dropped(db):
    store = SessionStore("x" * 32)
    assert store.load() == {} and store.session_key is None
    assert SessionStore("short").load() == {}


def test_a_session_saved_is_read_back(db):
    store = SessionStore()
    store["answer"] = 42
    store.save()
    assert SessionStore(store.session_key).load() == {"answer": 42}
