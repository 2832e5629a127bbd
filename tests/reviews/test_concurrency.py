"""Reviews written and hidden at the same moment on PostgreSQL: the averages never drift."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog.models import Product
from reviews import services
from reviews.models import ProductReview
from tests.concurrency import all_at_once, requires_row_locks
from tests.factories import make_product, make_user

from .conftest import verified_buyer

pytestmark = [pytest.mark.django_db(transaction=True), requires_row_locks]


def test_ten_buyers_reviewing_at_once_leave_an_exact_average():
    product = make_product()
    buyers = [verified_buyer(product) for _ in range(10)]
    ratings = [5, 4, 3, 5, 5, 2, 4, 4, 1, 5]

    results = all_at_once(
        10,
        lambda i: services.create_product_review(
            buyer=buyers[i], product=product, rating=ratings[i]
        ),
    )

    assert all(isinstance(result, ProductReview) for result in results), results
    product.refresh_from_db()
    assert product.rating_count == 10
    assert product.rating_average == Decimal("3.80")


def test_one_buyer_submitting_twice_at_once_gets_one_review():
    product = make_product()
    buyer = verified_buyer(product)

    results = all_at_once(
        2, lambda i: services.create_product_review(buyer=buyer, product=product, rating=5 - i)
    )

    assert sum(isinstance(result, ProductReview) for result in results) == 1
    assert sum(isinstance(result, ValidationError) for result in results) == 1
    assert Product.objects.get(pk=product.pk).rating_count == 1


def test_hiding_while_others_review_keeps_the_average_exact():
    admin = make_user(is_staff=True)
    product = make_product()
    hidden = services.create_product_review(
        buyer=verified_buyer(product), product=product, rating=1
    )
    buyers = [verified_buyer(product) for _ in range(5)]

    def work(index: int):
        if index == 5:
            return services.hide_review(review=hidden, by=admin, reason="Spam")
        return services.create_product_review(buyer=buyers[index], product=product, rating=4)

    results = all_at_once(6, work)

    assert not any(isinstance(result, Exception) for result in results), results
    product.refresh_from_db()
    assert (product.rating_count, product.rating_average) == (5, Decimal("4.00"))
