"""Card payments against a local fake Stripe: intents, the payment page, declines and refunds."""

from datetime import timedelta

import pytest
import stripe
from django.urls import reverse
from django.utils import timezone

from marketplace.celery import app as celery_app
from orders import lifecycle, placement, routing
from orders.models import CardRefund, Order, Payment, PaymentMethod, SubOrder
from orders.payments import card
from orders.payments import stripe as stripe_door
from orders.tasks import refund_suborder_task
from tests.conftest import wait_for
from tests.factories import ADDRESS, make_product, make_user
from tests.orders.conftest import address_post
from tests.orders.stripe_server import (  # noqa: F401 (fixtures)
    PUBLISHABLE_KEY,
    fake_stripe_fixture,
    localstripe_server_fixture,
    reset_language_fixture,
)

pytestmark = pytest.mark.django_db


def _card_order(*products, buyer=None, pickup: bool = True) -> Order:
    """A card order; with pickup there is no shipping, so the total is the batik's price."""
    buyer = buyer or make_user()
    return placement.place_order(
        buyer=buyer,
        email=buyer.email,
        quantities={product.options.get().pk: 1 for product in products},
        address=ADDRESS,
        payment_method=PaymentMethod.CARD,
        pickup_shop_ids={product.shop_id for product in products} if pickup else set(),
    )


@pytest.mark.parametrize(
    ("rupiah", "stripe_amount"), [(350_000, 35_000_000), (1_250_000, 125_000_000), (1, 100)]
)
def test_rupiah_become_stripe_hundredths_and_back(rupiah, stripe_amount):
    assert stripe_door.to_stripe_amount(rupiah) == stripe_amount
    assert stripe_door.from_stripe_amount(stripe_amount) == rupiah


def test_a_float_is_never_an_amount():
    with pytest.raises(TypeError):
        stripe_door.to_stripe_amount(350_000.0)


def test_idempotency_keys_are_ours_per_order_and_operation():
    assert stripe_door.intent_idempotency_key(7) == "order-7-create-intent"
    assert stripe_door.intent_idempotency_key(7, 2) == "order-7-create-intent-2"
    assert stripe_door.refund_idempotency_key(7, 12) == "order-7-refund-suborder-12"
    assert stripe_door.refund_idempotency_key(7, None) == "order-7-refund-full"


@pytest.mark.parametrize("price", [350_000, 1_250_000])
def test_intent_is_made_once_per_order_in_idr_hundredths(fake_stripe, price):
    # given a card order of Rp 350.000 (or Rp 1.250.000)
    order = _card_order(make_product(price=price))
    assert order.total == price

    # when the payment page asks for the intent twice
    first = card.start_card_payment(order=order)
    second = card.start_card_payment(order=order)

    # then Stripe holds one intent in hundredths of a rupiah, tagged with the order
    assert first.id == second.id and first.client_secret
    remote = fake_stripe.client.v1.payment_intents.retrieve(first.id)
    assert remote.amount == price * 100 and remote.currency == "idr"
    assert remote.metadata["order_id"] == str(order.pk)
    assert remote.metadata["order_reference"] == order.reference
    payment = order.payments.get()
    assert payment.provider_reference == first.id
    assert payment.idempotency_key == f"order-{order.pk}-create-intent"
    assert first.amount == price  # and back in rupiah


def test_card_is_offered_at_checkout_only_when_stripe_is_configured(client, settings):
    product = make_product()
    client.post(reverse("orders:cart-add"), {"option": product.options.get().pk, "quantity": 1})

    settings.STRIPE_SECRET_KEY = ""
    assert b'value="card"' not in client.get("/en/pesanan/checkout/").content
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    assert b'value="card"' in client.get("/en/pesanan/checkout/").content


def test_card_checkout_lands_on_the_payment_page(
    client, fake_stripe, django_assert_max_num_queries
):
    # given a signed-in buyer with a Rp 350.000 batik, picked up at the workshop
    buyer = make_user()
    product = make_product(price=350_000)
    client.force_login(buyer)
    client.post(reverse("orders:cart-add"), {"option": product.options.get().pk, "quantity": 1})

    # when they check out by card
    response = client.post(
        "/en/pesanan/checkout/",
        {"payment_method": "card", "pickup_shops": [product.shop_id], **address_post()},
    )

    # then they land on the payment page with Stripe.js, the card form and the amount in rupiah
    order = Order.objects.get(buyer=buyer)
    assert response.status_code == 302
    assert response["Location"] == f"/en/pesanan/{order.reference}/bayar/"
    with django_assert_max_num_queries(25):
        page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Rp 350.000" in html
    assert f'src="{fake_stripe.url}/js.stripe.com/v3/"' in html
    assert "js/stripe-checkout.js" in html
    intent_id = order.payments.get().provider_reference
    assert f'data-client-secret="{intent_id}_secret_' in html
    assert f'data-publishable-key="{PUBLISHABLE_KEY}"' in html
    assert page["Cache-Control"].startswith("max-age=0")
    assert order.status == Order.Status.AWAITING_PAYMENT


