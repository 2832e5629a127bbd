"""allauth's pages and emails in the site's own look and voice."""

import re

import pytest
from django.core import mail
from django.test import override_settings

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/en/akun/login/",
        "/en/akun/signup/",
        "/en/akun/password/reset/",
        "/en/akun/password/reset/done/",
        "/en/akun/confirm-email/",
    ],
)
def test_entrance_pages_use_the_site_layout(client, path):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="page-account"' in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html


def test_login_fields_have_visible_labels_and_a_site_button(client):
    html = client.get("/en/akun/login/").content.decode()
    assert '<label for="id_login">Email</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert re.search(r'<button class="button[^"]*" type="submit">\s*Sign In', html)


def test_signup_shows_every_field_with_its_label(client):
    html = client.get("/en/akun/signup/").content.decode()
    for field in ("id_email", "id_display_name", "id_phone", "id_password1", "id_password2"):
        assert f'<label for="{field}">' in html


def test_wrong_password_shows_a_styled_error(client):
    make_user(email="siti@example.com")
    response = client.post("/en/akun/login/", {"login": "siti@example.com", "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="message message-error form-errors" role="alert"' in html
    assert "not correct" in html


def test_google_button_hidden_without_keys(client):
    assert "provider-google" not in client.get("/en/akun/login/").content.decode()


@override_settings(GOOGLE_CLIENT_ID="id.apps.googleusercontent.com", GOOGLE_CLIENT_SECRET="s")
def test_google_button_shown_when_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "google": {"APPS": [{"client_id": "id.apps.googleusercontent.com", "secret": "s"}]}
    }
    html = client.get("/en/akun/login/").content.decode()
    assert "provider-google" in html
    assert "Continue with Google" in html


def test_logged_in_pages_show_account_tabs(client):
    user = make_user()
    client.force_login(user)
    for path in ("/en/akun/email/", "/en/akun/password/change/"):
        html = client.get(path).content.decode()
        assert 'class="tabs"' in html, path
        assert 'aria-current="page"' in html


def test_signup_email_is_in_the_site_voice_with_an_html_part(client):
    client.post(
        "/en/akun/signup/",
        {"email": "ani@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[Batik Kutim] Confirm your email address"
    assert "Hello from Batik Kutai Timur" in message.body
    assert "/en/akun/confirm-email/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Confirm my email" in html


def test_password_reset_email_links_to_the_reset_form(client):
    make_user(email="budi@example.com")
    client.post("/en/akun/password/reset/", {"email": "budi@example.com"})
    message = mail.outbox[0]
    assert message.subject == "[Batik Kutim] Choose a new password"
    link = re.search(r"https?://[^/\s]+(/\S+)", message.body.split("password here:")[1]).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert 'id="id_password1"' in response.content.decode()


def test_buyer_and_staff_sign_in_and_stay_signed_in(client):
    # The site's login (allauth) and the admin's login (Django's) both keep the visitor signed in
    buyer = make_user()
    response = client.post("/en/akun/login/", {"login": buyer.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/en/pesanan/").context["user"] == buyer
    client.logout()
    staff = make_user(is_staff=True, is_superuser=True)
    response = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    # A deactivated account is signed out on its next request
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    assert client.get("/admin/").status_code == 302
