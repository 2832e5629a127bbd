"""Payout requests and runs at once for the same balance, each on its own connection (PostgreSQL)."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError

from ledger import exports, services
from ledger.models import LedgerEntry, Payout, PayoutRun
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


def test_a_run_and_a_request_at_once_pay_the_balance_once():
    # given makers each with a balance, a run and their own requests racing for it
    shops = [_shop_with_balance(347_500) for _ in range(3)]

    def work(index: int):
        if index % 4 == 0:
            return services.create_payout_run(minimum=50_000)
        return services.request_payout(shop=shops[index % 3], by=shops[index % 3].owner)

    results = all_at_once(8, work)

    # then each maker is paid exactly their balance, once, by the run or by one request
    assert all(r is None or isinstance(r, (Payout, PayoutRun, ValidationError)) for r in results)
    for shop in shops:
        payouts = Payout.objects.filter(shop=shop)
        assert payouts.count() == 1, results
        assert payouts.get().amount == 347_500
        assert services.available_balance_of(shop) == 0 == services.balance_of(shop)
    # and every run's bank file sums to what the ledger took for it
    for run in PayoutRun.objects.all():
        rows = list(csv.reader(io.StringIO(_run_csv(run))))[1:]
        ledger = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYOUT, payout__run=run)
        assert sum(int(row[3]) for row in rows) == -ledger.balance()


def _run_csv(run) -> str:
    buffer = io.StringIO()
    exports.write_payout_run(csv.writer(buffer), run)
    return buffer.getvalue()
