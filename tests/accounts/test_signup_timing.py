"""Sign-up must not tell by its timing whether an email is registered: both do the same work."""

import statistics
import time

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _signup_seconds(client, email: str) -> float:
    started = time.perf_counter()
    response = client.post(
        reverse("account_signup"),
        {"email": email, "password1": "Kain-batik-2026!", "password2": "Kain-batik-2026!"},
    )
    assert response.status_code == 302
    return time.perf_counter() - started


def test_a_known_and_a_new_email_take_the_same_time(client, settings):
    # the real password hasher (the suite uses a fast one)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "100/h/ip"}
    known = get_user_model().objects.create_user("terdaftar@example.com", PASSWORD)
    EmailAddress.objects.create(user=known, email=known.email, verified=True, primary=True)

    new, existing = [], []
    for round_ in range(5):  # interleaved, so a slower moment of the machine hits both
        new.append(_signup_seconds(client, f"baru{round_}@example.com"))
        existing.append(_signup_seconds(client, known.email))

    fast, slow = sorted([statistics.median(new), statistics.median(existing)])
    assert slow - fast < max(0.25 * slow, 0.05), (new, existing)
