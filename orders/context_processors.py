def cart(request) -> dict:
    """The number of items in the visitor's cart, for the header."""
    session = getattr(request, "session", None)
    items = session.get("cart", {}) if session is not None else {}
    return {"cart_count": sum(int(quantity) for quantity in items.values())}
