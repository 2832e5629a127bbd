import pytest

from catalog.models import Favourite
from tests.factories import make_product, make_user

pytestmark = pytest.mark.django_db


def test_buyer_saves_and_unsaves_a_product_without_javascript(client):
    buyer = make_user()
    product = make_product(title="Kain Sawit")
    client.force_login(buyer)
    url = f"/batik/favorit/{product.pk}/"

    response = client.post(url, {"next": "/batik/?motif=paku"})
    assert response.status_code == 302
    assert response["Location"] == "/batik/?motif=paku"
    assert Favourite.objects.filter(user=buyer, product=product).exists()
    page = client.get("/en/batik/favorit/").content.decode()
    assert "Kain Sawit" in page
    assert 'aria-pressed="true"' in page

    client.post(url, {"next": "https://evil.example.com/"})
    assert not Favourite.objects.filter(user=buyer, product=product).exists()
    assert "Kain Sawit" not in client.get("/en/batik/favorit/").content.decode()


def test_favourite_needs_login_and_csrf(client):
    product = make_product()
    response = client.post(f"/batik/favorit/{product.pk}/")
    assert response.status_code == 302
    assert "/akun/login/" in response["Location"]
    assert not Favourite.objects.exists()
    assert client.get("/batik/favorit/").status_code == 302

    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user())
    assert strict.post(f"/batik/favorit/{product.pk}/").status_code == 403


def test_drafts_cannot_be_saved(client):
    client.force_login(make_user())
    draft = make_product(status="draft")
    assert client.post(f"/batik/favorit/{draft.pk}/").status_code == 404


def test_heart_shows_saved_state_on_cards(client):
    buyer = make_user()
    saved = make_product(title="Saved one")
    make_product(title="Other one")
    Favourite.objects.create(user=buyer, product=saved)
    client.force_login(buyer)
    html = client.get("/en/batik/").content.decode()
    assert html.count('aria-pressed="true"') == 1
    assert html.count('aria-pressed="false"') == 1


def test_the_login_link_keeps_the_whole_next_address(client):
    product = make_product()
    response = client.post(f"/batik/favorit/{product.pk}/", {"next": "/batik/?motif=paku&page=2"})
    assert response["Location"].endswith("?next=%2Fbatik%2F%3Fmotif%3Dpaku%26page%3D2")
