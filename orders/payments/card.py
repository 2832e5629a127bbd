"""Card payments through Stripe: the order's PaymentIntent, Stripe's webhook events, and refunds.

Stripe is reached only through `stripe` (this room's door to the SDK). Every function here is
safe to call again with the same input: events are kept once per id, an order is paid once
(through `common.mark_order_paid`), and each refund carries our own idempotency key.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.enqueue import send_each

from ..locking import only_own_rows
from ..models import CardRefund, Order, Payment, PaymentMethod, StripeEvent, SubOrder
from . import stripe
from .common import mark_order_paid

METHOD = PaymentMethod.CARD

logger = logging.getLogger(__name__)

_REFUND_STATUSES = {
    "succeeded": CardRefund.Status.SUCCEEDED,
    "failed": CardRefund.Status.FAILED,
    "canceled": CardRefund.Status.CANCELED,
}


def card_payment_for(order: Order) -> Payment | None:
    """The order's card payment row, made at placement."""
    return order.payments.filter(method=METHOD).order_by("pk").first()


def start_card_payment(*, order: Order) -> stripe.Intent:
    """The PaymentIntent the buyer pays this order with: the one already made, or a new one."""
    if order.payment_method != METHOD:
        raise ValidationError(_("This order is not paid by card."), code="not_card")
    if order.status != Order.Status.AWAITING_PAYMENT or order.paid_at is not None:
        raise ValidationError(_("This order is not waiting for a payment."), code="not_due")
    payment = card_payment_for(order)
    if payment is None:
        raise ValidationError(_("This order is not paid by card."), code="no_payment")
    attempt = 1
    if payment.provider_reference:
        intent = stripe.retrieve_intent(payment.provider_reference)
        if intent.status != "canceled":
            return intent
        attempt = _attempt_of(payment.idempotency_key) + 1
    previous = payment.provider_reference
    key = stripe.intent_idempotency_key(order.pk, attempt)
    # Called outside a transaction: Stripe answers a repeated key with the same intent, so two
    # tabs opening the payment page at once end up with one intent, and no row is locked meanwhile.
    intent = stripe.create_intent(
        order_id=order.pk, reference=order.reference, amount=payment.amount, idempotency_key=key
    )
    saved = Payment.objects.filter(pk=payment.pk, provider_reference=previous).update(
        provider_reference=intent.id, idempotency_key=key, updated_at=timezone.now()
    )
    if not saved:  # Another request stored its intent first: use that one.
        payment.refresh_from_db(fields=["provider_reference"])
        return stripe.retrieve_intent(payment.provider_reference)
    return intent


def _attempt_of(key: str) -> int:
    tail = key.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 1


def sync_card_payment(*, order: Order) -> str:
    """Ask Stripe how the order's intent stands (the buyer came back before the webhook did).

    Goes through the same idempotent paths as the webhook; returns the intent's status.
    """
    payment = card_payment_for(order)
    if payment is None or not payment.provider_reference:
        return ""
    intent = stripe.retrieve_intent(payment.provider_reference)
    if intent.status == "succeeded":
        _apply_succeeded(intent)
    elif intent.failure_message:
        _apply_failed(intent)
    return intent.status


def cancel_unwanted_intent(*, payment_id: int) -> str:
    """Cancel at Stripe the intent of a card payment its order no longer wants; once.

    The order expired unpaid, or all of it was cancelled: a payment page left open must not
    charge the buyer. If the buyer paid just before, Stripe refuses the cancel and the payment
    goes the way of any late payment (recorded, then refunded). Raises PaymentError while Stripe
    cannot be reached or the intent is still moving (the task retries).
    """
    payment = Payment.objects.filter(method=METHOD).open_at_provider().filter(pk=payment_id).first()
    if payment is None:
        return "nothing to cancel"
    intent_id = payment.provider_reference
    try:
        intent = stripe.cancel_intent(
            intent_id, idempotency_key=stripe.cancel_idempotency_key(payment.order_id, intent_id)
        )
    except stripe.PaymentError:
        intent = stripe.retrieve_intent(intent_id)  # Paid, or cancelled, before we asked?
    if intent.status == "succeeded":
        return _apply_succeeded(intent)
    if intent.status != "canceled":
        raise stripe.PaymentError(f"PaymentIntent {intent_id} is {intent.status}.")
    Payment.objects.filter(pk=payment.pk, intent_cancelled_at__isnull=True).update(
        intent_cancelled_at=timezone.now()
    )
    return "canceled"


