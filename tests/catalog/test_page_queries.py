"""Every public catalog page stays within six queries for every kind of visitor.

Three visitors: first-time (no cookies), signed out with a cart in their session, and a
signed-in buyer; each page with the caches cold (just after a catalog edit) and warm (the
same page again), at 24 and 96 products per list.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from artisans.models import ShopFollow
from catalog.models import Collection, CollectionItem, Favourite, Product
from catalog.services import refresh_search_vector
from orders.cart import SESSION_KEY
from tests.catalog.conftest import add_image
from tests.factories import make_product, make_shop, make_user

pytestmark = pytest.mark.django_db

MAX_QUERIES = 6


@pytest.fixture
def catalog():
    shops = [make_shop(is_verified=True), make_shop()]
    products = []
    for number in range(100):
        product = make_product(shop=shops[number % 2], motif=("paku", "sawit")[number % 2])
        add_image(product)
        products.append(product)
    Product.objects.filter(pk__in=[p.pk for p in products[:10]]).update(is_featured=True)
    collection = Collection.objects.create(title="Seragam", slug="seragam", is_published=True)
    for position, product in enumerate(products[:30]):
        CollectionItem.objects.create(collection=collection, product=product, position=position)
    refresh_search_vector(product_ids=[p.pk for p in products])
    return {"product": products[0], "shop": shops[0], "collection": collection}


def _first_time(_catalog) -> Client:
    return Client()


def _with_a_cart(catalog) -> Client:
    client = Client()
    option = catalog["product"].options.first()
    session = client.session
    session[SESSION_KEY] = {str(option.pk): {"q": 2, "p": option.price, "s": option.stock}}
    session.save()
    client.cookies["sessionid"] = session.session_key
    return client


def _signed_in(catalog) -> Client:
    buyer = make_user()
    Favourite.objects.create(user=buyer, product=catalog["product"])
    ShopFollow.objects.create(user=buyer, shop=catalog["shop"])
    client = Client()
    client.force_login(buyer)
    return client


VISITORS = {"first-time": _first_time, "with-cart": _with_a_cart, "signed-in": _signed_in}
PAGES = {
    "home": lambda c: "/en/",
    "catalog-24": lambda c: "/en/batik/?per_page=24",
    "catalog-96": lambda c: "/en/batik/?per_page=96",
    "filtered-96": lambda c: "/en/batik/?per_page=96&motif=paku&verified=1",
    "in-stock": lambda c: "/en/batik/?availability=in-stock&per_page=96",
    "last-page": lambda c: "/en/batik/?page=5",
    "search-24": lambda c: "/en/batik/?q=paku",
    "search-96": lambda c: "/en/batik/?q=paku&per_page=96",
    "product": lambda c: c["product"].get_absolute_url().replace("/batik/", "/en/batik/", 1),
    "collection": lambda c: "/en" + c["collection"].get_absolute_url(),
    "shop": lambda c: "/en" + c["shop"].get_absolute_url(),
    "favourites": lambda c: "/en/batik/favorit/",
}


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


# The wishlist is for signed-in buyers only; every other page for every visitor.
VISITED = [
    (page, visitor)
    for page in PAGES
    for visitor in VISITORS
    if page != "favourites" or visitor == "signed-in"
]


@pytest.mark.parametrize(("page", "visitor"), VISITED)
def test_every_page_stays_within_six_queries_cold_and_warm(catalog, visitor, page):
    client = VISITORS[visitor](catalog)
    url = PAGES[page](catalog)
    cache.clear()
    cold = _queries(client, url)
    warm = _queries(client, url)
    assert cold <= MAX_QUERIES
    assert warm <= MAX_QUERIES


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("query", ["", "q=paku&"])
def test_a_list_costs_the_same_queries_at_24_and_96(catalog, visitor, query):
    client = VISITORS[visitor](catalog)
    counts = []
    for size in (24, 96):
        cache.clear()
        counts.append(_queries(client, f"/en/batik/?{query}per_page={size}"))
    assert counts[0] == counts[1]
