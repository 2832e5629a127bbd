"""A guest on a phone pays an order from two makers by BCA virtual account, or by QRIS, in the
local fake Midtrans's simulator; the payment page turns paid by itself and the makers hear of it."""

import pytest
from playwright.sync_api import expect

from notifications.models import Notification
from orders.models import MidtransCharge, Order
from tests.conftest import wait_for
from tests.e2e import steps
from tests.e2e.conftest import PHONE
from tests.factories import make_product, make_shop
from tests.orders.midtrans_server import (  # noqa: F401 (fixtures)
    fake_midtrans_fixture,
    midtrans_server_fixture,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def midtrans_to_live_server(fake_midtrans, live_server, settings):
    """The fake posts its notifications to this test's live server, as Midtrans would."""
    settings.MIDTRANS_NOTIFICATION_URL = f"{live_server.url}/midtrans/notification/"
    settings.MIDTRANS_SIMULATOR_URL = f"{fake_midtrans.url}/simulator/"
    return fake_midtrans


def _cart_from_two_makers(page) -> tuple:
    paku = make_product(
        shop=make_shop(name="Batik Pakis Sangatta"), title="Kemeja Paku", price=325_000
    )
    sawit = make_product(
        shop=make_shop(name="Rumah Batik Rantau"), title="Kain Sawit", price=280_000
    )
    for product in (paku, sawit):
        page.goto(product.get_absolute_url())
        steps.add_to_cart(page)
    return paku, sawit


def _paid_and_told(page, order: Order, shops) -> None:
    # the payment page turns to the order page by itself, paid
    page.wait_for_url("**/lacak/*/", timeout=20_000)
    expect(page.get_by_test_id("order-status")).not_to_have_text("Menunggu pembayaran")
    order.refresh_from_db()
    assert order.paid_at is not None and order.status == Order.Status.CONFIRMED
    # each artisan has one notification of the new order, the buyer one confirmation
    for shop in shops:
        wait_for(lambda shop=shop: Notification.objects.filter(recipient=shop.owner).count() == 1)
    assert Notification.objects.filter(email=order.email, key__contains="confirmed").count() == 1


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_a_guest_pays_by_bca_virtual_account_in_the_simulator(
    open_browser, viewport, midtrans_to_live_server, celery_worker
):
    page = open_browser(viewport)
    paku, sawit = _cart_from_two_makers(page)

    # when the guest checks out choosing BCA virtual account
    steps.checkout(page, email="siti.aminah@example.com", payment="bca_va")

    # then the payment page shows the number to pay, the exact amount and the deadline in WITA
    order = Order.objects.get(email="siti.aminah@example.com")
    charge = MidtransCharge.objects.get(payment__order=order)
    expect(page.get_by_test_id("va-number")).to_have_text(charge.va_number)
    expect(page.get_by_test_id("pay-amount")).to_have_text(f"Rp {order.total:,}".replace(",", "."))
    expect(page.get_by_test_id("pay-deadline")).to_contain_text("WITA")
    steps.assert_fits_width(page)

    # when they pay it in the simulator (another tab, as a bank app would be)
    simulator = page.context.new_page()
    simulator.goto(f"{midtrans_to_live_server.url}/simulator/")
    simulator.locator("section.card", has_text=charge.va_number).get_by_role(
        "button", name="Bayar"
    ).click()

    _paid_and_told(page, order, [paku.shop, sawit.shop])


def test_a_guest_pays_by_qris_in_the_simulator(
    open_browser, midtrans_to_live_server, celery_worker
):
    page = open_browser(PHONE)
    paku, sawit = _cart_from_two_makers(page)
    steps.checkout(page, email="budi@example.com", payment="qris")

    order = Order.objects.get(email="budi@example.com")
    expect(page.get_by_test_id("pay-qr").locator("svg")).to_be_visible()
    charge = MidtransCharge.objects.get(payment__order=order)

    # the simulator "scans" the QR: its text pasted into the simulator's scan box
    simulator = page.context.new_page()
    simulator.goto(f"{midtrans_to_live_server.url}/simulator/")
    simulator.locator("#qr").fill(charge.qr_string)
    simulator.get_by_role("button", name="Pindai dan bayar / Scan and pay").click()

    _paid_and_told(page, order, [paku.shop, sawit.shop])
