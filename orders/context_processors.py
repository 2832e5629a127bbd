from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from .cart import SESSION_KEY
from .models import CartItem

# The signed-in buyer arrives with this count when their authentication backend annotates it
# (orders.auth_backends), so the header costs no query of its own.
CART_COUNT_ATTRIBUTE = "cart_count"


def cart_count_of_outer_user():
    """How many items are in the cart of the user row in the outer query, as a subquery."""
    items = (
        CartItem.objects.filter(cart__user=OuterRef("pk"))
        .order_by()
        .values("cart__user")
        .annotate(count=Sum("quantity"))
        .values("count")
    )
    return Coalesce(Subquery(items), 0)


def cart_count(request) -> int:
    """The number of items in the visitor's cart, for the header: at most one query."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        count = getattr(user, CART_COUNT_ATTRIBUTE, None)
        if count is None:  # a user object not read by get_user(), e.g. just after logging in
            count = CartItem.objects.filter(cart__user=user).aggregate(n=Sum("quantity"))["n"]
        return count or 0
    session = getattr(request, "session", None)
    if session is None:
        return 0
    # A visitor without a session cookie costs no query: the session loads nothing.
    items = session.get(SESSION_KEY) or {}
    return sum(int(e.get("q", 0)) for e in items.values() if isinstance(e, dict))


def cart(request) -> dict:
    return {"cart_count": cart_count(request)}
