"""Procurement's reactions to orders' signals."""

from .documents import issue_receipt


def issue_receipt_of_payment(sender, payment, **kwargs) -> None:
    """A payment was received: an institution's order gets its receipt, in the same transaction."""
    issue_receipt(payment=payment)
