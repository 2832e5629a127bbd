"""A burst of failed logins cannot starve the site: once the limit holds, no password is hashed.

A password check costs a few hundred milliseconds of CPU with the real hasher; the limit must come
before it, so an attacker's sixth try costs the site next to nothing.
"""

import time

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_tries_over_the_limit_cost_no_password_hash(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = get_user_model().objects.create_user("budi@example.com", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    def attempt() -> float:
        started = time.perf_counter()
        client.post(reverse("account_login"), {"login": user.email, "password": "salah"})
        return time.perf_counter() - started

    hashed = [attempt() for _ in range(5)]  # within the limit: each is checked, and hashed
    refused = [attempt() for _ in range(5)]  # over it: refused before any hashing
    assert min(hashed) > 0.05, hashed  # the real hasher does cost time
    assert max(refused) < min(hashed) / 3, (hashed, refused)
