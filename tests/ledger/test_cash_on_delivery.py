"""Cash on delivery: the maker takes the buyer's cash at the door, so the cooperative holds none
of it; the ledger says so, and a payout never pays the maker money they already hold."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ledger import services
from ledger.exports import shop_entries, write_shop_ledger
from ledger.models import LedgerEntry
from tests.factories import make_product, make_user
from tests.ledger.conftest import S, move, place_cod_routed, place_routed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
Kind = LedgerEntry.Kind
# A Rp 350.000 kain with Rp 15.000 shipping at the cooperative's 5 %.
COMMISSION = 17_500


def _delivered_cod(capture, *, product=None):
    product = product or make_product(price=350_000, stock=5)
    artisan, buyer = product.shop.owner, make_user()
    suborder = place_cod_routed(buyer=buyer, cart={product.options.get(): 1}).suborders.get()
    suborder = move(
        suborder,
        (S.ACCEPTED, artisan, {}),
        (S.SHIPPED, artisan, {"courier": "JNE", "tracking_number": "JNE9"}),
        (S.DELIVERED, buyer, {}),
        capture=capture,
    )
    return product, suborder


def _account(shop):
    services.save_payout_account(
        shop=shop, bank_name="BRI", account_number="0123456789", account_holder="Siti Aminah"
    )


def test_a_delivered_cod_sale_leaves_the_maker_owing_the_commission(
    django_capture_on_commit_callbacks,
):
    product, suborder = _delivered_cod(django_capture_on_commit_callbacks)
    shop = product.shop

    # the sale is credited as for any order, and the cash the maker took in is its own entry
    entries = {e.kind: e.amount for e in LedgerEntry.objects.filter(suborder=suborder)}
    assert entries == {
        Kind.SALE: 350_000,
        Kind.COMMISSION: -COMMISSION,
        Kind.SHIPPING: 15_000,
        Kind.COLLECTED_IN_CASH: -365_000,
    }
    # the cooperative holds nothing of it: the maker owes the commission
    assert services.balance_of(shop) == -COMMISSION
    assert services.available_balance_of(shop) == -COMMISSION

    # a negative balance pays nothing, by request or by run
    _account(shop)
    with pytest.raises(ValidationError):
        services.request_payout(shop=shop, by=shop.owner)
    assert services.create_payout_run(minimum=1) is None

    # crediting it again (a second signal, the sweep) changes nothing
    assert services.record_suborder_delivered(suborder=suborder) is False
    assert services.record_missing_sales() == 0
    assert services.balance_of(shop) == -COMMISSION


def test_the_commission_owed_is_netted_against_the_next_sale_paid_online(
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    product, _suborder = _delivered_cod(capture)
    shop, artisan, buyer = product.shop, product.shop.owner, make_user()
    # a second kain, paid by transfer: this money reached the cooperative
    paid = place_routed(buyer=buyer, cart={product.options.get(): 1}).suborders.get()
    move(
        paid,
        (S.ACCEPTED, artisan, {}),
        (S.SHIPPED, artisan, {"courier": "JNE", "tracking_number": "JNE10"}),
        (S.DELIVERED, buyer, {}),
        capture=capture,
    )
    assert services.balance_of(shop) == (350_000 - COMMISSION + 15_000) - COMMISSION

    _account(shop)
    run = services.create_payout_run(minimum=1)

    # the run pays what the cooperative holds for the maker, once
    assert [p.amount for p in run.payouts.all()] == [350_000 - COMMISSION + 15_000 - COMMISSION]
    assert services.balance_of(shop) == 0
    assert services.create_payout_run(minimum=1) is None


def test_the_cash_and_the_commission_count_at_delivery_whatever_the_hold(
    settings, django_capture_on_commit_callbacks
):
    # the hold keeps money the cooperative holds; of a COD sale it holds none
    settings.LEDGER_SALE_HOLD_DAYS = 3
    product, suborder = _delivered_cod(django_capture_on_commit_callbacks)
    assert services.available_balance_of(product.shop) == -COMMISSION
    later = suborder.delivered_at + timedelta(days=4)
    assert services.available_balance_of(product.shop, at=later) == -COMMISSION


def test_a_refund_takes_back_exactly_what_the_cod_sale_added(django_capture_on_commit_callbacks):
    product, suborder = _delivered_cod(django_capture_on_commit_callbacks)
    # the sale, the commission, the shipping and the cash add up to the commission owed
    assert services.record_suborder_refunded(suborder=suborder) == -COMMISSION
    assert services.balance_of(product.shop) == 0


def test_the_finance_page_and_the_ledger_csv_name_the_cash(
    client, django_capture_on_commit_callbacks
):
    product, suborder = _delivered_cod(django_capture_on_commit_callbacks)
    client.force_login(product.shop.owner)

    page = client.get(reverse("dashboard:finance"), HTTP_ACCEPT_LANGUAGE="id").content.decode()

    assert "Diterima tunai oleh pembatik" in page
    assert "-Rp 365.000" in page
    assert 'data-testid="balance">-Rp 17.500<' in page

    rows = []

    class Rows:
        def writerow(self, row):
            rows.append(row)

    write_shop_ledger(Rows(), shop_entries(product.shop))
    cash = next(row for row in rows if row[1] == "Diterima tunai oleh pembatik")
    assert cash[2] == suborder.order.reference and cash[5:] == [-365_000, -COMMISSION]
