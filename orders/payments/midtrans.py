"""QRIS, virtual accounts and e-wallets through Midtrans: charges, notifications, refunds.

Midtrans is reached only through `midtrans_api`. A payment request (`Payment`) is paid by one of
its charges (`MidtransCharge`, one per try, each with our own Midtrans order id); whatever Midtrans
says about a charge (its answer to a charge, a notification, a status read by the sweep) goes
through `apply_charge_state`, which is safe to call again with the same state: a charge is paid
once, an order is paid once (through `common.mark_order_paid`), and money paid twice goes back.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.enqueue import send_after_commit, send_each

from ..models import (
    MidtransChannel,
    MidtransCharge,
    MidtransNotification,
    MidtransRefund,
    Order,
    Payment,
    PaymentMethod,
    SubOrder,
)
from ..notices import buyer_order_url
from . import midtrans_api as api
from .common import mark_order_paid, payment_is_due
from .midtrans_refunds import owe_refund, refund_suborder

METHOD = PaymentMethod.MIDTRANS

# Midtrans' transaction states that end a charge unpaid, and what we call them.
_CLOSED_STATES = {
    "expire": MidtransCharge.Status.EXPIRED,
    "cancel": MidtransCharge.Status.CANCELLED,
    "deny": MidtransCharge.Status.DENIED,
    "failure": MidtransCharge.Status.DENIED,
}
# Midtrans allows 50 characters in an item's name.
_ITEM_NAME_LENGTH = 50

logger = logging.getLogger(__name__)


class ChargeUnavailable(Exception):
    """Midtrans could not be reached or refused the charge; the buyer may try again shortly."""


def open_payment_for(order: Order) -> Payment | None:
    """The order's Midtrans payment request still waiting for money, if any."""
    return (
        order.payments.filter(method=METHOD)
        .exclude(status__in=[Payment.Status.PAID, Payment.Status.CANCELLED])
        .order_by("pk")
        .first()
    )


def current_charge(payment: Payment) -> MidtransCharge | None:
    """The charge the buyer is paying this request with now (the latest one still wanted)."""
    return payment.charges.filter(superseded_at__isnull=True).order_by("-attempt").first()


def start_charge(*, payment: Payment, channel: str = "") -> MidtransCharge:
    """The charge to pay `payment` with by `channel`: the open one, or a fresh one.

    A different channel than the open charge's makes a new charge (a new Midtrans order id) and
    cancels the old one after commit. Raises ValidationError when the request is not payable,
    ChargeUnavailable when Midtrans does not answer (the charge is kept and created later).
    """
    channel = channel or payment.channel
    if channel not in MidtransChannel.values:
        raise ValidationError(_("Choose how to pay online."), code="channel")
    charge = _open_or_new_charge(payment, channel)
    if charge.status == MidtransCharge.Status.CREATING:
        charge = create_at_gateway(charge=charge)
        if _lacks_code(charge):
            # Read back after a lost answer: a status carries no QR code or app link, which the
            # buyer needs. A fresh charge (a new order id) has them; this one is cancelled.
            _supersede(charge, timezone.now())
            charge = create_at_gateway(charge=_open_or_new_charge(payment, channel))
    return charge


def _open_or_new_charge(payment: Payment, channel: str) -> MidtransCharge:
    now = timezone.now()
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        _check_payable(order, payment, now)
        charge = current_charge(payment)
        if charge is not None and (charge.channel != channel or not _is_open(charge)):
            if charge.status == MidtransCharge.Status.PAID:
                raise ValidationError(_("This order is already paid."), code="paid")
            if _is_open(charge):
                _supersede(charge, now)
            charge = None
        if charge is None:
            charge = _new_charge(payment, channel=channel, attempt=_next_attempt(order.pk))
        if payment.channel != channel:
            payment.channel = channel
            payment.save(update_fields=["channel", "updated_at"])
    return charge


def _lacks_code(charge: MidtransCharge) -> bool:
    """Nothing to pay with: no QR, no app link, no account number."""
    return charge.status == MidtransCharge.Status.PENDING and not (
        charge.qr_string or charge.deeplink_url or charge.va_number or charge.bill_key
    )


