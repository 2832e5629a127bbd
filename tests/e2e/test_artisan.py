"""A maker joins, is approved, lists a batik, and ships the order the worker routes to her."""

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from artisans.models import District, Shop
from catalog.models import Fabric, Motif, Product, ProductType, Technique
from notifications.models import Notification
from orders.models import Order, SubOrder
from tests.conftest import wait_for
from tests.e2e import steps
from tests.e2e.conftest import DESKTOP, PHONE, confirmation_path, jpeg_bytes
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

MAKER_EMAIL = "rahmawati@example.com"
SHOP_NAME = "Batik Telapak Rahma"
TITLE = "Kain Batik Tulis Telapak Tangan Merah Soga"


def _taxonomy() -> dict:
    return {
        "motif": Motif.objects.get_or_create(slug="telapak-tangan", name="Telapak Tangan")[0],
        "technique": Technique.objects.get_or_create(slug="tulis", name="Tulis")[0],
        "fabric": Fabric.objects.get_or_create(slug="katun-primisima", name="Katun Primisima")[0],
        "type": ProductType.objects.get_or_create(slug="kain", name="Kain")[0],
    }


def _sign_up_and_verify(page: Page) -> None:
    page.goto("/akun/signup/")
    page.locator("input[name=email]").fill(MAKER_EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("input[name=display_name]").fill("Rahmawati")
    page.locator("input[name=phone]").fill("0813-5000-1234")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    # The live server is a thread of this process: its email lands in Django's test outbox.
    wait_for(lambda: [m for m in mail.outbox if MAKER_EMAIL in m.to], timeout=10)
    message = next(m for m in mail.outbox if MAKER_EMAIL in m.to)
    page.goto(confirmation_path(message.body))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    steps.log_in(page, MAKER_EMAIL)


def _apply_for_a_shop(page: Page, taxonomy: dict) -> None:
    page.goto("/toko/buka-toko/")
    page.locator("#id_name").fill(SHOP_NAME)
    page.locator("#id_district").select_option(District.SANGATTA_UTARA)
    page.locator("#id_address").fill("Jl. Soekarno-Hatta Gg. Melati No. 4, Sangatta Utara")
    page.locator("#id_whatsapp").fill("0813 5000 1234")
    page.locator("#id_story").fill("Saya membatik motif telapak tangan sejak 2009.")
    steps.assert_fits_width(page)
    page.locator(f"input[name=motifs][value='{taxonomy['motif'].pk}']").check()
    page.locator(f"input[name=techniques][value='{taxonomy['technique'].pk}']").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/toko/saya/")
    expect(page.locator("main")).to_contain_text(SHOP_NAME)


def _list_a_batik_with_two_photos(page: Page, taxonomy: dict) -> Product:
    page.goto("/dasbor/produk/")
    page.locator("main a.button[href$='/dasbor/produk/baru/']").click()
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_description").fill("Kain 2 m x 1,15 m, pewarna alam soga, dibatik tulis.")
    page.locator(f"input[name=motifs][value='{taxonomy['motif'].pk}']").check()
    page.locator(f"input[name=technique][value='{taxonomy['technique'].pk}']").check()
    page.locator("#id_fabric").select_option(str(taxonomy["fabric"].pk))
    page.locator("#id_product_type").select_option(str(taxonomy["type"].pk))
    page.locator("#id_length_cm").fill("200")
    page.locator("#id_width_cm").fill("115")
    page.locator("#id_price").fill("450.000")
    page.locator("#id_options-0-stock").fill("2")
    steps.assert_fits_width(page)
    page.locator("form.product-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dasbor/produk/\d+/foto/$"))

    # Two photos in one go: the page's script uploads them one by one, then reloads.
    page.get_by_test_id("upload-form").locator("input[type=file]").set_input_files(
        [
            {"name": "kain-depan.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()},
            {
                "name": "kain-detail.jpg",
                "mimeType": "image/jpeg",
                "buffer": jpeg_bytes((1200, 900), "#5b2c12"),
            },
        ]
    )
    page.get_by_test_id("upload-form").locator("button[type=submit]").click()
    expect(page.locator("ol.photo-list > li")).to_have_count(2)
    steps.assert_fits_width(page)

    page.goto("/dasbor/produk/")
    listing = page.get_by_test_id("listing").filter(has_text=TITLE)
    listing.locator("form[action$='/terbitkan/'] button").click()
    expect(listing.locator(".status-badge.status-active")).to_be_visible()
    steps.assert_fits_width(page)
    product = Product.objects.get(title=TITLE)
    assert product.status == Product.Status.ACTIVE and product.images.count() == 2
    return product


def _offer_cash_on_delivery(page: Page) -> None:
    page.goto("/dasbor/pesanan/pengiriman/")
    page.locator("#id_offers_cod").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _wait_for_unread_badge(page: Page, timeout: float = 30.0) -> None:
    """Reload the dashboard until the bell shows an unread notification (the worker is async)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page.goto("/dasbor/")
        if page.get_by_test_id("unread-count").count():
            return
        time.sleep(0.5)
    raise AssertionError("no unread notification appeared for the artisan")


def test_artisan_joins_lists_a_batik_and_ships_a_routed_order(open_browser, celery_worker):
    taxonomy = _taxonomy()
    superuser = make_user(email="admin@koperasi.example", is_staff=True, is_superuser=True)
    # Makers work from their phones too: the whole journey runs at 360 px.
    artisan = open_browser(PHONE)

    # given a maker who signs up, confirms her email and applies for a shop
    _sign_up_and_verify(artisan)
    _apply_for_a_shop(artisan, taxonomy)
    shop = Shop.objects.get(name=SHOP_NAME)
    assert shop.status == Shop.Status.PENDING

    # when the cooperative approves the application in the admin
    admin = open_browser(DESKTOP)
    steps.admin_log_in(admin, superuser.email)
    steps.run_admin_action(
        admin, changelist="/admin/artisans/shop/", row_text=SHOP_NAME, action="approve_selected"
    )
    shop.refresh_from_db()
    assert shop.status == Shop.Status.APPROVED

    # then the worker tells her, and she reads it
    _wait_for_unread_badge(artisan)
    artisan.locator("header a.icon-link[href$='/notifikasi/']").click()
    expect(artisan.locator(".notification.is-unread")).to_have_count(1)
    artisan.locator("main form[action$='/baca-semua/'] button").click()
    expect(artisan.get_by_test_id("unread-count")).to_have_count(0)

    # when she lists a batik with two photos, publishes it, and offers cash on delivery
    product = _list_a_batik_with_two_photos(artisan, taxonomy)
    _offer_cash_on_delivery(artisan)

    # when a buyer on a phone orders it, paying cash on delivery
    buyer = open_browser(PHONE)
    buyer.goto(product.get_absolute_url())
    expect(buyer.locator(".gallery-strip img")).to_have_count(2)
    steps.add_to_cart(buyer)
    order_url = steps.checkout(buyer, email="andi.pembeli@example.com", payment="cod")
    order = Order.objects.get(email="andi.pembeli@example.com")
    assert order.status == Order.Status.CONFIRMED

    # then the worker routes it and the maker sees the notification
    _wait_for_unread_badge(artisan)
    artisan.locator("header a.icon-link[href$='/notifikasi/']").click()
    notification = artisan.locator(".notification.is-unread").filter(has_text=order.reference)
    expect(notification).to_have_count(1)
    assert Notification.objects.filter(recipient__email=MAKER_EMAIL, kind="order-routed").exists()

    # when she accepts it and ships it with a courier and tracking number
    notification.locator(".notification-title a").click()
    artisan.wait_for_url(re.compile(r"/dasbor/pesanan/\d+/$"))
    artisan.locator("form[action$='/terima/'] button[type=submit]").click()
    artisan.wait_for_load_state()
    ship = artisan.locator("form[action$='/kirim/']")
    steps.assert_fits_width(artisan)
    ship.locator("#id_courier").fill("JNE")
    ship.locator("#id_tracking_number").fill("JNE0123456789")
    ship.locator("button[type=submit]").click()
    expect(artisan.locator("main h1 .status-shipped")).to_be_visible()

    # then the buyer's order page shows it shipped, with the tracking number
    buyer.goto(order_url)
    suborder = buyer.get_by_test_id("suborder")
    expect(suborder.locator(".status-shipped")).to_be_visible()
    expect(suborder).to_contain_text("JNE0123456789")
    expect(suborder.locator("ol.timeline li")).to_have_count(3)
    assert SubOrder.objects.get(order=order).status == SubOrder.Status.SHIPPED
