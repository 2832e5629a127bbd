"""What buyers, artisans and search engines see of reviews, and the pages' query counts."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from catalog.cache import bump_catalog_version
from reviews import services
from reviews.models import ProductReview, ShopReview
from tests.catalog.conftest import add_image
from tests.factories import make_product, make_shop, make_user

from .conftest import english_url, jpeg_file, verified_buyer

pytestmark = pytest.mark.django_db


def _en(obj) -> str:
    with translation.override("en"):
        return obj.get_absolute_url()


def _review(product, rating, text="", **user):
    buyer = verified_buyer(product, **user)
    return services.create_product_review(buyer=buyer, product=product, rating=rating, text=text)


def _json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


# --- the buyer's pages ----------------------------------------------------------------------


def test_the_to_review_page_lists_what_arrived_and_links_to_the_forms(client):
    product = make_product(title="Kain Paku Merah")
    buyer = verified_buyer(product)
    client.force_login(buyer)

    html = client.get(english_url("reviews:to-review")).content.decode()

    assert "Kain Paku Merah" in html
    assert english_url("reviews:product-review-create", product.pk) in html
    assert english_url("reviews:shop-review-create", product.shop.pk) in html


def test_the_account_menu_links_to_reviews(client):
    client.force_login(make_user())
    html = client.get(english_url("orders:list")).content.decode()
    assert english_url("reviews:to-review") in html


def test_a_buyer_writes_a_review_with_a_photo_through_the_form(client):
    product = make_product()
    buyer = verified_buyer(product, display_name="Siti Aminah")
    client.force_login(buyer)
    url = english_url("reviews:product-review-create", product.pk)
    assert client.get(url).status_code == 200

    response = client.post(url, {"rating": "4", "text": "Halus dan rapi", "photo": jpeg_file()})

    assert response.status_code == 302
    review = ProductReview.objects.get(product=product)
    assert (review.rating, review.text, review.buyer) == (4, "Halus dan rapi", buyer)
    assert review.photo
    page = client.get(_en(product)).content.decode()
    assert "Halus dan rapi" in page
    assert "Siti A." in page
    assert review.photo.url in page

    again = client.get(url, follow=True)
    assert "You have already reviewed this batik." in again.content.decode()


def test_a_buyer_without_a_delivery_is_refused_with_a_clear_message(client):
    product = make_product()
    client.force_login(make_user())
    url = english_url("reviews:product-review-create", product.pk)

    for response in (client.get(url), client.post(url, {"rating": "5"})):
        assert response.status_code == 403
        assert "Only buyers who received this batik can review it." in response.content.decode()
    assert not ProductReview.objects.exists()


def test_a_text_file_named_jpg_is_refused_by_the_form(client, media_root):
    product = make_product()
    client.force_login(verified_buyer(product))
    fake = SimpleUploadedFile("foto.jpg", b"hello, not a photo", content_type="image/jpeg")

    response = client.post(
        english_url("reviews:product-review-create", product.pk),
        {"rating": "5", "photo": fake},
    )

    assert response.status_code == 400
    assert "Upload a photo in JPEG, PNG or WebP format." in response.content.decode()
    assert not ProductReview.objects.exists()
    assert [p for p in Path(media_root).rglob("*") if p.is_file()] == []


def test_a_buyer_reviews_the_shop_through_the_form(client):
    product = make_product()
    client.force_login(verified_buyer(product))
    response = client.post(
        english_url("reviews:shop-review-create", product.shop.pk),
        {"rating": "5", "text": "Ramah sekali"},
    )
    assert response.status_code == 302
    assert ShopReview.objects.get().text == "Ramah sekali"
    assert "Ramah sekali" in client.get(_en(product.shop)).content.decode()


# --- product and shop pages -------------------------------------------------------------------


def test_the_product_page_shows_stars_reviews_replies_and_json_ld(client):
    product = make_product()
    first = _review(product, 5, "Motif pakunya tegas", display_name="Budi Santoso")
    _review(product, 4, "Bagus")
    services.reply_to_review(review=first, by=product.shop.owner, text="Terima kasih, Pak Budi")

    html = client.get(_en(product)).content.decode()

    assert 'aria-label="4.5 out of 5"' in html
    assert "2 reviews" in html
    assert "Motif pakunya tegas" in html and "Terima kasih, Pak Budi" in html
    assert html.index("Bagus") < html.index("Motif pakunya tegas")  # newest first
    data = _json_ld(html)
    assert data["@type"] == "Product"
    assert data["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": "4.50",
        "reviewCount": 2,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert [review["reviewRating"]["ratingValue"] for review in data["review"]] == [4, 5]
    assert data["review"][1]["author"]["name"] == "Budi S."


def test_a_product_without_reviews_has_no_aggregate_rating(client):
    product = make_product()
    html = client.get(_en(product)).content.decode()
    assert "aggregateRating" not in _json_ld(html)
    assert "No reviews yet" in html


def test_hidden_reviews_vanish_from_pages_json_ld_and_averages(client, settings):
    settings.CATALOG_PAGE_CACHE = False
    admin = make_user(is_staff=True)
    product = make_product()
    shown = _review(product, 4, "Sesuai foto")
    hidden = _review(product, 1, "Iklan toko lain")
    buyer = verified_buyer(product)
    shop_hidden = services.create_shop_review(
        buyer=buyer, shop=product.shop, rating=1, text="Kasar sekali"
    )

    services.hide_review(review=hidden, by=admin, reason="Iklan")
    services.hide_review(review=shop_hidden, by=admin, reason="Kata kasar")

    html = client.get(_en(product)).content.decode()
    assert "Sesuai foto" in html and "Iklan toko lain" not in html
    assert 'aria-label="4 out of 5"' in html
    data = _json_ld(html)
    assert data["aggregateRating"]["reviewCount"] == 1
    assert len(data["review"]) == 1
    shop_html = client.get(_en(product.shop)).content.decode()
    assert "Kasar sekali" not in shop_html
    assert "No reviews yet" in shop_html
    assert shown.pk in ProductReview.objects.visible().values_list("pk", flat=True)


def test_a_new_review_makes_the_cached_product_page_stale(
    client, django_capture_on_commit_callbacks
):
    product = make_product()
    url = _en(product)
    client.get(url)
    assert client.get(url)["X-Catalog-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        _review(product, 5, "Baru saja tiba")

    response = client.get(url)
    assert response["X-Catalog-Cache"] == "miss"
    assert "Baru saja tiba" in response.content.decode()


def test_reviews_are_paginated_newest_first(client, settings):
    settings.CATALOG_PAGE_CACHE = False
    product = make_product()
    for number in range(12):
        _review(product, 5, f"Ulasan nomor {number:02d}")

    first = client.get(_en(product)).content.decode()
    second = client.get(_en(product) + "?ulasan=2").content.decode()

    assert "Ulasan nomor 11" in first and "Ulasan nomor 02" in first
    assert "Ulasan nomor 01" not in first
    assert "Ulasan nomor 01" in second and "Ulasan nomor 00" in second
    assert "?ulasan=2#reviews" in first


def test_the_shop_page_shows_its_rating_and_reviews(client):
    product = make_product()
    for rating, text in ((5, "Pengiriman cepat"), (3, "Agak lama dibalas")):
        buyer = verified_buyer(product)
        services.create_shop_review(buyer=buyer, shop=product.shop, rating=rating, text=text)

    html = client.get(_en(product.shop)).content.decode()

    assert 'aria-label="4 out of 5"' in html
    assert "2 reviews" in html
    assert "Pengiriman cepat" in html and "Agak lama dibalas" in html
    assert "No reviews yet" not in html


def test_the_product_card_shows_stars_and_count(client):
    product = make_product(title="Selendang Wakaroros")
    for rating in (5, 4, 4):
        _review(product, rating)
    html = client.get("/en/batik/").content.decode()
    card = html[html.index("Selendang Wakaroros") :]
    assert 'aria-label="4.3 out of 5"' in card[:1500]
    assert '3<span class="visually-hidden"> reviews</span>' in card[:1500]


# --- query counts ----------------------------------------------------------------------------


def _catalog(count: int) -> list:
    shops = [make_shop(is_verified=True), make_shop()]
    products = []
    for number in range(count):
        product = make_product(shop=shops[number % 2])
        add_image(product)
        products.append(product)
    return products


def _queries(client, url: str) -> int:
    bump_catalog_version()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/en/batik/?per_page=24", "/en/batik/?per_page=96", "/en/"])
def test_product_lists_query_the_same_with_reviews(client, django_assert_max_num_queries, url):
    products = _catalog(40)
    without = _queries(client, url)

    for product in products[:30]:
        _review(product, 4)
        services.create_shop_review(buyer=verified_buyer(product), shop=product.shop, rating=5)
    bump_catalog_version()
    with django_assert_max_num_queries(without):
        html = client.get(url).content.decode()
    assert "out of 5" in html


def test_the_product_page_adds_one_query_for_its_reviews(client, django_assert_max_num_queries):
    product = _catalog(10)[0]
    without = _queries(client, _en(product))
    for rating in range(1, 6):
        _review(product, rating, "Kain bagus")
    bump_catalog_version()
    with django_assert_max_num_queries(without + 1):
        assert client.get(_en(product)).status_code == 200


def test_the_shop_page_adds_one_query_for_its_reviews(client, django_assert_max_num_queries):
    product = _catalog(30)[0]
    shop = product.shop
    without = _queries(client, _en(shop))
    for rating in range(1, 6):
        services.create_shop_review(buyer=verified_buyer(product), shop=shop, rating=rating)
    with django_assert_max_num_queries(without + 1):
        assert client.get(_en(shop)).status_code == 200


def test_the_ratings_are_stored_where_the_cards_read_them():
    product = make_product()
    _review(product, 3)
    _review(product, 4)
    product.refresh_from_db()
    assert product.rating_average == Decimal("3.50")


def test_the_to_review_page_query_count_does_not_grow(client, django_assert_max_num_queries):
    shop = make_shop()
    buyer = make_user()
    from .conftest import make_suborder

    for _ in range(8):
        products = [make_product(shop=shop), make_product(shop=shop)]
        make_suborder(buyer=buyer, products=products)
        services.create_product_review(buyer=buyer, product=products[0], rating=5, text="Oke")
    services.create_shop_review(buyer=buyer, shop=shop, rating=4)
    client.force_login(buyer)

    with django_assert_max_num_queries(10):
        html = client.get(english_url("reviews:to-review")).content.decode()
    assert html.count("Review this batik") == 8
    assert "Review the shop" not in html