def first_charge(*, payment: Payment) -> MidtransCharge:
    """A new request's first charge (at placement, or a piece's rest), by the channel chosen at
    checkout; created at Midtrans when the buyer opens the payment page, or by the sweep."""
    return _new_charge(payment, channel=payment.channel, attempt=_next_attempt(payment.order_id))


def _next_attempt(order_id: int) -> int:
    """Attempts count over all the order's requests: each Midtrans order id is used once."""
    last = MidtransCharge.objects.filter(payment__order_id=order_id).aggregate(n=Max("attempt"))
    return (last["n"] or 0) + 1


def _new_charge(payment: Payment, *, channel: str, attempt: int) -> MidtransCharge:
    """A charge row under our own Midtrans order id, `<reference>-<attempt>`."""
    return MidtransCharge.objects.create(
        payment=payment,
        attempt=attempt,
        gateway_order_id=f"{payment.order.reference}-{attempt}",
        channel=channel,
        amount=payment.amount,
        expires_at=payment.due_at,
    )


def _check_payable(order: Order, payment: Payment, now) -> None:
    if payment.method != METHOD:
        raise ValidationError(_("This order is not paid online."), code="not_midtrans")
    if payment.status in (Payment.Status.PAID, Payment.Status.CANCELLED) or not (
        is_due(order, payment)
    ):
        raise ValidationError(_("This order is not waiting for a payment."), code="not_due")
    if payment.due_at is not None and payment.due_at <= now:
        raise ValidationError(_("The time to pay this order has passed."), code="too_late")


def is_due(order: Order, payment: Payment) -> bool:
    """The request is asked now: the order's at checkout, a ready piece's rest, or an
    institution's down payment or invoice."""
    return payment_is_due(order, payment)


def _is_open(charge: MidtransCharge) -> bool:
    return charge.status in (MidtransCharge.Status.CREATING, MidtransCharge.Status.PENDING)


def _supersede(charge: MidtransCharge, now) -> None:
    """No request wants this charge any more: cancel it at Midtrans after commit."""
    MidtransCharge.objects.filter(pk=charge.pk, superseded_at__isnull=True).update(
        superseded_at=now
    )
    from ..tasks import cancel_midtrans_charge_task

    send_after_commit(cancel_midtrans_charge_task, charge.pk)


def create_at_gateway(*, charge: MidtransCharge) -> MidtransCharge:
    """Ask Midtrans for the charge (a VA number, a QR code, an app link); safe to repeat.

    Midtrans refuses a second charge with the same order id, so a repeat after a lost answer
    reads the first one back instead.
    """
    order = charge.payment.order
    try:
        try:
            state = api.charge(
                channel=charge.channel,
                order_id=charge.gateway_order_id,
                amount=charge.amount,
                expires_at=charge.expires_at,
                email=order.email,
                name=order.recipient,
                phone=order.phone,
                items=_items(order) if charge.amount == order.total else (),
                # Where GoPay's or ShopeePay's app sends the buyer back after paying.
                callback_url=settings.SITE_URL + buyer_order_url(order),
            )
        except api.DuplicateOrderId:
            state = api.status(charge.gateway_order_id)
    except api.GatewayError as error:
        logger.warning("Midtrans did not create charge %s: %s", charge.gateway_order_id, error)
        raise ChargeUnavailable(str(error)) from error
    apply_charge_state(charge=charge, state=state)
    return MidtransCharge.objects.get(pk=charge.pk)


def _items(order: Order) -> list[tuple[str, str, int, int]]:
    """The order's lines and shipping as Midtrans item details; they add up to the total."""
    items = [
        (
            f"line-{line.pk}",
            " – ".join(filter(None, [line.product_title, line.option_name]))[:_ITEM_NAME_LENGTH],
            line.unit_price,
            line.quantity,
        )
        for suborder in order.suborders.all()
        for line in suborder.lines.all()
    ]
    if order.shipping_total:
        items.append(("shipping", str(_("Shipping")), order.shipping_total, 1))
    return items


# --- What Midtrans says about a charge -----------------------------------------------------------


