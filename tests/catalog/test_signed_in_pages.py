"""Signed-in buyers share the cached grids of cards; each sees their own hearts on them."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

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
