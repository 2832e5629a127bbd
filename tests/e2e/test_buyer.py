"""A guest buyer, on a phone and on a desktop, finds batik from two makers and orders it."""

import pytest
from django.db import connection
from playwright.sync_api import expect

from artisans.models import District
from catalog.services import refresh_search_vector
from orders.models import Order, Payment
from tests.e2e import steps
from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import make_product, make_shop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _two_makers():
    """A paku shirt in sizes from Sangatta Utara and a daun singkong cloth from Rantau Pulung."""
    paku_shop = make_shop(name="Batik Pakis Sangatta", district=District.SANGATTA_UTARA)
    singkong_shop = make_shop(name="Rumah Batik Rantau", district=District.RANTAU_PULUNG)
    shirt = make_product(
        shop=paku_shop,
        motif="paku",
        title="Kemeja Batik Tulis Motif Paku",
        price=325_000,
        options=[("S", 0, 2), ("M", 0, 4), ("L", 15_000, 1)],
    )
    cloth = make_product(
        shop=singkong_shop,
        motif="daun-singkong",
        title="Kain Batik Cap Daun Singkong",
        price=280_000,
        stock=3,
    )
    # Another paku piece from Rantau Pulung, which the district filter must leave out.
    other = make_product(
        shop=singkong_shop, motif="paku", title="Selendang Paku Rantau", price=150_000
    )
    refresh_search_vector(product_ids=[shirt.pk, cloth.pk, other.pk])
    return shirt, cloth, other


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_guest_finds_batik_from_two_makers_and_orders_by_bank_transfer(open_browser, viewport):
    shirt, cloth, other = _two_makers()
    page = open_browser(viewport)

    # given the home page in Indonesian
    page.goto("/")
    expect(page.locator("main h1")).to_have_text("Batik dari para pembatik Kutai Timur")
    expect(page.locator("#site-search")).to_have_attribute(
        "placeholder", "Cari motif, pembatik, kemeja…"
    )

    # when the buyer browses, filtering paku batik made in Sangatta Utara
    page.locator(".hero a.button").click()
    page.wait_for_url("**/batik/")
    steps.open_filters(page)
    steps.assert_fits_width(page)
    page.locator("#filters input[name=motif][value=paku]").check()
    page.locator(f"#filters input[name=district][value={District.SANGATTA_UTARA}]").check()
    page.locator("#filters .filter-actions button[type=submit]").click()
    page.wait_for_url("**/batik/?*motif=paku*")
    cards = page.locator(".catalog-results .product-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(shirt.title)

    # and orders the shirt in size M
    cards.first.locator("a.card-link").click()
    expect(page.locator("main h1")).to_have_text(shirt.title)
    steps.add_to_cart(page, option_name="M")
    expect(page.get_by_test_id("cart-count")).to_have_text("1")

    # and searches for cassava-leaf batik, with a typo where the database can forgive it
    typo = connection.vendor == "postgresql"
    steps.search(page, "singkog" if typo else "singkong")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(cloth.title)
    if typo:
        expect(page.locator(".catalog-results .notice")).to_be_visible()
    cards.first.locator("a.card-link").click()
    expect(page.locator("main h1")).to_have_text(cloth.title)
    steps.add_to_cart(page, quantity=2)

    # then the cart holds both makers' batik
    expect(page.get_by_test_id("cart-shop")).to_have_count(2)
    expect(page.get_by_test_id("cart-total")).to_have_text("Rp 885.000")
    steps.assert_fits_width(page)

    # when they check out as a guest with an address in Kutai Timur, paying by bank transfer
    steps.checkout(page, email="siti.aminah@example.com")

    # then the order waits for the transfer, split between the two makers, each with a timeline
    order = Order.objects.get(email="siti.aminah@example.com")
    assert order.status == Order.Status.AWAITING_PAYMENT
    assert order.kecamatan == "Sangatta Utara" and order.kabupaten == "Kabupaten Kutai Timur"
    assert order.village_code == "64.08.04.2012"
    assert order.subtotal == 885_000
    expect(page.locator("main h1")).to_contain_text(order.reference)
    expect(page.get_by_test_id("bank-transfer")).to_contain_text(order.reference)
    suborders = page.get_by_test_id("suborder")
    expect(suborders).to_have_count(2)
    for index in range(2):
        expect(suborders.nth(index).locator("ol.timeline li")).to_have_count(1)
        expect(suborders.nth(index).locator(".status-new")).to_be_visible()

    # when they upload a photo of the transfer receipt
    steps.assert_fits_width(page)
    steps.upload_transfer_proof(page)

    # then the cooperative has it to check
    payment = Payment.objects.get(order=order)
    assert payment.status == Payment.Status.PROOF_SUBMITTED
    assert payment.proof.name.endswith(".jpg")

    # and the order page speaks English after switching, and Indonesian again after switching back
    steps.switch_language(page, "en")
    assert "/en/pesanan/lacak/" in page.url
    expect(page.locator(".order-address h2")).to_have_text("Delivery address")
    page.locator("header a.brand").click()
    expect(page.locator("main h1")).to_have_text("Batik from the makers of Kutai Timur")
    expect(page.locator("#site-search")).to_have_attribute(
        "placeholder", "Search motif, maker, shirt…"
    )
    steps.switch_language(page, "id")
    expect(page.locator("main h1")).to_have_text("Batik dari para pembatik Kutai Timur")
