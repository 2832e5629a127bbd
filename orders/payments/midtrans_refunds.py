"""Money going back from Midtrans charges: through the API for QRIS and e-wallets, or owed by
hand for virtual accounts, with the buyer asked for the account to send it to.

Each refund is a row first (`MidtransRefund`, unique on our `refund_key`), then sent: a task run
twice, or a crash between Midtrans' answer and our commit, refunds once.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.enqueue import send_after_commit

from ..locking import only_own_rows
from ..models import MidtransChannel, MidtransCharge, MidtransRefund, Payment, SubOrder
from . import midtrans_api as api

# Channels whose money Midtrans can send back; a virtual account's is transferred by hand.
REFUNDABLE_CHANNELS = frozenset(
    {MidtransChannel.QRIS, MidtransChannel.GOPAY, MidtransChannel.SHOPEEPAY}
)


def owe_refund(
    *, charge: MidtransCharge, suborder: SubOrder | None, amount: int, enqueue: bool = True
) -> MidtransRefund:
    """Record money due back from `charge`, once: sent (by the worker when `enqueue`), or owed
    by hand, with the buyer asked for an account to send it to."""
    key = f"{charge.gateway_order_id}-{'so' + str(suborder.pk) if suborder else 'all'}"
    refundable = charge.channel in REFUNDABLE_CHANNELS
    refund, created = MidtransRefund.objects.get_or_create(
        refund_key=key,
        defaults={
            "charge": charge,
            "suborder": suborder,
            "amount": amount,
            "status": MidtransRefund.Status.DUE if refundable else MidtransRefund.Status.OWED,
        },
    )
    if created and refundable and enqueue:
        from ..tasks import send_midtrans_refund_task

        send_after_commit(send_midtrans_refund_task, refund.pk)
    elif created and not refundable:
        from ..notices import write_refund_account_request

        write_refund_account_request(refund=refund)
    return refund


def send_refund(*, refund_id: int) -> str:
    """Send a refund that is due through Midtrans, exactly once (our `refund_key`)."""
    with transaction.atomic():
        refund = (
            MidtransRefund.objects.select_for_update()
            .select_related("charge")
            .filter(pk=refund_id)
            .first()
        )
        if refund is None or refund.status != MidtransRefund.Status.DUE:
            return "nothing to send"
        # The rows stay locked during the call, so a second run waits and finds it sent; the
        # refund key covers a crash between Midtrans' answer and our commit.
        api.refund(
            refund.charge.gateway_order_id,
            amount=refund.amount,
            refund_key=refund.refund_key,
            reason=str(
                _("Refund of order %(reference)s")
                % {"reference": refund.charge.payment.order.reference}
            ),
        )
        _settle(refund, status=MidtransRefund.Status.SUCCEEDED)
    return refund.refund_key


def give_refund_account(
    *, refund: MidtransRefund, bank_name: str, account_number: str, account_holder: str
) -> MidtransRefund:
    """The buyer says where an owed refund goes; they may correct it until it is transferred."""
    with transaction.atomic():
        refund = MidtransRefund.objects.select_for_update().get(pk=refund.pk)
        if refund.status != MidtransRefund.Status.OWED:
            raise ValidationError(_("This refund has already been sent."), code="refunded")
        refund.bank_name = bank_name.strip()
        refund.account_number = account_number.strip()
        refund.account_holder = account_holder.strip()
        refund.account_given_at = timezone.now()
        refund.save()
    return refund


def record_refund_paid_by_hand(*, refund: MidtransRefund, by) -> bool:
    """The cooperative transferred an owed refund to the buyer's account; False if done before."""
    with transaction.atomic():
        refund = MidtransRefund.objects.select_for_update().get(pk=refund.pk)
        if refund.status != MidtransRefund.Status.OWED:
            return False
        refund.paid_by = by
        _settle(refund, status=MidtransRefund.Status.PAID_BY_HAND)
    return True


def _settle(refund: MidtransRefund, *, status: str) -> None:
    now = timezone.now()
    refund.status = status
    refund.refunded_at = now
    refund.save()
    if refund.suborder_id is None:
        return  # A second payment of a paid request went back: the request itself is unchanged.
    payment = Payment.objects.select_for_update().get(pk=refund.charge.payment_id)
    payment.refunded_amount = min(payment.refunded_amount + refund.amount, payment.amount)
    if payment.refunded_amount >= payment.amount and payment.status == Payment.Status.PAID:
        payment.status = Payment.Status.REFUNDED
    payment.save(update_fields=["refunded_amount", "status", "updated_at"])
    SubOrder.objects.filter(pk=refund.suborder_id, refunded_at__isnull=True).update(refunded_at=now)


def refund_suborder(*, suborder: SubOrder) -> str:
    """The common shape's refund: a paid sub-order's money goes back from the charge that paid it.

    QRIS and e-wallets through Midtrans (by the worker); a virtual account's is owed by hand, and
    the buyer is asked by email for the account to send it to.
    """
    with transaction.atomic():
        suborder = (
            SubOrder.objects.select_for_update(of=only_own_rows())
            .select_related("order")
            .get(pk=suborder.pk)
        )
        if not suborder.is_refund_due or suborder.order.paid_at is None:
            return ""
        charge = (
            MidtransCharge.objects.filter(
                payment__order=suborder.order, status=MidtransCharge.Status.PAID
            )
            .order_by("paid_at", "pk")
            .first()
        )
        if charge is None:
            return ""
        refund = owe_refund(
            charge=charge, suborder=suborder, amount=suborder.refund_due_amount, enqueue=False
        )
    if refund.status == MidtransRefund.Status.DUE:
        send_refund(refund_id=refund.pk)
    return refund.refund_key
