"""Cached pages for visitors, invalidated by edits; query counts that do not grow with the page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.cache import bump_catalog_version
from catalog.models import Product
from catalog.services import refresh_search_vector
from catalog.views.pagecache import CART_COUNT_PLACEHOLDER, CSRF_PLACEHOLDER
from orders.lifecycle import expire_unpaid_orders
from orders.models import Order, PaymentMethod
from orders.placement import place_order
from tests.catalog.conftest import add_image
from tests.factories import ADDRESS, make_product, make_shop, make_user

pytestmark = pytest.mark.django_db


def _guest_with_cart(client, option, *, quantity: int):
    """Make `client` a guest with `quantity` of `option` in their cart; their session."""
    from orders.cart import SESSION_KEY

    session = client.session
    item = {"q": quantity, "p": option.price, "s": option.stock}
    session[SESSION_KEY] = {str(option.pk): item}
    session.save()
    client.cookies["sessionid"] = session.session_key
    return session


def test_visitor_pages_are_cached_and_an_edit_shows_at_once(client):
    product = make_product(title="Kain Paku Lama", price=350_000)
    first = client.get(product.get_absolute_url())
    again = client.get(product.get_absolute_url())
    listing = client.get("/batik/")
    assert first["X-Catalog-Cache"] == "miss"
    assert again["X-Catalog-Cache"] == "hit"

    # An artisan edits the listing; the listing service updates and bumps the catalog version.
    Product.objects.filter(pk=product.pk).update(title="Kain Paku Baru", price=400_000)
    assert "Kain Paku Lama" in client.get(product.get_absolute_url()).content.decode()
    refresh_search_vector(product_ids=[product.pk])
    bump_catalog_version()

    fresh = client.get(product.get_absolute_url())
    assert fresh["X-Catalog-Cache"] == "miss"
    assert "Kain Paku Baru" in fresh.content.decode()
    assert "Rp 400.000" in fresh.content.decode()
    assert "Kain Paku Baru" in client.get("/batik/").content.decode()
    assert listing["X-Catalog-Cache"] == "miss"


def test_each_visitor_gets_their_own_csrf_token_from_a_cached_page(client):
    from django.test import Client

    product = make_product()
    first = Client().get(product.get_absolute_url())
    second = Client().get(product.get_absolute_url())
    assert second["X-Catalog-Cache"] == "hit"
    assert CSRF_PLACEHOLDER not in second.content.decode()
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_language_is_part_of_the_cache_key(client):
    product = make_product()
    client.get(f"/batik/{product.slug}/")
    english = client.get(f"/en/batik/{product.slug}/").content.decode()
    assert "Add to cart" in english


def _catalog(count: int) -> None:
    shops = [make_shop(is_verified=True), make_shop()]
    for number in range(count):
        product = make_product(shop=shops[number % 2], motif=("paku", "sawit")[number % 2])
        add_image(product)


@pytest.mark.parametrize(
    "url",
    ["/batik/?per_page=24", "/batik/?per_page=96", "/batik/?per_page=96&motif=paku&verified=1"],
)
def test_catalog_list_query_count_is_small_and_constant(client, django_assert_max_num_queries, url):
    _catalog(100)
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200


def test_catalog_list_same_queries_at_24_and_96(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _catalog(100)
    with CaptureQueriesContext(connection) as small:
        client.get("/batik/?per_page=24")
    bump_catalog_version()
    with CaptureQueriesContext(connection) as large:
        client.get("/batik/?per_page=96")
    assert len(small) == len(large) <= 6

    client.force_login(make_user())
    client.get("/batik/")  # the session is read from the database once, then from the cache
    bump_catalog_version()
    with CaptureQueriesContext(connection) as small:
        client.get("/batik/?per_page=24")
    bump_catalog_version()
    with CaptureQueriesContext(connection) as large:
        client.get("/batik/?per_page=96")
    assert len(small) == len(large) <= 6


def test_home_query_count(client, django_assert_max_num_queries):
    _catalog(30)
    Product.objects.update(is_featured=True)
    with django_assert_max_num_queries(6):
        assert client.get("/").status_code == 200


def test_product_page_query_count(client, django_assert_max_num_queries):
    _catalog(30)
    product = Product.objects.first()
    add_image(product, primary=False, position=1)
    with django_assert_max_num_queries(6):
        assert client.get(product.get_absolute_url()).status_code == 200


def test_search_query_count(client, django_assert_max_num_queries):
    _catalog(40)
    refresh_search_vector(product_ids=Product.objects.values_list("pk", flat=True))
    with django_assert_max_num_queries(6):
        assert client.get("/batik/?q=paku&per_page=96").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/batik/?q=pakk").status_code == 200


def test_a_first_visit_is_served_whole_without_a_query(client, django_assert_num_queries):
    from django.test import Client

    product = make_product(title="Kain Sawit")
    Client().get(product.get_absolute_url())
    with django_assert_num_queries(0):
        response = Client().get(product.get_absolute_url())
    assert response["X-Catalog-Cache"] == "hit"
    assert product.title in response.content.decode()
    assert CSRF_PLACEHOLDER not in response.content.decode()


def test_a_visitor_with_a_cart_never_gets_someone_elses_header(client):
    from django.test import Client

    product = make_product(title="Kain Sawit")
    option = product.options.first()
    Client().get("/batik/")  # a first-time visitor fills the whole-page cache (empty cart)
    _guest_with_cart(client, option, quantity=2)
    html = client.get("/batik/").content.decode()
    assert 'data-testid="cart-count">2<' in html


def test_signed_in_buyer_sees_the_new_count_after_a_listing_is_added(client):
    """The browse count is kept per catalog version: a new listing moves the version on."""
    make_product(title="Kain Satu", motif="paku")
    client.force_login(make_user())  # signed in: no page cache, only the count is kept
    assert "1 batik" in client.get("/en/batik/?motif=paku").content.decode()
    make_product(title="Kain Dua", motif="paku")
    bump_catalog_version()
    body = client.get("/en/batik/?motif=paku&sort=price-asc").content.decode()
    assert "2 batik" in body
    assert "Kain Dua" in body


@pytest.fixture
def guest_order(django_capture_on_commit_callbacks):
    """A guest's order of `quantity` pieces of `product`, committed."""

    def order(product, quantity: int):
        with django_capture_on_commit_callbacks(execute=True):
            return place_order(
                buyer=None, email="tamu@example.com", address=dict(ADDRESS),
                quantities={product.options.get().pk: quantity},
                payment_method=PaymentMethod.BANK_TRANSFER,
            )  # fmt: skip

    return order


