"""Signed-in buyers share the cached catalog pages; each sees their own header, hearts and follow button."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from artisans.models import ShopFollow
from catalog.cache import bump_catalog_version
from catalog.models import Favourite, Product
from tests.factories import make_product, make_user

pytestmark = pytest.mark.django_db

HEART = re.compile(r'favorit/(\d+)/".*?aria-pressed="(true|false)"', re.DOTALL)


def _buyer(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _hearts(client: Client, url: str) -> dict[int, bool]:
    """Each card's product id and whether its heart shows saved, as the buyer sees the page."""
    html = client.get(url).content.decode()
    return {int(pk): pressed == "true" for pk, pressed in HEART.findall(html)}


@pytest.mark.parametrize("page", ["catalog", "shop", "home"])
def test_two_buyers_on_the_same_cached_list_each_see_their_own_hearts(page):
    first = make_product(title="Kain Satu")
    second = make_product(title="Kain Dua", shop=first.shop)
    alice, bob = make_user(), make_user()
    Favourite.objects.create(user=alice, product=first)
    Favourite.objects.create(user=bob, product=second)
    url = {"catalog": "/en/batik/", "shop": "/en" + first.shop.get_absolute_url(), "home": "/en/"}[
        page
    ]

    alice_sees = _hearts(_buyer(alice), url)
    bob_sees = _hearts(_buyer(bob), url)  # the grid now comes from the cache

    assert alice_sees == {first.pk: True, second.pk: False}
    assert bob_sees == {first.pk: False, second.pk: True}


def test_a_warm_list_for_a_signed_in_buyer_reads_no_product_rows():
    make_product(title="Kain Satu")
    _buyer(make_user()).get("/en/batik/")  # another buyer warms the grid
    reader = _buyer(make_user())
    with CaptureQueriesContext(connection) as queries:
        html = reader.get("/en/batik/").content.decode()
    assert "Kain Satu" in html
    assert not [query for query in queries if "catalog_product" in query["sql"]]


def test_a_toggled_heart_shows_on_the_next_page():
    product = make_product(title="Kain Satu")
    buyer = _buyer(make_user())
    assert _hearts(buyer, "/en/batik/") == {product.pk: False}

    buyer.post(f"/batik/favorit/{product.pk}/", {"next": "/en/batik/"})
    assert _hearts(buyer, "/en/batik/") == {product.pk: True}

    buyer.post(f"/batik/favorit/{product.pk}/", {"next": "/en/batik/"})
    assert _hearts(buyer, "/en/batik/") == {product.pk: False}


def test_a_catalog_edit_shows_at_once_on_the_cached_list():
    product = make_product(title="Kain Lama")
    buyer = _buyer(make_user())
    assert "Kain Lama" in buyer.get("/en/batik/").content.decode()

    Product.objects.filter(pk=product.pk).update(title="Kain Baru")
    bump_catalog_version()  # what every listing service does after commit

    html = buyer.get("/en/batik/").content.decode()
    assert "Kain Baru" in html
    assert "Kain Lama" not in html


def test_related_cards_on_a_product_page_show_each_buyers_own_hearts():
    shown = make_product(title="Kain Utama")
    related = make_product(title="Kain Lain", shop=shown.shop)
    alice, bob = make_user(), make_user()
    Favourite.objects.create(user=alice, product=related)
    url = shown.get_absolute_url()

    assert _hearts(_buyer(alice), url)[related.pk] is True
    assert _hearts(_buyer(bob), url)[related.pk] is False


def test_hearts_and_tokens_are_never_left_as_placeholders():
    product = make_product(title="Kain Satu")
    buyer = _buyer(make_user())
    for url in ("/en/", "/en/batik/", product.get_absolute_url(), "/en/batik/favorit/"):
        html = buyer.get(url).content.decode()
        assert "<!--favourite-" not in html, url
        assert "__visitor-csrf-token__" not in html, url


def test_the_product_pages_own_heart_is_each_buyers_and_follows_a_toggle():
    product = make_product(title="Kain Utama")
    alice, bob = make_user(), make_user()
    Favourite.objects.create(user=alice, product=product)
    url = product.get_absolute_url().replace("/batik/", "/en/batik/", 1)
    saved = '<button class="button button-secondary" type="submit" aria-pressed="true">'

    assert saved in _buyer(alice).get(url).content.decode()
    bob_client = _buyer(bob)
    assert saved not in bob_client.get(url).content.decode()  # the same cached part
    bob_client.post(f"/batik/favorit/{product.pk}/", {"next": url})
    assert saved in bob_client.get(url).content.decode()


def test_a_title_that_looks_like_a_heart_placeholder_stays_text():
    product = make_product()
    title = f"<!--favourite-heart-{product.pk}--> __favourite-heart-{product.pk}__"
    Product.objects.filter(pk=product.pk).update(title=title)
    html = _buyer(make_user()).get("/en/batik/").content.decode()
    assert html.count('<button class="heart') == 1  # the card's own heart only
    assert f"&lt;!--favourite-heart-{product.pk}--&gt; __favourite-heart-{product.pk}__" in html