def apply_charge_state(*, charge: MidtransCharge, state: api.Charge) -> str:
    """Bring our charge in line with Midtrans' state of it; return what was done.

    The one path for a charge's answer, a notification (after reading the status back) and the
    sweep. Paid (settled, or captured and accepted) pays the request once; money that is not the
    amount asked is kept out of the order and shown to the admin; a second payment goes back.
    """
    now = timezone.now()
    with transaction.atomic():
        charge = MidtransCharge.objects.select_for_update().get(pk=charge.pk)
        _copy_details(charge, state)
        charge.last_checked_at = now
        if state.status == "settlement" or (
            state.status == "capture" and state.fraud_status == "accept"
        ):
            outcome = _record_paid(charge, state, now)
        elif state.status in _CLOSED_STATES:
            if _is_open(charge):
                charge.status = _CLOSED_STATES[state.status]
            outcome = state.status
        elif state.status == "pending":
            if charge.status == MidtransCharge.Status.CREATING:
                charge.status = MidtransCharge.Status.PENDING
                charge.save()
                _tell_how_to_pay(charge)
            outcome = "pending"
        else:
            # capture under review (fraud "challenge"), refunds we asked for: nothing to move.
            outcome = f"noted: {state.status}"
        charge.save()
    return outcome


def _tell_how_to_pay(charge: MidtransCharge) -> None:
    """The order's email at placement, once: now that Midtrans said what to pay with."""
    from ..notices import notify_buyer_of_placement

    notify_buyer_of_placement(order=Order.objects.get(pk=charge.payment.order_id))


def _copy_details(charge: MidtransCharge, state: api.Charge) -> None:
    """Keep what the buyer pays with; a later answer without a detail does not erase it."""
    for field in ("transaction_id", "va_number", "bank", "biller_code", "bill_key"):
        value = getattr(state, field)
        if value:
            setattr(charge, field, value)
    if state.qr_string:
        charge.qr_string = state.qr_string
    if state.deeplink_url:
        charge.deeplink_url = state.deeplink_url
    if state.expires_at is not None:
        charge.expires_at = state.expires_at


def _record_paid(charge: MidtransCharge, state: api.Charge, now) -> str:
    if charge.status in (MidtransCharge.Status.PAID, MidtransCharge.Status.AMOUNT_MISMATCH):
        return "already recorded"
    charge.paid_at = state.settled_at or now
    charge.paid_amount = state.gross_amount
    if state.gross_amount != charge.amount:
        charge.status = MidtransCharge.Status.AMOUNT_MISMATCH
        logger.error(
            "Midtrans charge %s settled Rp %s, but Rp %s was asked: not paid, for the admin.",
            charge.gateway_order_id,
            state.gross_amount,
            charge.amount,
        )
        return "amount mismatch"
    charge.status = MidtransCharge.Status.PAID
    charge.save()
    payment = Payment.objects.select_for_update().get(pk=charge.payment_id)
    if payment.charges.filter(status=MidtransCharge.Status.PAID).exclude(pk=charge.pk).exists():
        # The buyer paid this request twice (an old virtual account and then QRIS): one goes back.
        owe_refund(charge=charge, suborder=None, amount=charge.amount)
        return "paid twice: refund due"
    for other in payment.charges.open().exclude(pk=charge.pk):
        _supersede(other, now)
    mark_order_paid(order=payment.order, payment=payment)
    return "paid"


# --- Notifications -----------------------------------------------------------------------------


class UnknownCharge(Exception):
    """A correctly signed notification for an order id we never created."""


def handle_notification(*, body: dict) -> str:
    """Act on one HTTP notification from Midtrans, once per transaction and status.

    Raises api.InvalidNotification (bad signature) or UnknownCharge before anything is written.
    The body is only a hint: the status is read back from Midtrans, and that is what is applied
    (a valid signature on a stale body must not move money). Raises api.GatewayError while
    Midtrans cannot be read, so that it sends the notification again.
    """
    notice = api.verify_notification(body)
    charge = MidtransCharge.objects.filter(gateway_order_id=notice.order_id).first()
    if charge is None:
        raise UnknownCharge(notice.order_id)
    seen = MidtransNotification.objects.filter(
        transaction_id=notice.transaction_id, transaction_status=notice.status
    )
    if seen.exists():
        return "duplicate"
    state = api.status(notice.order_id)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = MidtransNotification.objects.create(
                    charge=charge,
                    transaction_id=notice.transaction_id,
                    transaction_status=notice.status,
                    payload=body,
                )
        except IntegrityError:
            return "duplicate"
        record.outcome = apply_charge_state(charge=charge, state=state)
        record.save(update_fields=["outcome"])
    return record.outcome


