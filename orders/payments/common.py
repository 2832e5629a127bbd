"""What every payment provider shares: one path to paid, closing open requests, refunds due.

The rest of `orders` calls these, never a provider module's internals; a provider module calls
`mark_order_paid` when its money arrives.
"""

from datetime import datetime
from typing import Protocol

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.enqueue import send_after_commit

from ..down_payments import paid_for
from ..models import Order, Payment, PaymentMethod, SubOrder
from ..routing import enqueue_routing

# The methods whose payment requests live at an outside provider (a card's PaymentIntent):
# closing or refunding one takes a call to the provider, which the worker makes after commit.
PROVIDER_METHODS = frozenset({PaymentMethod.CARD, PaymentMethod.MIDTRANS})


class PaymentProvider(Protocol):
    """The shape every provider module (`card`, `transfer`) follows; each call is safe to repeat.

    A module's own flows for the buyer (start a payment, upload a proof) and for the provider's
    callbacks (a webhook) end in `mark_order_paid`; the worker's jobs call these two.
    """

    def close_request(self, *, payment_id: int) -> str:
        """Withdraw a payment request its order no longer wants; say what was done."""
        ...

    def refund_suborder(self, *, suborder: SubOrder) -> str:
        """Send a paid sub-order's money back; the provider's refund id, or "" when none is sent."""
        ...


def payment_is_due(order: Order, payment: Payment) -> bool:
    """The request is asked now: the order's at checkout, a ready piece's rest, or an invoiced
    order's down payment or invoice (its order confirmed before it is paid)."""
    if payment.purpose == Payment.Purpose.BALANCE:
        return payment.suborder.status == SubOrder.Status.READY
    if order.is_invoiced_after_handover:
        return order.status == Order.Status.CONFIRMED and payment.status not in (
            Payment.Status.PAID,
            Payment.Status.CANCELLED,
        )
    return order.status == Order.Status.AWAITING_PAYMENT


def mark_order_paid(*, order: Order, payment: Payment, by=None) -> bool:
    """Record the payment as received and route the order; False when it was already paid.

    An invoiced order (routed at acceptance) is marked paid by its first payment received; its
    invoice after the handover is then recorded like any other.

    Called by the admin for bank transfers and by a provider's callback, any number of times:
    only the first call changes anything.
    """
    if payment.purpose == Payment.Purpose.BALANCE:
        return _mark_balance_paid(payment=payment, by=by)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        payment = Payment.objects.select_for_update().get(pk=payment.pk, order=order)
        now = timezone.now()
        is_new = payment.status != Payment.Status.PAID
        if is_new:
            payment.status = Payment.Status.PAID
            payment.paid_at = now
            payment.confirmed_by = by
            payment.save(update_fields=["status", "paid_at", "confirmed_by", "updated_at"])
        if order.paid_at is not None:
            # Paid before: this is a later request of an invoiced order, or a repeat.
            return is_new
        order.paid_at = now
        if order.status == Order.Status.AWAITING_PAYMENT:
            order.status = Order.Status.CONFIRMED
            order.confirmed_at = now
            order.save(update_fields=["paid_at", "status", "confirmed_at"])
            enqueue_routing(order.pk)
            return True
        order.save(update_fields=["paid_at"])
        if order.status in (Order.Status.EXPIRED, Order.Status.CANCELLED):
            # Money arrived for an order whose stock was already given back: refund it.
            for suborder in order.suborders.all():
                request_refund(suborder=suborder, method=payment.method, amount=paid_for(suborder))
        return True


def _mark_balance_paid(*, payment: Payment, by) -> bool:
    """The rest of a ready piece's price arrived: the maker may ship it. Once only."""
    from .. import notices

    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status == Payment.Status.PAID:
            return False
        payment.status = Payment.Status.PAID
        payment.paid_at = timezone.now()
        payment.confirmed_by = by
        payment.save(update_fields=["status", "paid_at", "confirmed_by", "updated_at"])
        suborder = payment.suborder
        if suborder.status in (SubOrder.Status.CANCELLED, SubOrder.Status.DECLINED):
            # Paid after the cooperative gave up on it: it goes back.
            request_refund(suborder=suborder, method=payment.method, amount=payment.amount)
        else:
            notices.notify_artisans_of_balance_paid(suborder=suborder)
    return True


def request_refund(*, suborder: SubOrder, method: str, amount: int | None = None) -> None:
    """`amount` rupiah paid (by `method`) for this sub-order go back (all it cost by default):
    flag it, and send it after commit.

    A provider's refund is sent by the worker (the sweep sends what the broker lost); money paid
    by hand is paid back by the cooperative, which the flag shows in the admin.
    """
    amount = suborder.total if amount is None else amount
    SubOrder.objects.filter(pk=suborder.pk).update(is_refund_due=True, refund_due_amount=amount)
    suborder.is_refund_due, suborder.refund_due_amount = True, amount
    if method in PROVIDER_METHODS:
        from ..tasks import refund_suborder_task

        send_after_commit(refund_suborder_task, suborder.pk)


def close_open_payments(*, order: Order, now: datetime) -> None:
    """The order wants no payment any more: close its open payment requests."""
    close_open_payments_of(payments=order.payments.all(), now=now)


def close_open_payments_of(*, payments, now: datetime) -> None:
    """Close these payment requests where still open (unpaid).

    A request that lives at a provider (a card's intent, Midtrans' charges) is withdrawn there by
    the worker, after commit (see `PaymentProvider.close_request`); the provider's sweep sends
    what the broker lost.
    """
    closing = list(
        payments.exclude(status__in=[Payment.Status.PAID, Payment.Status.CANCELLED]).values_list(
            "pk", flat=True
        )
    )
    Payment.objects.filter(pk__in=closing).update(status=Payment.Status.CANCELLED, updated_at=now)
    from ..tasks import close_payment_request_task

    at_provider = Payment.objects.filter(pk__in=closing).filter(
        Q(method=PaymentMethod.CARD) & ~Q(provider_reference="") | Q(method=PaymentMethod.MIDTRANS)
    )
    for payment_id in at_provider.values_list("pk", flat=True):
        send_after_commit(close_payment_request_task, payment_id)
