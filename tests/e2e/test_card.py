"""A guest pays by card in the browser, with Stripe.js under the site's Content-Security-Policy.

Stripe.js here is localstripe's stand-in, served from the fake server's own address, which the
policy allows the way a deployment's Stripe settings would (marketplace/csp.py).
"""

import pytest
from playwright.sync_api import expect

from orders import placement
from orders.models import Order, Payment, PaymentMethod
from orders.notices import tracking_token
from tests.e2e.conftest import PHONE
from tests.factories import ADDRESS, make_product
from tests.orders.stripe_server import (  # noqa: F401 (fixtures)
    fake_stripe_fixture,
    localstripe_server_fixture,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_guest_pays_by_card_and_the_order_is_paid(open_browser, fake_stripe):
    order = placement.place_order(
        buyer=None,
        email="tamu@example.com",
        quantities={make_product(title="Kain Batik Tulis Wakaroros").options.get().pk: 1},
        address=dict(ADDRESS),
        payment_method=PaymentMethod.CARD,
    )
    page = open_browser(PHONE)
    response = page.goto(f"/pesanan/lacak/{tracking_token(order)}/bayar/")
    assert "script-src 'self'" in response.headers["content-security-policy"]

    # localstripe's Stripe.js cannot attach the typed card to the payment, so the test does that
    # part (a card that needs 3-D Secure); the browser's Stripe.js then authenticates and pays.
    intent_id = Payment.objects.get(order=order).provider_reference
    card_3ds = fake_stripe.client.v1.payment_methods.create(
        {"type": "card", "card": {"number": "4000002760003184", "exp_month": 12,
                                  "exp_year": 2034, "cvc": "123"}}
    )  # fmt: skip
    fake_stripe.client.v1.payment_intents.update(intent_id, {"payment_method": card_3ds.id})
    assert fake_stripe.client.v1.payment_intents.confirm(intent_id).status == "requires_action"

    card = page.locator("#card-element")
    for field, value in [
        ("number", "4242424242424242"),
        ("exp_month", "12"),
        ("exp_year", "34"),
        ("cvc", "123"),
        ("postal_code", "75683"),
    ]:
        card.locator(f"input[placeholder={field}]").fill(value)
    page.locator("#card-payment button[type=submit]").click()
    # the bank's 3-D Secure step, as localstripe's Stripe.js shows it
    page.get_by_role("button", name="Complete authentication").click()

    expect(page.locator("#card-done")).to_be_visible()
    page.wait_for_url("**/lacak/**")
    expect(page.locator("[data-testid=order-status]")).not_to_have_text("Menunggu pembayaran")
    order.refresh_from_db()
    assert order.paid_at is not None and order.status == Order.Status.CONFIRMED
