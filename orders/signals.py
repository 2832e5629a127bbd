"""Reactions to allauth: a guest's cart follows them into their account when they log in."""

from .cart import merge_session_cart


def merge_cart_on_login(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        merge_session_cart(session=session, user=user)
