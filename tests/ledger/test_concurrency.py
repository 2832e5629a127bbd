"""Ten payout requests at once for the same balance, each on its own connection (PostgreSQL)."""

import pytest
from django.core.exceptions import ValidationError

from ledger import services
from ledger.models import LedgerEntry, Payout
from tests.concurrency import all_at_once, requires_row_locks
from tests.factories import make_shop

pytestmark = [pytest.mark.django_db(transaction=True), requires_row_locks]


def _shop_with_balance(amount: int):
    shop = make_shop()
    LedgerEntry(shop=shop, kind=LedgerEntry.Kind.ADJUSTMENT, amount=amount).save()
    services.save_payout_account(
        shop=shop, bank_name="BRI", account_number="0123456789", account_holder="Siti"
    )
    return shop


def test_ten_requests_for_the_whole_balance_pay_it_once():
    shop = _shop_with_balance(347_500)

    results = all_at_once(10, lambda index: services.request_payout(shop=shop, by=shop.owner))

    paid = [result for result in results if isinstance(result, Payout)]
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert len(paid) == 1 and len(refused) == 9, results
    assert paid[0].amount == 347_500
    assert services.balance_of(shop) == 0
    assert Payout.objects.filter(shop=shop).count() == 1


def test_ten_requests_of_a_part_never_take_more_than_the_balance():
    shop = _shop_with_balance(100_000)

    results = all_at_once(
        10, lambda index: services.request_payout(shop=shop, by=shop.owner, amount=30_000)
    )

    assert sum(isinstance(result, Payout) for result in results) == 3, results
    assert all(isinstance(r, (Payout, ValidationError)) for r in results), results
    assert services.balance_of(shop) == 10_000
    assert sum(Payout.objects.filter(shop=shop).values_list("amount", flat=True)) == 90_000
