"""Manual bank transfer: the buyer uploads a proof, the cooperative confirms the money arrived.

Nothing here talks to an outside provider: a transfer request is closed by its row alone, and a
transfer is paid back by the cooperative by hand (the sub-order shows the refund due).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Order, Payment, PaymentMethod, SubOrder
from .common import mark_order_paid, payment_is_due

METHOD = PaymentMethod.BANK_TRANSFER


def submit_transfer_proof(*, order: Order, proof) -> Payment:
    """Attach the buyer's proof of transfer (already validated) to the order's payment."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        payment = (
            order.payments.select_for_update()
            .filter(method=METHOD)
            .exclude(status__in=[Payment.Status.PAID, Payment.Status.CANCELLED])
            .order_by("pk")
            .first()
        )
        if payment is None and order.payment_method != METHOD:
            raise ValidationError(_("This order is not paid by bank transfer."), code="no_payment")
        # The order's transfer at checkout, the rest of a piece the maker marked ready, or an
        # institution's down payment or invoice.
        due = payment is not None and payment_is_due(order, payment)
        if not due:
            raise ValidationError(_("This order is not waiting for a payment."), code="not_due")
        # One proof per payment: a new one replaces the old, whose file goes.
        previous = payment.proof.name
        payment.proof.save(proof.name, proof, save=False)
        payment.proof_uploaded_at = timezone.now()
        payment.status = Payment.Status.PROOF_SUBMITTED
        payment.save(update_fields=["proof", "proof_uploaded_at", "status", "updated_at"])
        if previous and previous != payment.proof.name:
            storage = payment.proof.storage
            transaction.on_commit(lambda: storage.delete(previous))
    return payment


def transfer_to_confirm(order: Order) -> Payment | None:
    """The transfer the cooperative confirms from the order's page, if one is asked now: the
    order's at checkout (all of it, or a cash-on-delivery order's down payment) while the order
    waits for it, or an institution's down payment or invoice (its order confirmed at acceptance)
    while unpaid. The rest of a ready piece is not one of them."""
    payments = (
        order.payments.filter(method=METHOD)
        .exclude(purpose=Payment.Purpose.BALANCE)
        .exclude(status__in=[Payment.Status.PAID, Payment.Status.CANCELLED])
        .order_by("pk")
    )
    return next((payment for payment in payments if payment_is_due(order, payment)), None)


def confirm_transfer(*, payment: Payment, by) -> bool:
    """The cooperative admin saw the transfer arrive in the bank account."""
    if payment.method != METHOD:
        raise ValidationError(_("Only bank transfers are confirmed by hand."), code="not_transfer")
    return mark_order_paid(order=payment.order, payment=payment, by=by)


def close_request(*, payment_id: int) -> str:
    """A transfer request lives only in our database: closing its row was all there was to do."""
    return "closed"


def refund_suborder(*, suborder: SubOrder) -> str:
    """The cooperative transfers the money back by hand; nothing is sent from here."""
    return ""
