"""The buyer's lists from the account menu: saved batik, and followed shops with unfollow."""

import pytest
from django.urls import reverse

from artisans import services
from artisans.models import Shop, ShopFollow
from tests.factories import make_shop, make_user

pytestmark = pytest.mark.django_db


def test_the_account_menu_links_both_lists(client):
    client.force_login(make_user())
    html = client.get("/en/").content.decode()
    menu = html[html.index('class="menu-panel"') :]
    assert f'href="{reverse("catalog:favourite-list")}"' in menu
    assert 'href="/en/toko/diikuti/"' in menu


def test_followed_shops_are_listed_newest_first_with_unfollow(client):
    buyer = make_user()
    older, newer = make_shop(name="Batik Paku Sangatta"), make_shop(name="Rumah Batik Telapak")
    not_followed = make_shop(name="Batik Sawit Bengalon")
    closed = make_shop(name="Toko Tutup")
    for shop in (older, newer, closed):
        ShopFollow.objects.create(user=buyer, shop=shop)
    ShopFollow.objects.create(user=make_user(), shop=not_followed)
    Shop.objects.filter(pk=closed.pk).update(status=Shop.Status.SUSPENDED)
    client.force_login(buyer)

    html = client.get("/en/toko/diikuti/").content.decode()

    assert html.index("Rumah Batik Telapak") < html.index("Batik Paku Sangatta")
    assert "Batik Sawit Bengalon" not in html
    assert "Toko Tutup" not in html
    assert f'action="/en/toko/{older.slug}/berhenti-ikuti/"' in html
    assert f'href="/en/toko/{older.slug}/"' in html


def test_unfollowing_from_the_list_comes_back_to_the_list(client):
    buyer = make_user()
    shop = make_shop(name="Batik Paku Sangatta")
    ShopFollow.objects.create(user=buyer, shop=shop)
    client.force_login(buyer)

    response = client.post(
        f"/en/toko/{shop.slug}/berhenti-ikuti/", {"next": "/en/toko/diikuti/"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/en/toko/diikuti/"
    html = response.content.decode()
    assert "You no longer follow Batik Paku Sangatta." in html
    assert f'action="/en/toko/{shop.slug}/berhenti-ikuti/"' not in html
    assert not ShopFollow.objects.filter(user=buyer).exists()


def test_unfollow_goes_nowhere_outside_the_site(client):
    buyer = make_user()
    shop = make_shop()
    ShopFollow.objects.create(user=buyer, shop=shop)
    client.force_login(buyer)
    response = client.post(f"/toko/{shop.slug}/berhenti-ikuti/", {"next": "https://evil.example/"})
    assert response["Location"] == shop.get_absolute_url()


def test_an_empty_list_says_how_to_follow(client):
    client.force_login(make_user())
    html = client.get("/toko/diikuti/").content.decode()
    assert "Belum ada toko yang Anda ikuti" in html


def test_the_list_is_for_signed_in_buyers(client):
    response = client.get("/toko/diikuti/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["Diikuti", "Jual"])
def test_a_shop_cannot_take_the_address_of_a_page_under_toko(client, name):
    shop = services.submit_application(
        user=make_user(), name=name, district="sangatta-utara", address="Jl. Pendidikan 3",
        whatsapp="081250001111",
    )  # fmt: skip
    assert shop.get_absolute_url() not in ("/toko/diikuti/", "/toko/jual/")
