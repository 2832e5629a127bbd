"""The checkout on a 360 px phone: boxes beside their labels, the address from the official
regions filling in place, the shipping and grand total following it, then the order."""

import pytest
from playwright.sync_api import Locator, Page, expect

from orders.models import Order
from tests.e2e import steps
from tests.e2e.conftest import PHONE
from tests.factories import make_product, make_user
from tests.orders.conftest import set_shipping

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _box(locator: Locator) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None, locator
    return box


def assert_beside(control: Locator, label: Locator) -> None:
    """The checkbox or radio sits left of its label's text, on the same row (not above it)."""
    mark, text = _box(control), _box(label)
    assert mark["x"] + mark["width"] <= text["x"] + 1, (mark, text)
    middle = mark["y"] + mark["height"] / 2
    assert text["y"] <= middle <= text["y"] + text["height"], (mark, text)


def _cart_from_two_shops(page: Page) -> None:
    kain = make_product(title="Kain Batik Tulis Paku", price=350_000)
    selendang = make_product(title="Selendang Wakaroros", price=200_000)
    set_shipping(kain.shop, rate_local=15_000, rate_kalimantan=35_000, rate_indonesia=60_000)
    set_shipping(selendang.shop, rate_local=10_000, rate_kalimantan=30_000, rate_indonesia=55_000)
    for product in (kain, selendang):
        page.goto(f"/batik/{product.slug}/")
        steps.add_to_cart(page)
    page.goto("/pesanan/checkout/")


def test_checkout_layout_on_a_phone_and_the_total_following_the_address(open_browser):
    buyer = make_user()
    page = open_browser(PHONE)
    steps.log_in(page, buyer.email)
    _cart_from_two_shops(page)
    expect(page.locator("main h1")).to_have_text("Selesaikan pesanan")
    steps.assert_fits_width(page)

    # Checkboxes and radios sit beside their labels, on the left
    save = page.locator("#id_save_address")
    assert_beside(save, page.locator("label[for=id_save_address]"))
    pickups = page.locator("input[name=pickup_shops]")
    expect(pickups).to_have_count(2)
    first_pickup = pickups.first
    assert_beside(first_pickup, page.locator(f"label[for={first_pickup.get_attribute('id')}]"))
    for radio in page.locator("input[name=payment_method]").all():
        card = page.locator(f"label.pay-card[for={radio.get_attribute('id')}]")
        assert_beside(radio, card.locator("span"))
        assert _box(card)["width"] > 250  # a card across the phone, not a bare radio

    # Kutai Timur is chosen from the start: its shipping and the grand total show at once
    shipping = page.get_by_test_id("checkout-shipping")
    expect(shipping.first).to_have_text(
        "Ongkos kirim dalam Kutai Timur: Rp 15.000", use_inner_text=True
    )
    total = page.locator("[data-grand-total]")
    expect(total).to_have_text("Rp 575.000")

    # when the buyer picks Kota Samarinda, the kecamatan fill in place (no page load)
    page.locator("#id_address-regency").select_option(label="Kota Samarinda")
    expect(page.locator("#id_address-district option", has_text="Palaran")).to_have_count(1)
    expect(shipping.first).to_have_text(
        "Ongkos kirim ke Kalimantan lainnya: Rp 35.000", use_inner_text=True
    )
    expect(shipping.nth(1)).to_have_text(
        "Ongkos kirim ke Kalimantan lainnya: Rp 30.000", use_inner_text=True
    )
    expect(total).to_have_text("Rp 615.000")
    expect(page.locator("[data-region-refresh]")).to_have_count(0)

    # and picking the first maker's piece up at the workshop takes its shipping off
    first_pickup.check()
    expect(shipping.first).to_have_text(
        "Ambil di workshop: tanpa ongkos kirim", use_inner_text=True
    )
    expect(total).to_have_text("Rp 580.000")

    # and another province empties the selects below it and waits for a kabupaten
    page.locator("#id_address-province").select_option(label="Daerah Khusus Ibukota Jakarta")
    expect(page.locator("#id_address-regency option", has_text="Jakarta Pusat")).to_have_count(1)
    expect(page.locator("#id_address-district option")).to_have_count(1)
    expect(total).to_have_text("—")
    page.locator("#id_address-regency").select_option(label="Kota Administrasi Jakarta Pusat")
    expect(shipping.nth(1)).to_have_text(
        "Ongkos kirim ke luar Kalimantan: Rp 55.000", use_inner_text=True
    )
    expect(total).to_have_text("Rp 605.000")

    # then the order is placed with what the page said
    page.locator("#id_address-district").select_option(label="Gambir")
    page.locator("#id_address-village").select_option(index=1)
    for name, value in steps.GUEST_ADDRESS.items():
        page.locator(f"#id_address-{name}").fill(value)
    page.locator("input[name=payment_method][value=bank_transfer]").check()
    page.locator("form.checkout-form button[type=submit]").click()
    page.wait_for_url("**/pesanan/BK-*/")
    order = Order.objects.get(buyer=buyer)
    assert (order.regency_code, order.shipping_zone) == ("31.71", "indonesia")
    assert order.total == 605_000


def test_without_javascript_the_region_buttons_fill_the_selects(new_context, live_server):
    context = new_context(
        viewport=PHONE, base_url=live_server.url, locale="id-ID", java_script_enabled=False
    )
    page = context.new_page()
    _cart_from_two_shops(page)
    page.locator("#id_address-province").select_option(label="Daerah Khusus Ibukota Jakarta")
    page.locator("button[data-region-refresh][value=province]").click()
    page.wait_for_load_state()
    page.locator("#id_address-regency").select_option(label="Kota Administrasi Jakarta Pusat")
    page.locator("button[data-region-refresh][value=regency]").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("checkout-shipping").first).to_have_text(
        "Ongkos kirim ke luar Kalimantan: Rp 60.000", use_inner_text=True
    )
    expect(page.locator("[data-grand-total]")).to_have_text("Rp 665.000")
    page.locator("#id_address-district").select_option(label="Gambir")
    page.locator("button[data-region-refresh][value=district]").click()
    page.wait_for_load_state()
    page.locator("#id_address-village").select_option(index=1)
    page.locator("#id_email").fill("tamu@example.com")
    for name, value in steps.GUEST_ADDRESS.items():
        page.locator(f"#id_address-{name}").fill(value)
    page.locator("input[name=payment_method][value=bank_transfer]").check()
    page.locator("form.checkout-form button[type=submit]").last.click()
    page.wait_for_url("**/pesanan/lacak/**")
    assert Order.objects.get().kabupaten == "Kota Administrasi Jakarta Pusat"
