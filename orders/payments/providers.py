"""Which provider module handles which payment method, for the worker's jobs."""

from . import card, midtrans, transfer
from .common import PaymentProvider

PROVIDERS: dict[str, PaymentProvider] = {
    card.METHOD: card,
    midtrans.METHOD: midtrans,
    transfer.METHOD: transfer,
}


def provider_for(method: str) -> PaymentProvider | None:
    """The module for `method`; None for cash on delivery, which no payment request stands for."""
    return PROVIDERS.get(method)
