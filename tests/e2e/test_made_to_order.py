"""A maker on a phone: the new made-to-order work arrives on WhatsApp, one tap accepts it, and
"Mulai dikerjakan" with a photo makes the down payment theirs."""

import pytest
from playwright.sync_api import expect

from ledger.services import balance_of
from notifications.services import send_pending_whatsapp
from orders import placement, routing
from orders.models import PaymentMethod, SubOrder
from orders.payments.common import mark_order_paid
from tests.e2e import steps
from tests.e2e.conftest import PHONE, jpeg_bytes
from tests.factories import ADDRESS, make_product, make_shop, make_user
from tests.notifications.whatsapp_server import (  # noqa: F401 (fixtures)
    fake_whatsapp_fixture,
    whatsapp_server_fixture,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_maker_accepts_on_whatsapp_and_starts_the_work_with_a_photo(
    open_browser, fake_whatsapp, live_server, settings
):
    # given a paid down payment on a hand-drawn batik made to order
    settings.SITE_URL = live_server.url
    shop = make_shop(owner=make_user(phone="+6281311110009"), down_payment_percent=50)
    product = make_product(shop=shop, price=1_000_000, is_made_to_order=True, lead_time_days=21)
    order = placement.place_order(
        buyer=None, email="pembeli@example.com", quantities={product.options.get().pk: 1},
        address=dict(ADDRESS), payment_method=PaymentMethod.BANK_TRANSFER,
        pickup_shop_ids={shop.pk},
    )  # fmt: skip
    mark_order_paid(order=order, payment=order.payments.get())
    routing.route_order(order=order)
    assert send_pending_whatsapp() == 1

    # when the maker taps the link in their WhatsApp message and accepts with the proposed date
    page = open_browser(PHONE)
    page.goto(fake_whatsapp.url + "/")
    page.get_by_test_id("message").filter(has_text=order.reference).get_by_role("link").click()
    page.get_by_role("button", name="Terima pesanan").click()
    expect(page.get_by_test_id("one-tap-done")).to_contain_text("Pesanan diterima")
    suborder = SubOrder.objects.get(order=order)
    assert suborder.status == SubOrder.Status.ACCEPTED and suborder.ready_by is not None

    # and, signed in on the dashboard, marks the work started with a photo of the first canting
    steps.log_in(page, shop.owner.email)
    page.goto(f"/dasbor/pesanan/{suborder.pk}/")
    start = page.get_by_test_id("start-work")
    start.locator("input[name=photo]").set_input_files(
        {"name": "canting.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}
    )
    start.get_by_role("button", name="Mulai dikerjakan").click()
    steps.assert_fits_width(page)

    # then the work is in progress and the down payment, less commission, is theirs at once
    expect(page.locator(".progress-photos img")).to_have_count(1)
    suborder.refresh_from_db()
    assert suborder.status == SubOrder.Status.IN_PROGRESS
    assert balance_of(shop) == 500_000 - 25_000
