from django.db.models import Sum

from .cart import SESSION_KEY
from .models import CartItem


def cart(request) -> dict:
    """The number of items in the visitor's cart, for the header: at most one query."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        total = CartItem.objects.filter(cart__user=user).aggregate(n=Sum("quantity"))["n"]
        return {"cart_count": total or 0}
    session = getattr(request, "session", None)
    if session is None:
        return {"cart_count": 0}
    # A visitor without a session cookie costs no query: the session loads nothing.
    items = session.get(SESSION_KEY) or {}
    return {"cart_count": sum(int(e.get("q", 0)) for e in items.values() if isinstance(e, dict))}