def test_a_product_page_says_how_many_are_left_after_an_order(client, guest_order):
    product = make_product(title="Kain Stok", stock=3)
    page = f"/en/batik/{product.slug}/"
    assert "3 in stock" in client.get(page).content.decode()
    guest_order(product, 2)
    assert "1 in stock" in client.get(page).content.decode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_an_order_shows_at_once_on_the_pages_that_show_stock(
    client, guest_order, django_capture_on_commit_callbacks, signed_in
):
    """Stock moves with orders, not with listing edits: the product page, the in-stock lists
    of the catalog and of the shop follow it; nothing else is rendered again."""
    product = make_product(title="Kain Stok", stock=3)
    other = make_product(title="Kain Lain", stock=5)
    if signed_in:
        client.force_login(make_user())
    page, in_stock = f"/en/batik/{product.slug}/", "/en/batik/?availability=in-stock"
    shop_in_stock = f"/en/toko/{product.shop.slug}/?availability=in-stock"
    assert "3 in stock" in client.get(page).content.decode()
    assert "2 batik" in client.get(in_stock).content.decode()
    assert "Kain Stok" in client.get(shop_in_stock).content.decode()
    assert client.get(in_stock)["X-Catalog-Cache"] == "hit"
    client.get(f"/en/batik/{other.slug}/")  # kept
    client.get("/en/batik/")  # kept

    guest_order(product, 2)
    assert "1 in stock" in client.get(page).content.decode()
    assert "2 batik" in client.get(in_stock).content.decode()
    order = guest_order(product, 1)  # the last piece
    sold_out = client.get(page).content.decode()
    assert "Sold out for now" in sold_out and "1 in stock" not in sold_out
    assert "1 batik" in client.get(in_stock).content.decode()
    assert "Kain Stok" not in client.get(shop_in_stock).content.decode()
    assert client.get("/en/batik/")["X-Catalog-Cache"] == "hit"  # stock is not on cards

    # The buyer never pays: the order expires and the pieces come back.
    Order.objects.filter(pk=order.pk).update(payment_due_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        expire_unpaid_orders()
    assert "1 in stock" in client.get(page).content.decode()
    assert "2 batik" in client.get(in_stock).content.decode()


def test_uncached_list_shows_each_edit_and_each_readers_own_hearts(client, settings):
    """The list's SQL is compiled once per shape; the rows and each reader's favourites are not."""
    from django.test import Client

    from catalog.models import Favourite

    settings.CATALOG_PAGE_CACHE = False
    product = make_product(title="Kain Sisik", price=350_000, motif="paku")
    assert "Rp 350.000" in client.get("/batik/?motif=paku").content.decode()
    Product.objects.filter(pk=product.pk).update(price=420_000)  # no catalog version change
    assert "Rp 420.000" in client.get("/batik/?motif=paku").content.decode()

    saver, other = make_user(), make_user()
    Favourite.objects.create(user=saver, product=product)
    pages = {}
    for user in (saver, other):
        reader = Client()
        reader.force_login(user)
        pages[user] = reader.get("/batik/?motif=paku").content.decode()
    assert 'aria-pressed="true"' in pages[saver]
    assert 'aria-pressed="true"' not in pages[other]
    assert 'aria-pressed="false"' in pages[other]


def test_a_visitor_with_a_cart_is_served_the_cached_page_with_their_own_count(client):
    from django.test import Client

    product = make_product(title="Kain Sawit")
    option = product.options.first()
    Client().get(product.get_absolute_url())  # a first-time visitor fills the cache
    _guest_with_cart(client, option, quantity=3)
    response = client.get(product.get_absolute_url())
    html = response.content.decode()
    assert response["X-Catalog-Cache"] == "hit"
    assert 'data-testid="cart-count">3<' in html
    assert CSRF_PLACEHOLDER not in html and CART_COUNT_PLACEHOLDER not in html
    assert 'name="csrfmiddlewaretoken" value="' in html


def test_signed_in_buyers_never_get_each_others_token_from_a_cached_fragment(client):
    from django.test import Client

    product = make_product(title="Kain Sawit")
    pages = []
    for _number in range(2):
        buyer = Client(enforce_csrf_checks=True)
        buyer.force_login(make_user())
        html = buyer.get(product.get_absolute_url()).content.decode()
        token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        option = product.options.first()
        added = buyer.post(
            reverse("orders:cart-add"),
            {"option": option.pk, "quantity": 1, "csrfmiddlewaretoken": token},
        )
        pages.append((token, added.status_code))
    assert CSRF_PLACEHOLDER not in html and CART_COUNT_PLACEHOLDER not in html
    assert pages[0][0] != pages[1][0]
    assert all(status != 403 for _token, status in pages)


def test_a_visitor_who_added_to_the_cart_gets_the_cached_pages_once_the_message_is_shown(client):
    product = make_product(title="Kain Paku", stock=5)
    client.get("/batik/")  # the page is cached
    response = client.post(
        reverse("orders:cart-add"), {"option": product.options.get().pk, "quantity": 1}
    )
    assert response.status_code == 302

    # the next page shows "added to cart" (rendered for this visitor), then the cookie is spent
    assert client.get("/batik/")["X-Catalog-Cache"] == "private"
    client.cookies["messages"] = ""  # a client that keeps sending the emptied cookie

    response = client.get("/batik/")
    assert response["X-Catalog-Cache"] == "hit"
    assert 'data-testid="cart-count">1<' in response.content.decode()


COUNTING_CACHE = {
    "BACKEND": "tests.catalog.counting_cache.CountingCache",
    "LOCATION": "counting-calls",
}


def test_a_visitor_with_a_cart_gets_a_kept_page_in_one_cache_round_trip(client, settings):
    """Their session (signed in? their cart) is read with the page, not in a trip of its own."""
    from django.test import Client

    from tests.catalog import counting_cache

    settings.CACHES = {**settings.CACHES, "default": COUNTING_CACHE}
    product = make_product(title="Kain Sawit")
    option = product.options.first()
    Client().get(product.get_absolute_url())  # a first-time visitor fills the cache
    _guest_with_cart(client, option, quantity=3)
    counting_cache.CALLS.clear()
    response = client.get(product.get_absolute_url())
    assert response["X-Catalog-Cache"] == "hit"
    assert 'data-testid="cart-count">3<' in response.content.decode()
    assert counting_cache.CALLS == ["get_many"]


def test_a_visitor_whose_session_left_the_cache_keeps_their_cart(client):
    """Sessions are kept in the database too: read from there when the cache lost them."""
    from django.core.cache import cache

    product = make_product(title="Kain Sawit")
    option = product.options.first()
    session = _guest_with_cart(client, option, quantity=2)
    client.get(product.get_absolute_url())  # the page is kept
    cache.delete(session.cache_key_prefix + session.session_key)
    response = client.get(product.get_absolute_url())
    assert response["X-Catalog-Cache"] == "hit"
    assert 'data-testid="cart-count">2<' in response.content.decode()


def test_a_signed_in_buyer_gets_a_kept_page_in_two_cache_round_trips(client, settings):
    """The first read tells who they are (their session); the second brings the shared page."""
    from django.test import Client

    from tests.catalog import counting_cache

    settings.CACHES = {**settings.CACHES, "default": COUNTING_CACHE}
    product = make_product(title="Kain Sawit")
    Client().get(product.get_absolute_url())  # the shared page is kept
    buyer = make_user(email="siti@example.com")
    client.force_login(buyer)
    counting_cache.CALLS.clear()
    response = client.get(product.get_absolute_url())
    assert response["X-Catalog-Cache"] == "hit"
    assert reverse("orders:list") in response.content.decode()  # their own account menu
    assert counting_cache.CALLS == ["get_many", "get"]


def test_an_order_of_several_batik_moves_the_stock_version_once(
    settings, django_capture_on_commit_callbacks
):
    """Taking and putting back an order's pieces makes the stock pages stale once each."""
    from orders.lifecycle import restore_stock
    from tests.catalog import counting_cache

    settings.CACHES = {**settings.CACHES, "default": COUNTING_CACHE}
    products = [make_product(title=f"Kain {n}", stock=3) for n in range(3)]
    counting_cache.CALLS.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(
            buyer=None, email="tamu@example.com", address=dict(ADDRESS),
            quantities={product.options.get().pk: 1 for product in products},
            payment_method=PaymentMethod.BANK_TRANSFER,
        )  # fmt: skip
    assert counting_cache.CALLS.count("incr") == 1
    counting_cache.CALLS.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for suborder in order.suborders.all():
            restore_stock(suborder)
    assert counting_cache.CALLS.count("incr") == len(order.suborders.all())
