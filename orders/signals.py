"""Signals orders sends, and its reactions to allauth (a guest's cart follows them on login)."""

from django.dispatch import Signal

from .cart import merge_session_cart

# Sent after the commit of every sub-order status change made by `transition_suborder`, with
# `suborder`, `from_status` and `to_status`: apps above orders (the ledger) react without orders
# importing them.
suborder_status_changed = Signal()

# Sent once per payment, inside the transaction that records it as received, with `payment`: an
# app above orders (procurement's receipts) records what goes with it in the same transaction,
# so the two are kept, or rolled back, together.
payment_received = Signal()


def merge_cart_on_login(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        merge_session_cart(session=session, user=user)
