"""Many buyers at once on PostgreSQL: stock never oversold, no deadlock, no error page."""

import pytest
from django.test import Client
from django.urls import reverse

from orders import placement
from orders.models import Order, PaymentMethod
from tests.concurrency import requires_row_locks, run_at_once
from tests.factories import ADDRESS, make_product
from tests.orders.conftest import address_post, english_url

pytestmark = [pytest.mark.django_db(transaction=True), requires_row_locks]


def test_fifty_buyers_for_the_last_five_units():
    product = make_product(stock=5)
    option_id = product.options.get().pk

    def checkout(index: int, barrier) -> tuple[int, str]:
        client = Client()
        client.post(reverse("orders:cart-add"), {"option": option_id, "quantity": 1})
        barrier.wait()
        response = client.post(
            english_url("orders:checkout"),
            {
                "email": f"buyer{index}@example.com",
                "payment_method": "bank_transfer",
                **address_post(),
            },
        )
        return response.status_code, response["Location"]

    results = run_at_once(50, checkout)
    assert all(isinstance(r, tuple) for r in results), results
    assert all(status == 302 for status, _location in results)  # never a 500
    sold = [location for _status, location in results if "/lacak/" in location]
    told_sold_out = [location for _status, location in results if location.endswith("/keranjang/")]
    assert len(sold) == 5 and len(told_sold_out) == 45
    assert Order.objects.count() == 5
    assert product.options.get().stock == 0


def test_opposite_carts_at_once_do_not_deadlock():
    first, second = make_product(stock=100), make_product(stock=100)
    a, b = first.options.get().pk, second.options.get().pk

    def place(index: int, barrier) -> Order:
        # Half the buyers put A then B in the cart, the other half B then A.
        cart = {a: 1, b: 1} if index % 2 else {b: 1, a: 1}
        barrier.wait()
        return placement.place_order(
            buyer=None,
            email=f"b{index}@example.com",
            quantities=cart,
            address=dict(ADDRESS),
            payment_method=PaymentMethod.BANK_TRANSFER,
        )

    results = run_at_once(8, place)
    assert all(isinstance(r, Order) for r in results), results
    assert first.options.get().stock == 92 and second.options.get().stock == 92
