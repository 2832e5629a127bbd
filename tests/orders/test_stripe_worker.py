"""The whole card path: checkout, Stripe confirms, its webhook pays the order, a real worker routes."""

import pytest
from django.test import Client
from django.urls import reverse

from notifications.models import Notification
from orders.models import Order, Payment, StripeEvent
from tests.conftest import wait_for
from tests.factories import make_product, make_user
from tests.orders.conftest import address_post
from tests.orders.stripe_server import (  # noqa: F401 (fixtures)
    fake_stripe_fixture,
    localstripe_server_fixture,
    reset_language_fixture,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_card_payment_is_confirmed_by_the_webhook_and_routed_once(
    fake_stripe, live_server, celery_worker
):
    # given Stripe posts its events to this site, and a buyer with batik from two artisans
    fake_stripe.register_webhook(f"{live_server.url}/stripe/webhook/")
    paku, sawit = make_product(motif="paku"), make_product(motif="sawit")
    buyer = make_user(email="pembeli@example.com")
    shopper = Client()
    shopper.force_login(buyer)
    for product in (paku, sawit):
        shopper.post(
            reverse("orders:cart-add"), {"option": product.options.get().pk, "quantity": 1}
        )

    # when they check out by card, open the payment page and pay with a Visa card
    response = shopper.post("/en/pesanan/checkout/", {"payment_method": "card", **address_post()})
    assert response.status_code == 302 and response["Location"].endswith("/bayar/")
    assert shopper.get(response["Location"]).status_code == 200
    order = Order.objects.get(buyer=buyer)
    intent_id = order.payments.get().provider_reference
    assert fake_stripe.pay_intent_with(intent_id, "pm_card_visa").status == "succeeded"
    # (until the webhook arrives the order is not paid)
    assert Order.objects.get(pk=order.pk).paid_at is None

    # then Stripe's signed webhook pays the order, and the worker routes it
    wait_for(
        lambda: Order.objects.filter(pk=order.pk, routed_at__isnull=False).exists(), timeout=30
    )
    order.refresh_from_db()
    assert order.status == Order.Status.CONFIRMED and order.paid_at is not None
    assert order.payments.get().status == Payment.Status.PAID
    event = StripeEvent.objects.get(type="payment_intent.succeeded")
    assert event.processed_at is not None and event.outcome == "paid"
    # once: one notification per artisan and one for the buyer
    for artisan in (paku.shop.owner, sawit.shop.owner):
        assert Notification.objects.filter(recipient=artisan).count() == 1
    assert Notification.objects.filter(recipient=buyer, kind="order-confirmed").count() == 1
