"""A maker on a phone gets a new order on WhatsApp (the local fake's page) and accepts it in one tap."""

import pytest
from playwright.sync_api import expect

from notifications.services import send_pending_whatsapp
from orders import routing
from orders.models import SubOrder
from tests.e2e import steps
from tests.e2e.conftest import PHONE
from tests.notifications.test_whatsapp import two_maker_order
from tests.notifications.whatsapp_server import (  # noqa: F401 (fixtures)
    fake_whatsapp_fixture,
    whatsapp_server_fixture,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_a_maker_accepts_a_new_order_from_the_whatsapp_message(
    open_browser, viewport, fake_whatsapp, live_server, settings, browser_errors
):
    # given a new order from two makers, routed, its WhatsApp messages sent to the fake
    settings.SITE_URL = live_server.url
    order, paku, _sawit = two_maker_order()
    routing.route_order(order=order)
    assert send_pending_whatsapp() == 2

    # when the first maker reads their message on the phone and taps its link
    page = open_browser(viewport)
    page.goto(fake_whatsapp.url + "/")
    expect(page).to_have_title("Pesan WhatsApp (demo)")
    message = page.get_by_test_id("message").filter(has_text="+6281311110001")
    expect(message).to_contain_text("pesanan_baru")
    expect(message).to_contain_text(order.reference)
    message.get_by_role("link").click()

    # then the order opens without a password, and one tap accepts it
    expect(page.get_by_role("heading", level=1)).to_contain_text(order.reference)
    steps.assert_fits_width(page)
    page.get_by_role("button", name="Terima pesanan").click()
    expect(page.get_by_test_id("one-tap-done")).to_contain_text("Pesanan diterima")
    suborder = SubOrder.objects.get(shop=paku)
    assert suborder.status == SubOrder.Status.ACCEPTED

    # and the same link, opened again, can no longer be used (410 Gone, expected here)
    page.go_back()
    page.reload()
    expect(page.get_by_test_id("one-tap-unusable")).to_contain_text("tidak dapat digunakan")
    expect(page.get_by_role("main").get_by_role("link", name="Masuk")).to_be_visible()
    browser_errors.messages[:] = [m for m in browser_errors.messages if "(Gone)" not in m]
