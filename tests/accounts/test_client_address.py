"""The client's address behind the proxy: from X-Forwarded-For only as many hops as are trusted.

Behind Caddy every request comes from the proxy; a per-address login limit keyed on that would lock
everyone out after five failures of anyone.
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "Terlalu banyak percobaan masuk yang gagal"


def _user(email: str):
    user = get_user_model().objects.create_user(email, PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _login(client, email: str, password: str, forwarded_for: str):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        HTTP_X_FORWARDED_FOR=forwarded_for,
        REMOTE_ADDR="10.0.0.2",  # the proxy
    )


def test_behind_one_proxy_a_strangers_failures_do_not_lock_out_another_buyer(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    _user("penyerang@example.com")
    siti = _user("siti@example.com")
    for _ in range(6):
        _login(client, "penyerang@example.com", "salah", "198.51.100.7")
    assert (
        LOCKED in _login(client, "penyerang@example.com", "salah", "198.51.100.7").content.decode()
    )

    response = _login(client, siti.email, PASSWORD, "203.0.113.9")
    assert LOCKED not in response.content.decode() and response.status_code == 302


def test_without_a_trusted_proxy_a_client_supplied_header_buys_no_fresh_attempts(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    _user("budi@example.com")
    for attempt in range(6):  # a new made-up address on every try
        response = _login(client, "budi@example.com", "salah", f"192.0.2.{attempt}")
    assert LOCKED in response.content.decode()


def test_a_request_that_bypassed_the_proxy_is_served_not_refused(client, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    _user("ani@example.com")
    # only one hop: not through both proxies; its own address counts, and the page still answers
    response = _login(client, "ani@example.com", "salah", "198.51.100.8")
    assert response.status_code == 200
