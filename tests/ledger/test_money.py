"""The cooperative's money, step by step, on a real sub-order moved by the orders services."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import translation

from ledger import services
from ledger.models import LedgerEntry, Payout, ShopCommission
from orders.models import SubOrder
from tests.factories import make_product, make_user
from tests.ledger.conftest import S, complete, move, place_routed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
Kind = LedgerEntry.Kind


@pytest.mark.parametrize(
    ("amount", "percent", "commission"),
    [
        (350_000, Decimal(5), 17_500),
        (10, Decimal(5), 1),  # Rp 0,5 rounds up
        (9, Decimal(5), 0),  # Rp 0,45 rounds down
        (1_000_010, Decimal(5), 50_001),  # Rp 50.000,5 rounds up
        (333_333, Decimal("7.5"), 25_000),  # Rp 24.999,975
        (199_999, Decimal("2.5"), 5_000),  # Rp 4.999,975
        (123_456, Decimal(0), 0),
        (123_456, Decimal(100), 123_456),
    ],
)
def test_commission_is_rounded_half_up_to_whole_rupiah(amount, percent, commission):
    assert services.commission_for(amount, percent) == commission
    assert isinstance(services.commission_for(amount, percent), int)
    assert services.maker_share(amount, percent) == amount - commission


def test_order_delivered_commission_payout_refund_balances_exact(
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    # given a shop selling a Rp 350.000 kain, shipping Rp 15.000 within Kutai Timur
    product = make_product(price=350_000, stock=3)
    shop, artisan, buyer = product.shop, product.shop.owner, make_user()
    order = place_routed(buyer=buyer, cart={product.options.get(): 1}, shipping=15_000)
    suborder = order.suborders.get()
    assert services.balance_of(shop) == 0

    # when it is accepted and shipped, nothing is owed yet
    suborder = move(
        suborder,
        (S.ACCEPTED, artisan, {}),
        (S.SHIPPED, artisan, {"courier": "JNE", "tracking_number": "JNE1"}),
        capture=capture,
    )
    assert services.balance_of(shop) == 0

    # when the buyer confirms delivery: sale + shipping, less 5% of the goods, available at once
    suborder = move(suborder, (S.DELIVERED, buyer, {}), capture=capture)
    entries = {e.kind: e.amount for e in LedgerEntry.objects.filter(suborder=suborder)}
    assert entries == {Kind.SALE: 350_000, Kind.COMMISSION: -17_500, Kind.SHIPPING: 15_000}
    assert services.balance_of(shop) == 347_500
    assert services.available_balance_of(shop) == 347_500

    # completing it, recording it again (a second signal, the sweep) changes nothing
    move(suborder, (S.COMPLETED, None, {}), capture=capture)
    assert services.record_suborder_delivered(suborder=suborder) is False
    assert services.record_missing_sales() == 0
    assert services.balance_of(shop) == 347_500

    # when the artisan asks for the whole balance
    services.save_payout_account(
        shop=shop, bank_name="BRI", account_number="0123 4567 8901", account_holder="Siti"
    )
    payout = services.request_payout(shop=shop, by=artisan)
    assert payout.amount == 347_500 and payout.status == Payout.Status.REQUESTED
    assert payout.account_number == "012345678901"
    assert services.balance_of(shop) == 0
    with pytest.raises(ValidationError):
        services.request_payout(shop=shop, by=artisan)

    # when the cooperative pays it, the balance does not move again
    services.mark_payout_paid(
        payout=payout, by=make_user(is_staff=True), transfer_reference="TRX-1"
    )
    assert services.balance_of(shop) == 0

    # when the order is refunded after the payout, exactly what it added is taken back
    assert services.record_suborder_refunded(suborder=suborder) == 347_500
    assert services.balance_of(shop) == -347_500
    assert services.record_suborder_refunded(suborder=suborder) == 0  # once only
    assert services.balance_of(shop) == -347_500

    # and the next completed sale first pays back what is owed
    second = place_routed(buyer=buyer, cart={product.options.get(): 2}).suborders.get()
    complete(second, artisan=artisan, buyer=buyer, capture=capture)
    assert services.balance_of(shop) == -347_500 + 700_000 - 35_000 + 15_000
    assert LedgerEntry.objects.filter(shop=shop).count() == 3 + 1 + 1 + 3


def test_declined_and_cancelled_suborders_add_nothing(django_capture_on_commit_callbacks):
    product = make_product(price=200_000, stock=5)
    artisan, buyer = product.shop.owner, make_user()
    declined = place_routed(buyer=buyer, cart={product.options.get(): 1}).suborders.get()
    move(declined, (S.DECLINED, artisan, {"reason": "Kain habis"}),
         capture=django_capture_on_commit_callbacks)  # fmt: skip
    cancelled = place_routed(buyer=buyer, cart={product.options.get(): 1}).suborders.get()
    move(cancelled, (S.CANCELLED, buyer, {}), capture=django_capture_on_commit_callbacks)
    assert LedgerEntry.objects.count() == 0
    assert services.balance_of(product.shop) == 0


def test_a_shop_rate_overrides_the_cooperative_rate(settings, django_capture_on_commit_callbacks):
    settings.COOPERATIVE_COMMISSION_PERCENT = Decimal(5)
    product = make_product(price=333_333, stock=2)
    ShopCommission.objects.create(shop=product.shop, percent=Decimal("7.5"), note="Pilot")
    buyer = make_user()
    suborder = place_routed(buyer=buyer, cart={product.options.get(): 1}, shipping=0)
    suborder = suborder.suborders.get()
    complete(suborder, artisan=product.shop.owner, buyer=buyer,
             capture=django_capture_on_commit_callbacks)  # fmt: skip
    entries = {e.kind: e.amount for e in LedgerEntry.objects.filter(suborder=suborder)}
    # no shipping entry when the buyer paid no shipping
    assert entries == {Kind.SALE: 333_333, Kind.COMMISSION: -25_000}
    other = make_product(price=333_333)
    assert services.commission_percent_for(other.shop) == Decimal(5)


def test_a_lost_signal_is_caught_up_by_the_sweep():
    product = make_product(price=100_000)
    buyer = make_user()
    suborder = place_routed(buyer=buyer, cart={product.options.get(): 1}).suborders.get()
    # the status changes, but the after-commit hook never runs (a crash right after commit)
    SubOrder.objects.filter(pk=suborder.pk).update(status=S.COMPLETED)
    assert services.balance_of(product.shop) == 0
    assert services.record_missing_sales() == 1
    assert services.balance_of(product.shop) == 100_000 - 5_000 + 15_000


def test_payout_needs_an_account_and_never_exceeds_the_balance():
    product = make_product()
    shop = product.shop
    LedgerEntry(shop=shop, kind=Kind.ADJUSTMENT, amount=50_000, note="Opening").save()
    with translation.override("en"), pytest.raises(ValidationError, match="bank account"):
        services.request_payout(shop=shop, by=shop.owner)
    services.save_payout_account(
        shop=shop, bank_name="Mandiri", account_number="1234567", account_holder="Ani"
    )
    with pytest.raises(ValidationError):
        services.request_payout(shop=shop, by=shop.owner, amount=50_001)
    with pytest.raises(ValidationError):
        services.request_payout(shop=shop, by=shop.owner, amount=0)
    services.request_payout(shop=shop, by=shop.owner, amount=20_000)
    assert services.balance_of(shop) == 30_000
    services.request_payout(shop=shop, by=shop.owner)
    assert services.balance_of(shop) == 0
    assert sorted(Payout.objects.values_list("amount", flat=True)) == [20_000, 30_000]


def test_marking_paid_needs_a_reference_and_happens_once():
    product = make_product()
    shop = product.shop
    LedgerEntry(shop=shop, kind=Kind.ADJUSTMENT, amount=10_000).save()
    services.save_payout_account(shop=shop, bank_name="BNI", account_number="999999",
                                 account_holder="Ani")  # fmt: skip
    payout = services.request_payout(shop=shop, by=shop.owner)
    with pytest.raises(ValidationError):
        services.mark_payout_paid(payout=payout, by=None, transfer_reference="  ")
    services.mark_payout_paid(payout=payout, by=None, transfer_reference="TRX-9")
    with pytest.raises(ValidationError):
        services.mark_payout_paid(payout=payout, by=None, transfer_reference="TRX-10")
    payout.refresh_from_db()
    assert payout.transfer_reference == "TRX-9" and payout.paid_at is not None


def test_entries_are_never_changed_or_deleted():
    product = make_product()
    entry = LedgerEntry(shop=product.shop, kind=Kind.ADJUSTMENT, amount=1_000)
    entry.save()
    entry.amount = 9_000_000
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert LedgerEntry.objects.get().amount == 1_000


def test_one_suborder_cannot_add_its_sale_twice():
    product = make_product()
    buyer = make_user()
    suborder = place_routed(buyer=buyer, cart={product.options.get(): 1}).suborders.get()
    LedgerEntry(shop=product.shop, kind=Kind.SALE, amount=1, suborder=suborder).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry(shop=product.shop, kind=Kind.SALE, amount=1, suborder=suborder).save()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_the_database_refuses_to_change_or_delete_an_entry():
    product = make_product()
    entry = LedgerEntry(shop=product.shop, kind=Kind.ADJUSTMENT, amount=1_000)
    entry.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=2_000)
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(
            available_at=entry.available_at.replace(year=2099)
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(
            note_phrase={"msgid": "Payout", "params": {}}
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get().amount == 1_000
