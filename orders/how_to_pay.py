"""What a buyer must do to pay an order, as one context for the emails' "how to pay" part.

`how_to_pay_context` builds it, one small handler per payment method;
`templates/email/includes/_how_to_pay.txt` (and `.html`) show it, one branch per `kind`. A new
method adds a handler here, with its own keys, and a branch there; until it does, its buyers are
sent to their order page to pay.
"""

from collections.abc import Callable

from django.conf import settings

from .down_payments import checkout_payment
from .models import MidtransCharge, Order, PaymentMethod


def cooperative_bank_account() -> dict[str, str]:
    """The cooperative's account that bank transfers go to (the order page shows the same)."""
    return {
        "name": settings.COOPERATIVE_BANK_NAME,
        "account": settings.COOPERATIVE_BANK_ACCOUNT,
        "holder": settings.COOPERATIVE_BANK_HOLDER,
    }


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _bank_transfer(order: Order, order_url: str) -> dict:
    # The proof of transfer is uploaded on the order page.
    return {
        "kind": "bank_transfer",
        "bank": cooperative_bank_account(),
        "url": _absolute(order_url),
    }


def _card(order: Order, order_url: str) -> dict:
    # The card page hangs under the order page, for accounts and signed links alike.
    return {"kind": "card", "url": _absolute(f"{order_url}bayar/")}


def _cash_on_delivery(order: Order, order_url: str) -> dict:
    return {"kind": "cod", "url": _absolute(order_url)}


def _midtrans(order: Order, order_url: str) -> dict:
    # What the buyer pays with: the charge Midtrans made for the channel chosen last.
    charge = (
        MidtransCharge.objects.filter(
            payment__order=order, superseded_at__isnull=True, status=MidtransCharge.Status.PENDING
        )
        .order_by("-attempt")
        .first()
    )
    page = _absolute(f"{order_url}bayar-online/")
    if charge is None:
        return {"kind": "order_page", "url": page}
    return {
        "kind": "midtrans",
        "channel": charge.get_channel_display(),
        "va_number": charge.va_number,
        "bank": charge.bank.upper(),
        "biller_code": charge.biller_code,
        "bill_key": charge.bill_key,
        "has_qr": bool(charge.qr_string),
        "due_at": charge.expires_at or order.payment_due_at,
        "url": page,
    }


def _order_page(order: Order, order_url: str) -> dict:
    return {"kind": "order_page", "url": _absolute(order_url)}


HANDLERS: dict[str, Callable[[Order, str], dict]] = {
    PaymentMethod.BANK_TRANSFER: _bank_transfer,
    PaymentMethod.CARD: _card,
    PaymentMethod.COD: _cash_on_delivery,
    PaymentMethod.MIDTRANS: _midtrans,
}


def how_to_pay_context(*, order: Order, order_url: str) -> dict:
    """How to pay `order`: what every method shares, and what its own handler adds.

    Always: `kind` (which branch the include shows: "bank_transfer", "card", "cod", or
    "order_page" for a method without a handler yet), `amount` (integer rupiah: what is paid
    now, the checkout's request, or all of a cash-on-delivery order), `cash_at_door` (what is
    paid in cash on delivery or at pickup besides a down payment paid now; 0 when none), `reference`,
    `due_at` (aware, or None when nothing is due by a deadline) and `url` (absolute: where to pay,
    or where to follow the order). `bank` for "bank_transfer": name, account, holder. For
    "midtrans": `channel` (its name), `va_number` and `bank`, or `biller_code` and `bill_key`,
    or `has_qr` (the QR is on the payment page, `url`).
    `order_url` is the site path where the buyer follows the order (a signed link for a guest).
    """
    # The request paid at checkout (an order not saved yet, for a preview, has none).
    payment = checkout_payment(order) if order.pk else None
    method = payment.method if payment is not None else order.payment_method
    handler = HANDLERS.get(method, _order_page)
    cash_at_door = 0
    if order.payment_method == PaymentMethod.COD and method != PaymentMethod.COD:
        cash_at_door = order.total - payment.amount
    return {
        "amount": payment.amount if payment is not None else order.total,
        "cash_at_door": cash_at_door,
        "reference": order.reference,
        "due_at": order.payment_due_at,
        **handler(order, order_url),
    }
