"""The public shop page: what buyers see, who sees unapproved shops, and its query count."""

import datetime
from urllib.parse import quote

import pytest
from django.utils import timezone

from artisans.models import Shop, ShopFollow
from catalog.models import Motif, Product
from catalog.services import refresh_search_vector
from tests.factories import make_product, make_shop, make_user

pytestmark = pytest.mark.django_db


def _url(shop) -> str:
    return f"/en/toko/{shop.slug}/"


def test_a_buyer_sees_the_shop_with_its_story_products_and_contact(client, settings):
    settings.SITE_URL = "https://batik-kutim.id"
    shop = make_shop(name="Batik Telapak Tangan", story="Motif tangan para pembatik.")
    shop.motifs.add(Motif.objects.create(name="Telapak Tangan", slug="telapak-tangan"))
    product = make_product(shop=shop)
    draft = make_product(shop=shop, status=Product.Status.DRAFT)

    html = client.get(_url(shop)).content.decode()

    assert "Batik Telapak Tangan" in html
    assert "Motif tangan para pembatik." in html
    assert "Sangatta Utara" in html
    assert "Telapak Tangan" in html
    assert "Member since" in html
    assert "No reviews yet" in html
    assert product.title in html
    assert draft.title not in html
    whatsapp = "https://wa.me/6281250000000?text=" + quote(
        "Hello Batik Telapak Tangan, I found your shop on Batik Kutai Timur"
    )
    assert whatsapp in html
    assert (
        "facebook.com/sharer/sharer.php?u=" + quote(f"https://batik-kutim.id{_url(shop)}") in html
    )
    assert "Copy link" in html
    assert 'data-testid="verified-badge"' not in html


def test_a_verified_maker_shows_the_badge(client):
    shop = make_shop(is_verified=True, verified_at=timezone.now())
    html = client.get(_url(shop)).content.decode()
    assert 'data-testid="verified-badge"' in html
    assert "Verified Kutai Timur maker" in html


def test_vacation_shows_a_notice_with_the_return_date(client):
    shop = make_shop(
        is_on_vacation=True,
        vacation_until=datetime.date(2031, 3, 2),
        vacation_message="Sedang ikut pameran di Samarinda.",
    )
    html = client.get(_url(shop)).content.decode()
    assert "not taking orders right now" in html
    assert "Back on 2 Mar 2031." in html
    assert "Sedang ikut pameran di Samarinda." in html


@pytest.mark.parametrize("status", ["pending", "rejected", "suspended"])
def test_unapproved_shops_are_invisible_except_to_their_members(client, status):
    shop = make_shop(status=status)
    make_product(shop=shop)

    assert client.get(_url(shop)).status_code == 404
    client.force_login(make_user())
    assert client.get(_url(shop)).status_code == 404
    client.force_login(make_shop().owner)  # another artisan
    assert client.get(_url(shop)).status_code == 404

    client.force_login(shop.owner)
    response = client.get(_url(shop))
    assert response.status_code == 200
    assert 'data-testid="shop-preview"' in response.content.decode()


def test_a_signed_in_buyer_follows_and_unfollows(client):
    shop = make_shop()
    buyer = make_user()
    client.force_login(buyer)

    response = client.post(f"/en/toko/{shop.slug}/ikuti/")
    assert response.status_code == 302
    assert ShopFollow.objects.filter(user=buyer, shop=shop).exists()
    html = client.get(_url(shop)).content.decode()
    assert "Following" in html and "1 follower" in html

    client.post(f"/en/toko/{shop.slug}/berhenti-ikuti/")
    assert not ShopFollow.objects.exists()


def test_following_needs_login_and_a_public_shop(client):
    shop = make_shop()
    response = client.post(f"/en/toko/{shop.slug}/ikuti/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(f"/en/toko/{shop.slug}/ikuti/").status_code == 302

    client.force_login(make_user())
    pending = make_shop(status=Shop.Status.PENDING)
    assert client.post(f"/en/toko/{pending.slug}/ikuti/").status_code == 404
    assert client.get(f"/en/toko/{shop.slug}/ikuti/").status_code == 405
    assert not ShopFollow.objects.exists()


def test_products_are_paginated_by_24(client):
    shop = make_shop()
    for _ in range(25):
        make_product(shop=shop)
    first = client.get(_url(shop))
    assert len(first.context["page"].object_list) == 24
    assert len(client.get(_url(shop) + "?page=2").context["page"].object_list) == 1


def _shop_with_products(count: int) -> Shop:
    shop = make_shop()
    shop.motifs.add(Motif.objects.get_or_create(slug="paku", defaults={"name": "Paku"})[0])
    for _ in range(count):
        make_product(shop=shop)
    return shop


@pytest.mark.parametrize("count", [24, 96])
def test_the_shop_page_query_count_does_not_grow_with_products(
    client, django_assert_max_num_queries, count
):
    shop = _shop_with_products(count)
    with django_assert_max_num_queries(6):
        response = client.get(_url(shop))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 24


@pytest.mark.parametrize("count", [24, 96])
def test_the_shop_page_query_count_for_a_signed_in_buyer(
    client, django_assert_max_num_queries, count
):
    shop = _shop_with_products(count)
    client.force_login(make_user())
    # Signed in, the header adds the unread notifications and the account's cart count.
    with django_assert_max_num_queries(12):
        response = client.get(_url(shop))
    assert response.status_code == 200


def test_the_catalog_filters_narrow_the_shop_page(client):
    # given a shop with a paku cloth in stock and a wakaroros cloth made to order
    shop = make_shop()
    paku = make_product(shop=shop, motif="paku", title="Kain Paku Hijau")
    wakaroros = make_product(
        shop=shop,
        motif="wakaroros",
        title="Kain Wakaroros Ungu",
        is_made_to_order=True,
        lead_time_days=21,
        stock=0,
    )
    shop.motifs.add(*Motif.objects.all())
    refresh_search_vector(product_ids=[paku.pk, wakaroros.pk])

    # when the buyer filters by motif, by availability, or searches within the shop
    by_motif = client.get(_url(shop), {"motif": "paku"}).content.decode()
    to_order = client.get(_url(shop), {"availability": "made-to-order"}).content.decode()
    searched = client.get(_url(shop), {"q": "wakaroros"}).content.decode()
    nothing = client.get(_url(shop), {"q": "sutra"}).content.decode()

    # then only the matching batik show, and an empty result says why
    assert paku.title in by_motif and wakaroros.title not in by_motif
    assert wakaroros.title in to_order and paku.title not in to_order
    assert wakaroros.title in searched and paku.title not in searched
    assert paku.title not in nothing and wakaroros.title not in nothing
    assert 'name="motif"' in by_motif