def test_another_buyer_cannot_open_the_payment_page(client, fake_stripe):
    order = _card_order(make_product())
    client.force_login(make_user())

    assert client.get(f"/en/pesanan/{order.reference}/bayar/").status_code == 404
    assert order.payments.get().provider_reference == ""  # and no intent was made for them


def test_guest_pays_through_the_signed_link(client, fake_stripe):
    product = make_product()
    client.post(reverse("orders:cart-add"), {"option": product.options.get().pk, "quantity": 1})

    response = client.post(
        "/en/pesanan/checkout/",
        {"email": "tamu@example.com", "payment_method": "card", **address_post()},
    )

    assert response.status_code == 302 and "/pesanan/lacak/" in response["Location"]
    assert response["Location"].endswith("/bayar/")
    assert client.get(response["Location"]).status_code == 200


def test_returning_after_paying_confirms_through_the_same_service(
    client, fake_stripe, django_capture_on_commit_callbacks
):
    # given a buyer on the payment page who paid with a Visa card, and no webhook arrived
    order = _card_order(make_product())
    client.force_login(order.buyer)
    client.get(f"/en/pesanan/{order.reference}/bayar/")
    intent_id = order.payments.get().provider_reference
    assert fake_stripe.pay_intent_with(intent_id, "pm_card_visa").status == "succeeded"

    # when the page brings them back
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(f"/en/pesanan/{order.reference}/bayar/?returned=1")

    # then the order is paid and routing is enqueued once
    assert response.status_code == 302 and response["Location"] == f"/en/pesanan/{order.reference}/"
    order.refresh_from_db()
    assert order.paid_at is not None and order.status == Order.Status.CONFIRMED
    assert len(callbacks) == 1
    # and coming back again changes nothing
    with django_capture_on_commit_callbacks(execute=False) as again:
        client.get(f"/en/pesanan/{order.reference}/bayar/?returned=1")
    assert again == []


@pytest.mark.django_db(transaction=True)
def test_declined_card_leaves_the_order_unpaid_with_the_failure_recorded(
    client, fake_stripe, live_server
):
    # given Stripe sends its events to this site
    fake_stripe.register_webhook(f"{live_server.url}/stripe/webhook/")
    order = _card_order(make_product())
    intent = card.start_card_payment(order=order)

    # when the buyer's card is declined
    result = fake_stripe.pay_intent_with(intent.id, "pm_card_chargeCustomerFail")
    assert result.status == "requires_payment_method"

    # then the webhook records the failure and the order can still be paid
    payment = wait_for(
        lambda: Payment.objects.filter(pk=order.payments.get().pk, status="failed").first(),
        timeout=15,
    )
    assert payment.failure_message and payment.failed_at
    order.refresh_from_db()
    assert order.paid_at is None and order.status == Order.Status.AWAITING_PAYMENT
    client.force_login(order.buyer)
    page = client.get(f"/en/pesanan/{order.reference}/bayar/")
    assert page.status_code == 200 and b'data-testid="card-failure"' in page.content
    assert card.start_card_payment(order=order).id == intent.id  # the retry reuses it


def _paid_card_order(fake_stripe, *products) -> Order:
    order = _card_order(*products)
    intent = card.start_card_payment(order=order)
    assert fake_stripe.pay_intent_with(intent.id, "pm_card_visa").status == "succeeded"
    assert card.sync_card_payment(order=order) == "succeeded"
    order.refresh_from_db()
    assert routing.route_order(order=order)
    return order


def test_a_declined_sub_order_is_refunded_once_even_when_the_task_runs_twice(
    fake_stripe, eager_tasks, django_capture_on_commit_callbacks
):
    # given a paid card order from two artisans
    paku, sawit = make_product(price=350_000), make_product(price=1_250_000, motif="sawit")
    order = _paid_card_order(fake_stripe, paku, sawit)
    payment = order.payments.get()
    declined = order.suborders.get(shop=sawit.shop)

    # when the sawit artisan declines (the refund task runs after commit) and the task runs again
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.transition_suborder(
            suborder=declined, to=SubOrder.Status.DECLINED, by=sawit.shop.owner, reason="Kain habis"
        )
    refund_suborder_task(declined.pk)
    refund_suborder_task.apply(args=(declined.pk,))

    # then Stripe refunded Rp 1.250.000 once, under our own key, and we recorded it once
    refunds = fake_stripe.refunds_for(payment.provider_reference)
    assert [r.amount for r in refunds] == [125_000_000]
    card_refund = CardRefund.objects.get()
    assert card_refund.idempotency_key == f"order-{order.pk}-refund-suborder-{declined.pk}"
    assert refunds[0].metadata["idempotency_key"] == card_refund.idempotency_key
    assert card_refund.provider_reference == refunds[0].id
    assert card_refund.status == CardRefund.Status.SUCCEEDED
    declined.refresh_from_db()
    payment.refresh_from_db()
    assert declined.refunded_at is not None
    assert payment.refunded_amount == 1_250_000 and payment.status == Payment.Status.PAID
    # and the other artisan's part is untouched
    assert order.suborders.get(shop=paku.shop).refunded_at is None