def cancel_unwanted_intents() -> int:
    """Enqueue the cancel of every intent still open for a closed order; return how many.

    Only for payments closed in the last week: one Stripe keeps refusing is not retried forever.
    """
    since = timezone.now() - timedelta(days=7)
    due = list(
        Payment.objects.filter(method=METHOD)
        .open_at_provider()
        .filter(updated_at__gte=since)
        .values_list("pk", flat=True)
    )
    from ..tasks import close_payment_request_task

    send_each(close_payment_request_task, due)
    return len(due)


# --- Webhook events ----------------------------------------------------------------------------


def handle_stripe_event(*, event: dict) -> str:
    """Keep a verified event once and act on it; a redelivered event id changes nothing.

    Returns what was done, e.g. "paid", "already paid", "duplicate", "ignored: ...".
    """
    event_id, event_type = str(event["id"]), str(event["type"])
    with transaction.atomic():
        try:
            with transaction.atomic():
                StripeEvent.objects.create(event_id=event_id, type=event_type, payload=event)
        except IntegrityError:
            pass  # Delivered before (or right now by a parallel request): the lock below decides.
        record = StripeEvent.objects.select_for_update().get(event_id=event_id)
        if record.processed_at is not None:
            return "duplicate"
        handler = EVENT_HANDLERS.get(event_type)
        outcome = handler(stripe.event_object(event)) if handler else "ignored: type"
        record.processed_at = timezone.now()
        record.outcome = outcome[:255]
        record.save(update_fields=["processed_at", "outcome"])
    return outcome


def _payment_for_intent(intent: stripe.Intent) -> Payment | None:
    payment = (
        Payment.objects.select_related("order")
        .filter(method=METHOD, provider_reference=intent.id)
        .first()
    )
    if payment is None and intent.order_id:
        # The intent was made but saving its id was lost: the order id in its metadata finds it.
        payment = (
            Payment.objects.select_related("order")
            .filter(method=METHOD, order_id=intent.order_id, provider_reference="")
            .first()
        )
        if payment is not None:
            Payment.objects.filter(pk=payment.pk, provider_reference="").update(
                provider_reference=intent.id
            )
            payment.provider_reference = intent.id
    return payment


def _apply_succeeded(intent: stripe.Intent) -> str:
    payment = _payment_for_intent(intent)
    if payment is None:
        logger.warning("Stripe says %s succeeded but no card payment has it.", intent.id)
        return "ignored: unknown payment intent"
    if intent.status != "succeeded":
        return "ignored: intent not succeeded"
    if intent.currency != stripe.CURRENCY or intent.amount != payment.amount:
        logger.error(
            "PaymentIntent %s paid %s %s, but order %s costs Rp %s: not marked paid.",
            intent.id, intent.amount, intent.currency, payment.order.reference, payment.amount,
        )  # fmt: skip
        return "ignored: amount differs"
    if payment.order.paid_at is not None and payment.status != Payment.Status.PENDING:
        return "already paid"  # Also keeps a refunded payment from turning "paid" again.
    paid_now = mark_order_paid(order=payment.order, payment=payment)
    return "paid" if paid_now else "already paid"


def _apply_failed(intent: stripe.Intent) -> str:
    payment = _payment_for_intent(intent)
    if payment is None:
        return "ignored: unknown payment intent"
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status in (Payment.Status.PAID, Payment.Status.REFUNDED):
            return "ignored: already paid"  # A late failure never un-pays an order.
        payment.status = Payment.Status.FAILED
        payment.failure_message = intent.failure_message or str(_("The card was declined."))
        payment.failed_at = timezone.now()
        payment.save(update_fields=["status", "failure_message", "failed_at", "updated_at"])
    return "failure recorded"


def _on_intent_succeeded(obj: dict) -> str:
    return _apply_succeeded(stripe.intent_from_event_object(obj))


def _on_intent_failed(obj: dict) -> str:
    return _apply_failed(stripe.intent_from_event_object(obj))


def _on_refund(obj: dict) -> str:
    recorded = [record_card_refund(refund=r) for r in stripe.refunds_from_event_object(obj)]
    return f"refunds recorded: {sum(1 for r in recorded if r is not None)}"


EVENT_HANDLERS: dict[str, Callable[[dict], str]] = {
    "payment_intent.succeeded": _on_intent_succeeded,
    "payment_intent.payment_failed": _on_intent_failed,
    "charge.refunded": _on_refund,
    "charge.refund.updated": _on_refund,
    "refund.created": _on_refund,
    "refund.updated": _on_refund,
}


# --- Refunds -----------------------------------------------------------------------------------


