import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "kain-panjang-2026"


def _confirmation_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/\S*konfirmasi\S*|/\S*confirm-email\S*)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_verify_login_logout(client):
    # given a visitor who signs up
    response = client.post(
        reverse("account_signup"),
        {
            "email": "Siti@Example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Siti",
            "phone": "0812-3456-7890",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="siti@example.com")
    assert user.phone == "+6281234567890"
    assert user.display_name == "Siti"

    # then a verification email arrives and logging in is refused until it is confirmed
    assert len(mail.outbox) == 1
    link = _confirmation_link(mail.outbox[0])
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "siti@example.com", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session

    # when the link is followed and confirmed
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302

    # then the user can log in and out
    response = client.post(
        reverse("account_login"), {"login": "siti@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_signup_rejects_a_foreign_phone_number_in_indonesian(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "a@example.com", "password1": PASSWORD, "password2": PASSWORD, "phone": "12345"},
    )
    assert response.status_code == 200
    assert "Masukkan nomor ponsel Indonesia yang valid" in response.content.decode()
    assert not get_user_model().objects.exists()


def test_many_wrong_passwords_get_rate_limited(client):
    user = get_user_model().objects.create_user("budi@example.com", PASSWORD)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for _ in range(6):
        response = client.post(reverse("account_login"), {"login": user.email, "password": "salah"})
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    # even the right password is refused while the limit holds
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert "_auth_user_id" not in client.session