def test_refunding_every_part_refunds_the_whole_payment(fake_stripe):
    product = make_product(price=350_000)
    order = _paid_card_order(fake_stripe, product)
    suborder = order.suborders.get()
    lifecycle.transition_suborder(
        suborder=suborder, to=SubOrder.Status.DECLINED, by=product.shop.owner, reason="Rusak"
    )

    refund_suborder_task(suborder.pk)

    payment = order.payments.get()
    assert payment.status == Payment.Status.REFUNDED and payment.refunded_amount == 350_000


def test_the_sweep_sends_a_refund_whose_message_was_lost(fake_stripe, eager_tasks):
    product = make_product()
    order = _paid_card_order(fake_stripe, product)
    suborder = order.suborders.get()
    # the decline committed but its task message never reached a worker
    lifecycle.transition_suborder(
        suborder=suborder, to=SubOrder.Status.DECLINED, by=product.shop.owner, reason="Habis"
    )
    assert not CardRefund.objects.exists()

    assert card.refund_due_suborders() == 1
    assert card.refund_due_suborders() == 0
    assert len(fake_stripe.refunds_for(order.payments.get().provider_reference)) == 1


def test_no_refund_for_an_unpaid_or_transfer_order(fake_stripe):
    order = placement.place_order(
        buyer=None,
        email="tamu@example.com",
        quantities={make_product().options.get().pk: 1},
        address=ADDRESS,
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
    suborder = order.suborders.get()
    SubOrder.objects.filter(pk=suborder.pk).update(is_refund_due=True)

    assert refund_suborder_task(suborder.pk) == ""
    assert not CardRefund.objects.exists()


def _expire(order: Order) -> None:
    Order.objects.filter(pk=order.pk).update(payment_due_at=timezone.now() - timedelta(minutes=1))
    assert lifecycle.expire_unpaid_orders() == 1


def _cancel_by_buyer(order: Order) -> None:
    lifecycle.transition_suborder(
        suborder=order.suborders.get(), to=SubOrder.Status.CANCELLED, by=order.buyer
    )


@pytest.mark.parametrize("close", [_expire, _cancel_by_buyer], ids=["expired", "cancelled"])
def test_closing_an_unpaid_card_order_cancels_its_intent(
    fake_stripe, eager_tasks, django_capture_on_commit_callbacks, close
):
    # given a card order whose payment page was opened, then left in a tab
    order = _card_order(make_product())
    intent = card.start_card_payment(order=order)

    # when the order expires unpaid (or the buyer cancels it)
    with django_capture_on_commit_callbacks(execute=True):
        close(order)

    # then Stripe holds the intent cancelled, and the tab left open can no longer charge the card
    assert fake_stripe.client.v1.payment_intents.retrieve(intent.id).status == "canceled"
    payment = order.payments.get()
    assert payment.status == Payment.Status.CANCELLED and payment.intent_cancelled_at
    with pytest.raises(stripe.StripeError):
        fake_stripe.pay_intent_with(intent.id, "pm_card_visa")
    assert card.cancel_unwanted_intent(payment_id=payment.pk) == "nothing to cancel"


def test_a_card_paid_just_before_expiry_is_recorded_and_refunded_once(
    fake_stripe, eager_tasks, django_capture_on_commit_callbacks
):
    # given a buyer who paid a moment before the order expired, the webhook not yet arrived
    order = _card_order(make_product(price=350_000))
    intent = card.start_card_payment(order=order)
    assert fake_stripe.pay_intent_with(intent.id, "pm_card_visa").status == "succeeded"

    # when the order expires and its intent is to be cancelled
    with django_capture_on_commit_callbacks(execute=True):
        _expire(order)

    # then Stripe refused the cancel: the money is recorded as a late payment and sent back once
    assert [refund.amount for refund in fake_stripe.refunds_for(intent.id)] == [35_000_000]
    payment = order.payments.get()
    assert payment.status == Payment.Status.REFUNDED and payment.refunded_amount == 350_000
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED and order.paid_at is not None
    assert card.cancel_unwanted_intents() == 0


def test_the_sweep_cancels_an_intent_whose_message_was_lost(fake_stripe, eager_tasks):
    order = _card_order(make_product())
    intent = card.start_card_payment(order=order)
    _expire(order)  # committed, but its task message never reached a worker
    assert fake_stripe.client.v1.payment_intents.retrieve(intent.id).status != "canceled"

    assert card.cancel_unwanted_intents() == 1
    assert fake_stripe.client.v1.payment_intents.retrieve(intent.id).status == "canceled"
    assert card.cancel_unwanted_intents() == 0


def test_the_worker_sweeps_unwanted_intents_every_quarter_hour(settings):
    [entry] = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "orders.tasks.cancel_unwanted_intents_task"
    ]
    assert entry["schedule"].total_seconds() == 15 * 60
    assert "orders.tasks.close_payment_request_task" in celery_app.tasks


def test_an_unpaid_order_closed_before_the_page_was_opened_needs_no_cancel(fake_stripe):
    order = _card_order(make_product())
    _expire(order)
    assert card.cancel_unwanted_intents() == 0