def record_card_refund(*, refund: stripe.Refund) -> CardRefund | None:
    """Record a refund Stripe told us about (ours or one made in its dashboard), once per id."""
    payment = Payment.objects.filter(
        method=METHOD, provider_reference=refund.payment_intent_id
    ).first()
    if payment is None or not refund.payment_intent_id:
        logger.warning("Refund %s is for no known card payment.", refund.id)
        return None
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        match = Q(provider_reference=refund.id)
        if refund.idempotency_key:
            match |= Q(idempotency_key=refund.idempotency_key)
        card_refund = CardRefund.objects.select_for_update().filter(match).first()
        if card_refund is None:
            card_refund = CardRefund(payment=payment, amount=refund.amount)
        card_refund.provider_reference = refund.id
        card_refund.status = _REFUND_STATUSES.get(refund.status, CardRefund.Status.PENDING)
        card_refund.save()
        _settle_refunds(payment, card_refund)
    return card_refund


def _settle_refunds(payment: Payment, card_refund: CardRefund) -> None:
    """Bring the payment's refunded total and the sub-order's refund date up to date."""
    refunded = (
        payment.card_refunds.filter(status=CardRefund.Status.SUCCEEDED).aggregate(
            total=Sum("amount")
        )["total"]
        or 0
    )
    payment.refunded_amount = min(refunded, payment.amount)
    if refunded >= payment.amount and payment.status == Payment.Status.PAID:
        payment.status = Payment.Status.REFUNDED
    payment.save(update_fields=["refunded_amount", "status", "updated_at"])
    if card_refund.suborder_id and card_refund.status == CardRefund.Status.SUCCEEDED:
        SubOrder.objects.filter(pk=card_refund.suborder_id, refunded_at__isnull=True).update(
            refunded_at=timezone.now()
        )


def refund_card_payment(*, suborder: SubOrder) -> CardRefund | None:
    """Send a paid card sub-order's money back, exactly once; None when nothing is due.

    The sub-order and payment rows stay locked during the call to Stripe, so a second run of the
    task waits and then finds the refund recorded; our idempotency key covers a crash between
    Stripe's answer and our commit.
    """
    with transaction.atomic():
        suborder = (
            SubOrder.objects.select_for_update(of=only_own_rows())
            .select_related("order")
            .get(pk=suborder.pk)
        )
        order = suborder.order
        if not suborder.is_refund_due or order.payment_method != METHOD or order.paid_at is None:
            return None
        payment = (
            Payment.objects.select_for_update()
            .filter(order=order, method=METHOD)
            .filter(status__in=[Payment.Status.PAID, Payment.Status.REFUNDED])
            .exclude(provider_reference="")
            .first()
        )
        if payment is None:
            return None
        key = stripe.refund_idempotency_key(order.pk, suborder.pk)
        card_refund, _created = CardRefund.objects.get_or_create(
            idempotency_key=key,
            defaults={
                "payment": payment,
                "suborder": suborder,
                "amount": suborder.refund_due_amount,
            },
        )
        if card_refund.provider_reference:
            return card_refund  # Sent before; the second run of a task stops here.
        result = stripe.refund(
            intent_id=payment.provider_reference,
            amount=card_refund.amount,
            idempotency_key=key,
            metadata={"order_id": str(order.pk), "suborder_id": str(suborder.pk)},
        )
        card_refund.provider_reference = result.id
        card_refund.status = _REFUND_STATUSES.get(result.status, CardRefund.Status.PENDING)
        card_refund.save(update_fields=["provider_reference", "status", "updated_at"])
        _settle_refunds(payment, card_refund)
    return card_refund


def close_request(*, payment_id: int) -> str:
    """The common shape's name for `cancel_unwanted_intent`."""
    return cancel_unwanted_intent(payment_id=payment_id)


def refund_suborder(*, suborder: SubOrder) -> str:
    """The common shape's name for `refund_card_payment`: the Stripe refund's id, or ""."""
    card_refund = refund_card_payment(suborder=suborder)
    return card_refund.provider_reference if card_refund is not None else ""


def refund_due_suborders() -> int:
    """Enqueue refunds for paid card sub-orders due one that was never sent; return how many."""
    due = list(
        SubOrder.objects.filter(
            is_refund_due=True,
            refunded_at__isnull=True,
            order__payment_method=METHOD,
            order__paid_at__isnull=False,
        )
        .exclude(card_refunds__provider_reference__gt="")
        .values_list("pk", flat=True)
    )
    from ..tasks import refund_suborder_task

    send_each(refund_suborder_task, due)
    return len(due)
