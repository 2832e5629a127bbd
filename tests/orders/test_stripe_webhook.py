"""Stripe's webhook: verified, kept once per event id, safe in any order and any number of times."""

import time

import pytest

from notifications.models import Notification
from orders import placement
from orders.models import CardRefund, Order, Payment, PaymentMethod, StripeEvent, SubOrder
from orders.payments.common import mark_order_paid
from tests.factories import ADDRESS, make_product, make_user
from tests.orders.stripe_server import (  # noqa: F401 (fixtures)
    reset_language_fixture,
    signed,
    stripe_keys_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_keys")]

WEBHOOK = "/stripe/webhook/"


def _card_order(*products, intent_id: str = "pi_test_batik_1") -> Order:
    buyer = make_user(email="pembeli@example.com")
    order = placement.place_order(
        buyer=buyer,
        email=buyer.email,
        quantities={product.options.get().pk: 1 for product in products},
        address=ADDRESS,
        payment_method=PaymentMethod.CARD,
    )
    order.payments.update(provider_reference=intent_id)
    return order


def _intent_event(event_id: str, kind: str, order: Order, intent_id="pi_test_batik_1") -> dict:
    succeeded = kind == "payment_intent.succeeded"
    return {
        "id": event_id,
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "data": {
            "object": {
                "id": intent_id,
                "object": "payment_intent",
                "amount": order.total * 100,
                "currency": "idr",
                "status": "succeeded" if succeeded else "requires_payment_method",
                "metadata": {"order_id": str(order.pk), "order_reference": order.reference},
                "last_payment_error": None
                if succeeded
                else {"message": "Your card was declined.", "code": "card_declined"},
            }
        },
    }


def _deliver(client, event: dict, **signing):
    payload, header = signed(event, **signing)
    return client.post(
        WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def test_same_event_three_times_and_out_of_order_pays_and_routes_once(
    client, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    # given a card order for batik from two artisans, waiting for Stripe
    paku, sawit = make_product(motif="paku"), make_product(motif="sawit")
    order = _card_order(paku, sawit)
    succeeded = _intent_event("evt_ok_1", "payment_intent.succeeded", order)
    failed = _intent_event("evt_fail_1", "payment_intent.payment_failed", order)

    # when Stripe delivers: succeeded, then a stale failure, then succeeded again (a retry)
    outcomes = []
    for event in (succeeded, failed, succeeded):
        with django_capture_on_commit_callbacks(execute=True):
            response = _deliver(client, event)
        assert response.status_code == 200
        outcomes.append(response.json()["outcome"])

    # then the order is paid once and stays paid
    assert outcomes == ["paid", "ignored: already paid", "duplicate"]
    order.refresh_from_db()
    payment = order.payments.get()
    assert order.status == Order.Status.CONFIRMED and order.paid_at is not None
    assert payment.status == Payment.Status.PAID and payment.failure_message == ""
    assert StripeEvent.objects.count() == 2
    assert all(event.processed_at for event in StripeEvent.objects.all())
    # and it was routed once: one notification per artisan, one confirmation for the buyer
    # (after the one at placement), and an email each
    assert order.routed_at is not None
    assert Notification.objects.filter(recipient=paku.shop.owner).count() == 1
    assert Notification.objects.filter(recipient=sawit.shop.owner).count() == 1
    assert Notification.objects.filter(recipient=order.buyer, kind="order-confirmed").count() == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [paku.shop.owner.email, sawit.shop.owner.email, order.buyer.email, order.buyer.email]
    )


def test_a_duplicate_success_enqueues_no_second_routing(client, django_capture_on_commit_callbacks):
    order = _card_order(make_product())
    event = _intent_event("evt_ok_2", "payment_intent.succeeded", order)

    with django_capture_on_commit_callbacks(execute=False) as first:
        assert _deliver(client, event).status_code == 200
    with django_capture_on_commit_callbacks(execute=False) as second:
        assert _deliver(client, event).status_code == 200

    assert len(first) == 1  # the routing task, after commit
    assert second == []


def test_failure_is_recorded_and_the_order_stays_payable(client):
    # given a card order
    order = _card_order(make_product())

    # when the card is declined
    response = _deliver(client, _intent_event("evt_fail_2", "payment_intent.payment_failed", order))

    # then the failure is on the payment and the buyer may try again
    assert response.status_code == 200
    order.refresh_from_db()
    payment = order.payments.get()
    assert order.status == Order.Status.AWAITING_PAYMENT and order.paid_at is None
    assert payment.status == Payment.Status.FAILED
    assert payment.failure_message == "Your card was declined." and payment.failed_at
    client.force_login(order.buyer)
    detail = client.get(f"/en/pesanan/{order.reference}/")
    assert b"Your last card payment did not go through." in detail.content

    # and a later success (the buyer retried) pays it
    _deliver(client, _intent_event("evt_ok_3", "payment_intent.succeeded", order))
    order.refresh_from_db()
    assert order.paid_at is not None and order.payments.get().status == Payment.Status.PAID


def test_a_success_for_another_amount_does_not_pay(client):
    order = _card_order(make_product())
    event = _intent_event("evt_ok_4", "payment_intent.succeeded", order)
    event["data"]["object"]["amount"] = order.total  # rupiah sent as if it were hundredths

    response = _deliver(client, event)

    assert response.status_code == 200 and response.json()["outcome"] == "ignored: amount differs"
    order.refresh_from_db()
    assert order.paid_at is None


def test_unknown_types_are_kept_and_answered_200(client):
    event = {"id": "evt_other", "type": "customer.created", "data": {"object": {"id": "cus_1"}}}

    response = _deliver(client, event)

    assert response.status_code == 200
    assert StripeEvent.objects.get().outcome == "ignored: type"


@pytest.mark.parametrize("attack", ["unsigned", "tampered", "wrong_secret", "stale", "garbage"])
def test_bad_webhooks_are_refused_without_writing(client, attack):
    # given a card order waiting for payment
    order = _card_order(make_product())
    event = _intent_event("evt_attack", "payment_intent.succeeded", order)
    payload, header = signed(event)

    # when someone posts an event that is not Stripe's, or not fresh
    if attack == "unsigned":
        header = None
    elif attack == "tampered":
        payload = payload.replace('"idr"', '"usd"')
    elif attack == "wrong_secret":
        payload, header = signed(event, secret="whsec_someone_else")
    elif attack == "stale":
        payload, header = signed(event, timestamp=int(time.time()) - 301)
    elif attack == "garbage":
        payload = "not json"
        header = signed({"id": "x"})[1]
    extra = {"HTTP_STRIPE_SIGNATURE": header} if header else {}
    response = client.post(WEBHOOK, payload, content_type="application/json", **extra)

    # then 400, and nothing was written
    assert response.status_code == 400
    assert StripeEvent.objects.count() == 0
    order.refresh_from_db()
    assert order.paid_at is None and order.status == Order.Status.AWAITING_PAYMENT
    assert order.payments.get().status == Payment.Status.PENDING


def test_webhook_refuses_everything_without_a_configured_secret(client, settings):
    order = _card_order(make_product())
    settings.STRIPE_WEBHOOK_SECRET = ""

    response = _deliver(client, _intent_event("evt_x", "payment_intent.succeeded", order))

    assert response.status_code == 400 and StripeEvent.objects.count() == 0


def test_webhook_only_accepts_post(client):
    assert client.get(WEBHOOK).status_code == 405


def test_charge_refunded_event_records_the_refund_once(client):
    # given a paid card order for one artisan that the artisan declined (refund due)
    order = _card_order(make_product())
    payment = order.payments.get()
    mark_order_paid(order=order, payment=payment)
    suborder = order.suborders.get()
    SubOrder.objects.filter(pk=suborder.pk).update(is_refund_due=True)
    key = f"order-{order.pk}-refund-suborder-{suborder.pk}"
    CardRefund.objects.create(
        payment=payment, suborder=suborder, amount=suborder.total, idempotency_key=key
    )
    refund = {
        "id": "re_test_1",
        "object": "refund",
        "amount": suborder.total * 100,
        "status": "succeeded",
        "payment_intent": "pi_test_batik_1",
        "metadata": {"idempotency_key": key},
    }
    charge_refunded = {
        "id": "evt_refund_1",
        "type": "charge.refunded",
        "data": {
            "object": {
                "id": "ch_1",
                "object": "charge",
                "payment_intent": "pi_test_batik_1",
                "amount_refunded": suborder.total * 100,
                "refunds": {"object": "list", "data": [refund]},
            }
        },
    }
    refund_updated = {"id": "evt_refund_2", "type": "refund.updated", "data": {"object": refund}}

    # when Stripe reports it twice, under two event types, and the first again
    for event in (charge_refunded, refund_updated, charge_refunded):
        assert _deliver(client, event).status_code == 200

    # then one refund, matched to ours, and the money is recorded back
    card_refund = CardRefund.objects.get()
    assert card_refund.provider_reference == "re_test_1"
    assert card_refund.status == CardRefund.Status.SUCCEEDED
    payment.refresh_from_db()
    suborder.refresh_from_db()
    assert payment.refunded_amount == order.total and payment.status == Payment.Status.REFUNDED
    assert suborder.refunded_at is not None


def test_a_refund_made_in_the_dashboard_is_recorded(client):
    order = _card_order(make_product())
    payment = order.payments.get()
    mark_order_paid(order=order, payment=payment)
    refund = {
        "id": "re_dashboard",
        "object": "refund",
        "amount": 50_000 * 100,
        "status": "succeeded",
        "payment_intent": "pi_test_batik_1",
        "metadata": {},
    }

    _deliver(client, {"id": "evt_r", "type": "refund.created", "data": {"object": refund}})

    card_refund = CardRefund.objects.get()
    assert card_refund.suborder is None and card_refund.amount == 50_000
    payment.refresh_from_db()
    assert payment.refunded_amount == 50_000 and payment.status == Payment.Status.PAID