# --- The worker's jobs ----------------------------------------------------------------------------


def sync_charge(*, charge_id: int) -> str:
    """Read a charge's status from Midtrans and apply it (a notification that never came).

    A charge whose creation was never answered is created now if its request still wants it.
    """
    charge = MidtransCharge.objects.select_related("payment__order").filter(pk=charge_id).first()
    if charge is None:
        return "gone"
    try:
        state = api.status(charge.gateway_order_id)
    except api.NotFound:
        if charge.status != MidtransCharge.Status.CREATING:
            return "unknown at Midtrans"
        if charge.superseded_at is not None:
            MidtransCharge.objects.filter(pk=charge.pk).update(
                status=MidtransCharge.Status.CANCELLED, last_checked_at=timezone.now()
            )
            return "never created"
        try:
            create_at_gateway(charge=charge)
        except ChargeUnavailable as error:
            raise api.GatewayError(str(error)) from error
        return "created"
    return apply_charge_state(charge=charge, state=state)


def cancel_charge(*, charge_id: int) -> str:
    """Cancel at Midtrans a charge no request wants; if it was paid meanwhile, that counts."""
    charge = MidtransCharge.objects.unwanted().filter(pk=charge_id).first()
    if charge is None:
        return "nothing to cancel"
    try:
        state = api.cancel(charge.gateway_order_id)
    except api.NotFound:
        MidtransCharge.objects.filter(pk=charge.pk).update(
            status=MidtransCharge.Status.CANCELLED, last_checked_at=timezone.now()
        )
        return "never created"
    except api.GatewayError as error:
        if not error.status_code:
            raise  # Unreachable: the task retries.
        state = api.status(charge.gateway_order_id)  # Paid or expired before we asked?
    return apply_charge_state(charge=charge, state=state)


def check_open_charges(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Enqueue a status read of every open charge not heard of lately, the cancel of every
    unwanted one, and the refunds due; return how many jobs were queued.

    Run by beat: a lost notification or a lost message never leaves a charge unread.
    """
    from ..tasks import (
        cancel_midtrans_charge_task,
        refund_suborder_task,
        send_midtrans_refund_task,
        sync_midtrans_charge_task,
    )

    now = timezone.now()
    since = now - timedelta(days=7)
    quiet = Q(last_checked_at__isnull=True) | Q(last_checked_at__lt=now - older_than)
    open_charges = MidtransCharge.objects.open().filter(created_at__gte=since)
    # A request closed while the message to cancel its charges was lost: they are unwanted too.
    open_charges.filter(
        payment__status=Payment.Status.CANCELLED, superseded_at__isnull=True
    ).update(superseded_at=now)
    unwanted = list(open_charges.unwanted().values_list("pk", flat=True))
    unread = list(
        open_charges.filter(superseded_at__isnull=True, created_at__lt=now - older_than)
        .filter(quiet)
        .values_list("pk", flat=True)
    )
    refunds = list(
        MidtransRefund.objects.filter(
            status=MidtransRefund.Status.DUE, created_at__lt=now - older_than
        ).values_list("pk", flat=True)
    )
    suborders = list(
        SubOrder.objects.filter(
            is_refund_due=True,
            refunded_at__isnull=True,
            # Paid through Midtrans at checkout: also a cash-on-delivery order's down payment.
            order__payments__method=METHOD,
            order__paid_at__isnull=False,
            midtrans_refunds__isnull=True,
        )
        .distinct()
        .values_list("pk", flat=True)
    )
    send_each(cancel_midtrans_charge_task, unwanted)
    send_each(sync_midtrans_charge_task, unread)
    send_each(send_midtrans_refund_task, refunds)
    send_each(refund_suborder_task, suborders)
    return len(unwanted) + len(unread) + len(refunds) + len(suborders)


# The common shape's refund (`PaymentProvider.refund_suborder`) lives with the other refunds.
__all__ = ["refund_suborder"]


def close_request(*, payment_id: int) -> str:
    """The common shape's close: cancel every charge of the request that is still open."""
    now = timezone.now()
    with transaction.atomic():
        charges = list(MidtransCharge.objects.open().filter(payment_id=payment_id))
        for charge in charges:
            _supersede(charge, now)
    return f"{len(charges)} to cancel"
