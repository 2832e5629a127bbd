"""The cooperative's documents of an institution's order, each numbered once when its event happens.

The quote letter is the quote (numbered when issued). Accepting it issues the order letter (SP)
and, with a down payment, its invoice (INV); each confirmation of parts received issues a
handover record (BAST), and the last one the invoice for the rest; every payment received gets a
receipt (KW). A number is drawn from the cooperative's yearly sequence of its kind
(`next_document_number`) in the transaction of the event, and kept: printing again reads it back.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from num2words import num2words

from orders.models import MidtransCharge, Payment, PaymentMethod

from .models import Document, Handover, Quote
from .numbering import next_document_number

K = Document.Kind


def amount_in_words(amount: int) -> str:
    """The amount in Indonesian words, as a receipt writes it: "tiga juta lima ratus ribu rupiah"."""
    words = num2words(int(amount), lang="id")
    # num2words writes "satu juta satu ribu"; after a larger unit Indonesian says "seribu" too.
    words = re.sub(r"\b(juta|miliar|triliun) satu ribu\b", r"\1 seribu", words)
    return f"{words} rupiah"


def _issue(*, quote: Quote, kind: str, payment: Payment | None = None, amount: int = 0):
    return Document.objects.create(
        quote=quote, kind=kind, number=next_document_number(kind), payment=payment, amount=amount
    )


def issue_order_letter(*, quote: Quote) -> Document:
    """The order letter (surat pesanan) of an accepted quote, and its down payment's invoice."""
    letter = _issue(quote=quote, kind=K.ORDER, amount=quote.order.total)
    for payment in quote.order.payments.filter(purpose=Payment.Purpose.DOWN_PAYMENT):
        issue_invoice(quote=quote, payment=payment)
    return letter


def issue_invoice(*, quote: Quote, payment: Payment) -> Document:
    """The invoice asking for this payment (once: asking again gives the same invoice)."""
    existing = Document.objects.filter(kind=K.INVOICE, payment=payment).first()
    return existing or _issue(quote=quote, kind=K.INVOICE, payment=payment, amount=payment.amount)


def issue_receipt(*, payment: Payment) -> Document | None:
    """The receipt (kwitansi) of a payment received on an institution's order; once each.

    Called in the transaction that records the payment, so the two are kept or lost together.
    """
    quote = Quote.objects.filter(order_id=payment.order_id).first()
    if quote is None:
        return None
    existing = Document.objects.filter(kind=K.RECEIPT, payment=payment).first()
    return existing or _issue(quote=quote, kind=K.RECEIPT, payment=payment, amount=payment.amount)


def issue_handover_record(*, quote: Quote, handovers: Iterable[Handover]) -> Document:
    """The handover record (BAST) of the parts the officer confirmed receiving together."""
    record = _issue(quote=quote, kind=K.HANDOVER)
    Handover.objects.filter(pk__in=[handover.pk for handover in handovers]).update(record=record)
    return record


@dataclass(frozen=True)
class PayTo:
    """Where an invoice is paid: the cooperative's bank account, or a virtual account."""

    bank: str
    account: str
    holder: str
    is_virtual_account: bool = False


def pay_to(payment: Payment) -> PayTo | None:
    """The account to pay an invoice into; None when an online payment has no account yet (it is
    made on the order's payment page)."""
    if payment.method == PaymentMethod.BANK_TRANSFER:
        return PayTo(
            bank=settings.COOPERATIVE_BANK_NAME,
            account=settings.COOPERATIVE_BANK_ACCOUNT,
            holder=settings.COOPERATIVE_BANK_HOLDER,
        )
    charge = (
        MidtransCharge.objects.filter(payment=payment, superseded_at__isnull=True)
        .exclude(va_number="")
        .order_by("-attempt")
        .first()
    )
    if charge is None:
        return None
    return PayTo(
        bank=charge.bank.upper() or charge.get_channel_display(),
        account=charge.va_number,
        holder=settings.COOPERATIVE_NAME,
        is_virtual_account=True,
    )