def _menu(html: str) -> str:
    return html.split('<div class="menu-panel">', 1)[1].split('<div class="language-links"', 1)[0]


def test_a_buyer_gets_the_page_a_visitor_left_in_the_cache_with_their_own_header():
    product = make_product(title="Kain Satu")
    url = "/en" + product.get_absolute_url()
    assert Client().get(url)["X-Catalog-Cache"] == "miss"  # a signed-out visitor
    buyer = make_user(display_name="Sari Wulan")

    response = _buyer(buyer).get(url)

    assert response["X-Catalog-Cache"] == "hit"
    menu = _menu(response.content.decode())
    assert "Sari Wulan" in menu
    assert "Log out" in menu and "Log in" not in menu
    assert 'aria-label="Notifications"' in response.content.decode()  # the bell, signed in only


def test_a_visitor_gets_the_page_a_buyer_left_in_the_cache_without_the_buyers_bits():
    product = make_product(title="Kain Satu")
    url = "/en" + product.get_absolute_url()
    buyer = make_user(display_name="Sari Wulan")
    Favourite.objects.create(user=buyer, product=product)
    assert _buyer(buyer).get(url)["X-Catalog-Cache"] == "miss"

    response = Client().get(url)

    html = response.content.decode()
    assert response["X-Catalog-Cache"] == "hit"
    assert "Sari Wulan" not in html and "Log out" not in html
    assert "Log in" in _menu(html)
    assert 'aria-pressed="true"' not in html  # not the buyer's saved heart
    assert f"login/?next={url}" in html  # the heart asks to log in


def test_signed_out_readers_share_one_kept_page_and_buyers_never_get_it():
    """Signed out, the page is kept with the log-in links in; each reader still gets their own
    CSRF token and cart count, and a buyer arriving after them gets their own header."""
    product = make_product(title="Kain Satu")
    url = "/en" + product.get_absolute_url()
    first, second = Client(), Client()
    assert first.get(url)["X-Catalog-Cache"] == "miss"
    again = second.get(url)
    buyer = make_user(display_name="Sari Wulan")
    Favourite.objects.create(user=buyer, product=product)
    signed_in = _buyer(buyer).get(url)
    last = Client().get(url)

    assert again["X-Catalog-Cache"] == signed_in["X-Catalog-Cache"] == last["X-Catalog-Cache"]
    assert last["X-Catalog-Cache"] == "hit"
    assert "Sari Wulan" in _menu(signed_in.content.decode())
    assert 'aria-pressed="true"' in signed_in.content.decode()
    for response in (again, last):
        html = response.content.decode()
        assert "Log in" in _menu(html) and "Sari Wulan" not in html
        assert 'data-testid="cart-count">0<' in html
        assert "__visitor-" not in html and "<!--visitor-" not in html
    tokens = {c.cookies["csrftoken"].value for c in (first, second)}
    assert len(tokens) == 2


def test_each_reader_of_one_cached_shop_page_sees_their_own_follow_button():
    product = make_product(title="Kain Satu")
    shop = product.shop
    url = "/en" + shop.get_absolute_url()
    follower, other = make_user(), make_user()
    ShopFollow.objects.create(user=follower, shop=shop)
    owner = shop.members.get()
    Client().get(url)  # cached by a visitor

    seen = {
        "follower": _buyer(follower).get(url),
        "other": _buyer(other).get(url),
        "owner": _buyer(owner).get(url),
        "visitor": Client().get(url),
    }

    assert {who: response["X-Catalog-Cache"] for who, response in seen.items()} == dict.fromkeys(
        seen, "hit"
    )
    html = {who: response.content.decode() for who, response in seen.items()}
    assert "Following ✓" in html["follower"] and "Edit shop" not in html["follower"]
    assert ">Follow</button>" in html["other"] and "Following ✓" not in html["other"]
    assert "Edit shop" in html["owner"] and "Follow</" not in html["owner"]
    assert f"login/?next={url}" in html["visitor"]
    assert "Following ✓" not in html["visitor"] and "Edit shop" not in html["visitor"]


def test_a_makers_preview_of_a_draft_is_never_served_to_anyone_else():
    product = make_product(title="Kain Rahasia", status=Product.Status.DRAFT)
    url = "/en" + product.get_absolute_url()
    owner = product.shop.members.get()

    preview = _buyer(owner).get(url)

    assert preview.status_code == 200 and preview["X-Catalog-Cache"] == "private"
    assert Client().get(url).status_code == 404
    assert _buyer(make_user()).get(url).status_code == 404


def test_a_buyers_home_page_with_followed_work_is_their_own():
    make_product(title="Kain Satu")
    assert _buyer(make_user()).get("/en/")["X-Catalog-Cache"] == "private"
    assert Client().get("/en/")["X-Catalog-Cache"] == "miss"
