"""The artisan's home and finance pages: what they show, who may see them, how many queries."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from ledger import services
from ledger.models import LedgerEntry, Payout, PayoutAccount, ShopCommission
from orders.models import Order, SubOrder
from tests.factories import make_product, make_shop, make_user
from tests.ledger.factories import make_suborder

pytestmark = pytest.mark.django_db
Kind = LedgerEntry.Kind
# Session, user, shop and the base template's reads, then the page's own: home reads counts, two
# lists, low stock, two charts, top products and the balance; finance the account, rate, a page of
# entries with its count, payouts, and the pipeline (down payments waiting for the work to start,
# payout totals, paid sub-orders not delivered, held sales, available balance, the payouts being
# transferred and paid).
QUERY_LIMITS = {"dashboard:home": 13, "dashboard:finance": 14}
S = SubOrder.Status


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def _credit(shop, *, count: int = 1, amount: int = 350_000):
    """Completed sub-orders credited to the shop through the ledger service."""
    for _ in range(count):
        suborder = make_suborder(shop=shop, status=S.COMPLETED, subtotal=amount)
        services.record_suborder_delivered(suborder=suborder)


@pytest.fixture
def artisan_client(client):
    shop = make_shop()
    client.force_login(shop.owner)
    client.shop = shop
    return client


def test_finance_shows_balance_ledger_and_requests_a_payout(artisan_client):
    shop = artisan_client.shop
    _credit(shop)
    page = artisan_client.get(en("dashboard:finance")).content.decode()
    assert "Rp 347.500" in page  # 350.000 − 17.500 + 15.000
    assert page.count('data-testid="ledger-entry"') == 3
    assert "Add the bank account for payouts" in page

    response = artisan_client.post(
        en("dashboard:payout-account"),
        {"bank_name": "BRI", "account_number": "0123-4567-890", "account_holder": "Siti Aminah"},
    )
    assert response.status_code == 302
    assert PayoutAccount.objects.get(shop=shop).account_number == "01234567890"

    response = artisan_client.post(en("dashboard:payout-request"), {"amount": ""})
    payout = Payout.objects.get(shop=shop)
    assert response["Location"] == en("dashboard:payout-detail", payout.pk)
    assert payout.amount == 347_500 and services.balance_of(shop) == 0
    detail = artisan_client.get(response["Location"]).content.decode()
    assert "Rp 347.500" in detail and "01234567890" in detail

    # asking again with nothing left is refused with a message, nothing is written
    response = artisan_client.post(en("dashboard:payout-request"), {"amount": "1000"}, follow=True)
    assert "at most your balance" in response.content.decode()
    assert Payout.objects.filter(shop=shop).count() == 1


def test_the_account_form_refuses_a_number_with_letters(artisan_client):
    response = artisan_client.post(
        en("dashboard:payout-account"),
        {"bank_name": "BRI", "account_number": "12AB34", "account_holder": "Siti"},
    )
    assert response.status_code == 200
    assert not PayoutAccount.objects.exists()


def test_the_ledger_csv_has_whole_rupiah_a_bom_and_wita_dates(artisan_client):
    shop = artisan_client.shop
    suborder = make_suborder(shop=shop, status=S.COMPLETED, subtotal=333_333)
    ShopCommission.objects.create(shop=shop, percent=Decimal("7.5"))
    services.record_suborder_delivered(suborder=suborder)
    # 23:30 UTC is 07:30 the next day in Makassar
    moment = timezone.now().replace(
        hour=23, minute=30, second=0, microsecond=0, tzinfo=timezone.UTC
    )
    LedgerEntry(
        shop=shop, kind=Kind.ADJUSTMENT, amount=-1, note="Biaya, bank", created_at=moment
    ).save()
    make_suborder(shop=make_shop(), status=S.COMPLETED)  # another shop's sale stays out

    response = artisan_client.get(en("dashboard:ledger-csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][0] == "Date (WITA)" and rows[0][-2:] == ["Amount (Rp)", "Balance (Rp)"]
    amounts = [row[5] for row in rows[1:]]
    assert sorted(amounts) == sorted(["333333", "-25000", "15000", "-1"])
    assert rows[-1][6] == str(333_333 - 25_000 + 15_000 - 1)
    adjustment = next(row for row in rows if row[5] == "-1")
    local = moment + timedelta(hours=8)
    assert adjustment[0] == local.strftime("%Y-%m-%d 07:30")
    assert adjustment[4] == "Biaya, bank"
    assert all(suborder.order.reference in row[2] for row in rows[1:] if row[5] != "-1")


def test_another_artisans_payout_is_not_found(artisan_client):
    other = make_shop()
    LedgerEntry(shop=other, kind=Kind.ADJUSTMENT, amount=5_000).save()
    services.save_payout_account(shop=other, bank_name="BNI", account_number="1234567",
                                 account_holder="Budi")  # fmt: skip
    payout = services.request_payout(shop=other, by=other.owner)
    assert artisan_client.get(en("dashboard:payout-detail", payout.pk)).status_code == 404
    page = artisan_client.get(en("dashboard:finance")).content.decode()
    assert "1234567" not in page and 'data-testid="payout"' not in page


@pytest.mark.parametrize(
    "name",
    ["dashboard:home", "dashboard:finance", "dashboard:payout-account", "dashboard:ledger-csv"],
)
def test_buyers_and_guests_are_sent_away(client, name):
    url = en(name)
    assert client.get(url)["Location"].startswith(en("account_login"))
    client.force_login(make_user())
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == en("shop-apply")
    assert client.post(en("dashboard:payout-request"), {"amount": ""}).status_code == 302
    assert not Payout.objects.exists()


def test_home_shows_what_to_do_low_stock_sales_and_balance(artisan_client):
    shop = artisan_client.shop
    kain = make_product(shop=shop, title="Kain Paku Hijau", stock=1, price=350_000)
    make_product(
        shop=shop, title="Selendang Made", stock=0, is_made_to_order=True, lead_time_days=14
    )
    make_product(shop=shop, title="Kemeja Banyak", stock=9)
    make_suborder(shop=shop, product=kain, status=S.NEW)
    today = timezone.localdate()
    make_suborder(shop=shop, status=S.ACCEPTED, ready_by=today - timedelta(days=1), days_ago=20)
    make_suborder(shop=shop, status=S.ACCEPTED, ready_by=today + timedelta(days=6), days_ago=3)
    make_suborder(shop=shop, product=kain, status=S.COMPLETED, subtotal=700_000, quantity=2,
                  days_ago=40)  # fmt: skip
    make_suborder(shop=shop, status=S.DECLINED, subtotal=999_000)
    _credit(shop, amount=100_000)

    page = artisan_client.get(en("dashboard:home")).content.decode()

    assert page.count('data-testid="to-accept"') == 1 and "1 order to accept" in page
    assert page.count('data-testid="to-ship"') == 2 and "was due" in page and "ready by" in page
    assert page.count('data-testid="low-stock"') == 1 and "Kain Paku Hijau" in page
    assert "Selendang Made" not in page and "Kemeja Banyak" not in page
    # charts: inline SVG with a title, and the same numbers as a table
    assert page.count('<svg class="chart"') == 2 and '<title id="sales-30-days-title">' in page
    assert "cdn" not in page.lower() and '<script src="http' not in page
    # declined work is no sale; the 30 days hold 350.000 + 350.000 + 350.000 + 100.000
    assert "Rp 999.000" not in page
    assert "Last 30 days · Rp 1.150.000" in page
    assert "Last 12 months · Rp 1.850.000" in page
    assert page.count('data-testid="top-product"') >= 1 and "Rp 1.050.000" in page
    assert 'data-testid="balance">Rp 110.000' in page  # 100.000 − 5.000 + 15.000
    assert "No shop reviews yet" in page
    for name in ["dashboard:listing-list", "dashboard:order-list", "dashboard:shop-profile",
                 "dashboard:shop-vacation", "dashboard:finance"]:  # fmt: skip
        assert f'href="{en(name)}"' in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("name", ["dashboard:home", "dashboard:finance"])
def test_query_counts_do_not_grow_with_orders(
    artisan_client, django_assert_max_num_queries, name, settings
):
    settings.LEDGER_SALE_HOLD_DAYS = 2  # some sales held, so every stage of the pipeline lists
    shop = artisan_client.shop
    product = make_product(shop=shop, stock=1)

    def add(count: int) -> None:
        for index in range(count):
            status = [S.NEW, S.ACCEPTED, S.DELIVERED, S.COMPLETED][index % 4]
            suborder = make_suborder(shop=shop, product=product, status=status, days_ago=index,
                                     delivered_at=timezone.now())  # fmt: skip
            Order.objects.filter(pk=suborder.order_id).update(paid_at=timezone.now())
            services.record_suborder_delivered(suborder=suborder)

    add(5)
    url = en(name)
    with django_assert_max_num_queries(QUERY_LIMITS[name]):
        artisan_client.get(url)
    few = _queries(artisan_client, url)
    add(45)
    with django_assert_max_num_queries(QUERY_LIMITS[name]):
        artisan_client.get(url)
    assert _queries(artisan_client, url) == few


def test_the_product_page_shows_the_makers_share(client, settings):
    settings.COOPERATIVE_COMMISSION_PERCENT = Decimal(5)
    product = make_product(price=350_000)
    with translation.override("en"):
        url = product.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Rp 332.500 of Rp 350.000 goes to the maker" in page


def _requested_payout(shop, amount: int = 350_000) -> Payout:
    LedgerEntry(shop=shop, kind=Kind.ADJUSTMENT, amount=amount).save()
    services.save_payout_account(shop=shop, bank_name="BRI", account_number="0011223344",
                                 account_holder="Siti")  # fmt: skip
    return services.request_payout(shop=shop, by=shop.owner)


def test_an_artisan_cancels_a_payout_not_yet_transferred_and_gets_the_balance_back(
    artisan_client,
):
    shop = artisan_client.shop
    payout = _requested_payout(shop)
    assert services.balance_of(shop) == 0
    detail = artisan_client.get(en("dashboard:payout-detail", payout.pk)).content.decode()
    assert 'data-testid="payout-cancel"' in detail

    response = artisan_client.post(en("dashboard:payout-cancel", payout.pk), follow=True)

    page = response.content.decode()
    assert "Payout request cancelled. The amount is back in your balance." in page
    assert 'data-testid="payout-cancel"' not in page
    payout.refresh_from_db()
    assert payout.status == Payout.Status.CANCELLED and payout.cancelled_by == shop.owner
    assert services.balance_of(shop) == 350_000
    # A second click (another tab) changes nothing.
    again = artisan_client.post(en("dashboard:payout-cancel", payout.pk), follow=True)
    assert (
        "Only a payout still waiting for its transfer can be cancelled." in again.content.decode()
    )
    assert services.balance_of(shop) == 350_000
    assert LedgerEntry.objects.filter(payout=payout, kind=Kind.ADJUSTMENT).count() == 1


def test_a_paid_payout_cannot_be_cancelled_nor_a_cancelled_one_paid(artisan_client):
    shop = artisan_client.shop
    paid = _requested_payout(shop)
    services.mark_payout_paid(payout=paid, by=make_user(is_staff=True), transfer_reference="T1")
    artisan_client.post(en("dashboard:payout-cancel", paid.pk))
    paid.refresh_from_db()
    assert paid.status == Payout.Status.PAID and services.balance_of(shop) == 0

    taken_back = _requested_payout(shop, amount=100_000)
    services.cancel_payout(payout=taken_back, by=shop.owner)
    with pytest.raises(ValidationError, match="cancelled this payout request"):
        services.mark_payout_paid(payout=taken_back, by=make_user(), transfer_reference="T2")
    assert services.balance_of(shop) == 100_000


def test_nobody_else_cancels_an_artisans_payout(artisan_client):
    from django.test import Client

    other = make_shop()
    payout = _requested_payout(other)
    url = en("dashboard:payout-cancel", payout.pk)
    assert artisan_client.post(url).status_code == 404
    assert artisan_client.get(url).status_code == 405
    guest = Client()
    assert guest.post(url)["Location"].startswith(en("account_login"))
    guest.force_login(make_user())
    assert guest.post(url)["Location"] == en("shop-apply")
    payout.refresh_from_db()
    assert payout.status == Payout.Status.REQUESTED and services.balance_of(other) == 0
