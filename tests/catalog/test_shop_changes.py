"""Cached catalog pages and search follow changes to a shop, not only to its listings."""

import pytest
from django.db import connection

from artisans import services as shop_services
from artisans.models import Shop
from catalog.models import Product
from catalog.services import refresh_search_vector
from tests.factories import make_product, make_shop, make_user

pytestmark = pytest.mark.django_db


def test_a_shop_approved_after_a_page_was_cached_shows_on_it(
    client, django_capture_on_commit_callbacks, settings
):
    settings.CATALOG_PAGE_CACHE = True
    shop = make_shop(status=Shop.Status.PENDING, name="Batik Sawit Kaubun")
    product = make_product(shop=shop, title="Kain Sawit Kaubun")
    refresh_search_vector(product_ids=[product.pk])
    assert product.title not in client.get("/batik/").content.decode()  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        shop_services.approve_shop(shop=shop, by=make_user(is_staff=True))

    assert product.title in client.get("/batik/").content.decode()


def test_a_vacation_shows_on_the_cached_product_page(
    client, django_capture_on_commit_callbacks, settings
):
    settings.CATALOG_PAGE_CACHE = True
    product = make_product()
    url = product.get_absolute_url()
    client.get(url)  # cached before the vacation

    with django_capture_on_commit_callbacks(execute=True):
        shop_services.set_vacation(shop=product.shop, until=None, message="Festival batik")

    assert "Festival batik" in client.get(url).content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search on PostgreSQL")
def test_search_finds_products_by_the_shops_new_name(client, django_capture_on_commit_callbacks):
    product = make_product()
    refresh_search_vector(product_ids=[product.pk])
    shop = product.shop
    shop.name = "Rumah Canting Kaliorang"

    with django_capture_on_commit_callbacks(execute=True):
        shop.save()
        shop_services.announce_shop_change([shop.pk])

    assert Product.objects.published().count() == 1
    assert product.title in client.get("/batik/", {"q": "kaliorang"}).content.decode()
