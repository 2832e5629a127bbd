"""Down payments on made-to-order work (uang muka): what is paid at checkout, what when ready.

A shop asks a share of the price of its made-to-order work at checkout
(`Shop.down_payment_percent`); ready-to-ship batik and shipping are paid in full then. The rest
is asked when the maker marks the piece ready, before it ships. Only where a later request can
be paid the same way (QRIS, virtual accounts, e-wallets, bank transfer); a card abroad pays
everything at checkout.

Cash on delivery: the down payment is paid online at checkout all the same (the order's payment
at checkout has its own method, `Payment.method`, and waits for it like any online order), and
everything else (ready-to-ship goods, shipping, the rest of the work) is paid in cash to the
maker at the door or at pickup: no request for the rest is made.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from artisans.models import Shop

from .models import Order, Payment, PaymentMethod, SubOrder

SPLIT_METHODS = frozenset({PaymentMethod.MIDTRANS, PaymentMethod.BANK_TRANSFER, PaymentMethod.COD})
# How a cash-on-delivery order's down payment may be paid at checkout.
DOWN_PAYMENT_METHODS = frozenset({PaymentMethod.MIDTRANS, PaymentMethod.BANK_TRANSFER})


@dataclass(frozen=True)
class Split:
    """One shop's goods in an order: what its buyer pays at checkout and what when ready."""

    down_payment: int
    balance: int


def split_made_to_order(*, amount: int, shop: Shop, payment_method: str) -> Split:
    """The down payment and the rest of `amount` rupiah of made-to-order work from `shop`.

    Rounded half up to whole rupiah; the two parts always add up to `amount`.
    """
    percent = shop.down_payment_percent if payment_method in SPLIT_METHODS else 0
    return split_by_percent(amount=amount, percent=percent)


def split_by_percent(*, amount: int, percent: int) -> Split:
    """`percent` of `amount` rupiah now and the rest later (an agreed quote's terms, or a
    shop's); rounded half up, the two parts always add up to `amount`."""
    if not percent or not amount:
        return Split(down_payment=0, balance=0)
    down_payment = (amount * percent + 50) // 100
    return Split(down_payment=down_payment, balance=amount - down_payment)


def paid_for(suborder: SubOrder) -> int:
    """What the buyer has paid for this sub-order: its share at checkout, and its rest if paid.

    Cash on delivery: only a down payment is paid before the door (the cash goes to the maker).
    """
    if suborder.order.payment_method == PaymentMethod.COD:
        return suborder.down_payment
    paid = suborder.total - suborder.balance
    if suborder.balance and balance_is_paid(suborder):
        paid += suborder.balance
    return paid


def is_rest_in_cash(suborder: SubOrder) -> bool:
    """The rest of this sub-order's price is paid in cash at the door, not asked online."""
    return suborder.order.payment_method == PaymentMethod.COD


def is_rest_asked_before_shipping(suborder: SubOrder) -> bool:
    """The rest of this sub-order's price is asked online when it is ready, and paid before it
    ships: not when it is paid in cash at the door, nor on an institution's order (invoiced
    after the handover)."""
    return (
        bool(suborder.balance)
        and not is_rest_in_cash(suborder)
        and not suborder.order.is_invoiced_after_handover
    )


def may_ship(suborder: SubOrder) -> bool:
    """Nothing of this sub-order's price is still to be paid before it ships."""
    return not is_rest_asked_before_shipping(suborder) or balance_is_paid(suborder)


def checkout_payment(order: Order) -> Payment | None:
    """The request paid at checkout: the order's first payment that is not the rest of a
    piece's price. Read through `order.payments.all()`, so that payments read along with the
    order (as placement does) are not read again."""
    payments = sorted(order.payments.all(), key=lambda payment: payment.pk)
    return next((p for p in payments if p.purpose != Payment.Purpose.BALANCE), None)


def checkout_method(order: Order) -> str:
    """How the order's payment at checkout is (or was) paid: the order's method, except a
    cash-on-delivery order's down payment, paid online by transfer or through Midtrans."""
    for payment in order.payments.all():
        if payment.purpose != Payment.Purpose.BALANCE:
            return payment.method
    return order.payment_method


def balance_is_paid(suborder: SubOrder) -> bool:
    return suborder.payments.filter(
        purpose=Payment.Purpose.BALANCE, status=Payment.Status.PAID
    ).exists()


def request_balance(*, suborder: SubOrder, now: datetime) -> Payment:
    """Ask the rest of a ready piece's price, the way the order was paid, by a deadline; once.

    The buyer is emailed in the caller's transaction; an online payment's charge is made when
    the buyer opens the payment page (or by the sweep).
    """
    from . import notices
    from .payments import midtrans

    payment = suborder.payments.filter(purpose=Payment.Purpose.BALANCE).first()
    if payment is not None:
        return payment
    order = suborder.order
    checkout = checkout_payment(order)
    payment = Payment.objects.create(
        order=order,
        suborder=suborder,
        purpose=Payment.Purpose.BALANCE,
        method=order.payment_method,
        channel=checkout.channel if checkout is not None else "",
        amount=suborder.balance,
        due_at=now + timedelta(days=settings.ORDER_BALANCE_PAYMENT_DAYS),
    )
    if payment.method == PaymentMethod.MIDTRANS:
        midtrans.first_charge(payment=payment)
    notices.notify_buyer_of_balance_due(suborder=suborder, payment=payment)
    return payment


def request_invoice(*, order: Order, now: datetime, channel: str = "") -> Payment | None:
    """An invoiced order was handed over: ask what is left of its price, once; None when
    nothing is left. `channel` is how an online payment is made (else the down payment's).

    What is left is the price of the sub-orders that came, less their down payment when it was
    paid; a down payment never paid is no longer asked apart. The buyer is told by the caller,
    in its transaction.
    """
    from .payments import midtrans
    from .payments.common import close_open_payments_of

    if not order.is_invoiced_after_handover:
        raise ValueError("Only an order invoiced after the handover is invoiced.")
    payment = order.payments.filter(purpose=Payment.Purpose.INVOICE).first()
    if payment is not None:
        return payment
    down_payments = order.payments.filter(purpose=Payment.Purpose.DOWN_PAYMENT)
    is_down_payment_paid = down_payments.filter(status=Payment.Status.PAID).exists()
    close_open_payments_of(payments=down_payments, now=now)
    handed_over = order.suborders.exclude(
        status__in=[SubOrder.Status.CANCELLED, SubOrder.Status.DECLINED]
    )
    amount = sum(
        suborder.total - (suborder.down_payment if is_down_payment_paid else 0)
        for suborder in handed_over
    )
    if amount <= 0:
        return None
    checkout = order.payments.exclude(purpose=Payment.Purpose.INVOICE).order_by("pk").first()
    payment = Payment.objects.create(
        order=order,
        purpose=Payment.Purpose.INVOICE,
        method=order.payment_method,
        channel=channel or (checkout.channel if checkout is not None else ""),
        amount=amount,
        due_at=now + timedelta(days=settings.PROCUREMENT_INVOICE_DAYS),
    )
    if payment.method == PaymentMethod.MIDTRANS:
        midtrans.first_charge(payment=payment)
    return payment


def close_balance_requests(*, suborder: SubOrder, now: datetime) -> None:
    """The sub-order was cancelled or declined: its unpaid balance is no longer asked."""
    from .payments.common import close_open_payments_of

    close_open_payments_of(
        payments=suborder.payments.filter(purpose=Payment.Purpose.BALANCE), now=now
    )
