"""Orders placed and paid through the real services, then dated where a test needs them."""

from orders import placement
from orders.models import Order, PaymentMethod
from orders.payments.transfer import confirm_transfer
from tests.factories import ADDRESS


def paid_order(lines, *, email: str, paid_at) -> Order:
    """A bank-transfer order for [(product, quantity)], confirmed by the cooperative at paid_at."""
    order = placement.place_order(
        buyer=None,
        email=email,
        quantities={product.options.get().pk: quantity for product, quantity in lines},
        address=dict(ADDRESS),
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
    confirm_transfer(payment=order.payments.get(), by=None)
    Order.objects.filter(pk=order.pk).update(paid_at=paid_at)
    order.refresh_from_db()
    return order
