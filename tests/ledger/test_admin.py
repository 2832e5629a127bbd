"""The cooperative's money in admin: a read-only ledger, the period export, the payout queue."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from ledger import services
from ledger.models import LedgerEntry, Payout, PayoutRun, ShopCommission
from notifications.models import Notification, OutgoingEmail
from notifications.tasks import send_pending_emails_task
from orders.models import SubOrder
from tests.conftest import broker_down, wait_for
from tests.curation.conftest import post_action
from tests.factories import make_product, make_shop, make_user
from tests.ledger.factories import make_suborder

Kind = LedgerEntry.Kind
MAKASSAR = ZoneInfo("Asia/Makassar")


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def _requested_payout(amount: int = 250_000) -> Payout:
    shop = make_shop()
    LedgerEntry(shop=shop, kind=Kind.ADJUSTMENT, amount=amount).save()
    services.save_payout_account(
        shop=shop, bank_name="BRI", account_number="0123456789", account_holder="Siti Aminah"
    )
    return services.request_payout(shop=shop, by=shop.owner)


@pytest.mark.django_db
def test_the_admin_offers_no_way_to_add_change_or_delete_an_entry(admin_client):
    entry = LedgerEntry(shop=make_shop(), kind=Kind.ADJUSTMENT, amount=1_000)
    entry.save()
    changelist = admin_client.get(reverse("admin:ledger_ledgerentry_changelist")).content.decode()
    assert reverse("admin:ledger_ledgerentry_add") not in changelist
    assert 'value="delete_selected"' not in changelist
    assert admin_client.get(reverse("admin:ledger_ledgerentry_add")).status_code == 403
    change = admin_client.get(reverse("admin:ledger_ledgerentry_change", args=[entry.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    response = admin_client.post(
        reverse("admin:ledger_ledgerentry_change", args=[entry.pk]), {"amount": 9_999_999}
    )
    assert response.status_code == 403
    delete = admin_client.post(
        reverse("admin:ledger_ledgerentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert LedgerEntry.objects.get().amount == 1_000


@pytest.mark.django_db
def test_ledger_and_payout_lists_keep_their_query_count(admin_client):
    def add(count: int) -> None:
        for _ in range(count):
            suborder = make_suborder(shop=make_shop(), status=SubOrder.Status.COMPLETED)
            services.record_suborder_delivered(suborder=suborder)
            _requested_payout(1_000)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(url).status_code == 200
        return len(context)

    urls = [
        reverse("admin:ledger_ledgerentry_changelist"),
        reverse("admin:ledger_payout_changelist"),
    ]
    add(2)
    few = [queries(url) for url in urls]
    add(10)
    assert [queries(url) for url in urls] == few


@pytest.mark.django_db
def test_the_period_export_holds_every_shops_sales_and_payouts_of_the_period(admin_client):
    payout = _requested_payout(120_000)
    services.mark_payout_paid(payout=payout, by=None, transfer_reference="TRX-77")
    suborder = make_suborder(shop=make_shop(name="Batik Paku"), status=SubOrder.Status.COMPLETED)
    services.record_suborder_delivered(suborder=suborder)
    # an entry at 23:30 WITA on the last day of the previous month stays out
    LedgerEntry(
        shop=suborder.shop,
        kind=Kind.ADJUSTMENT,
        amount=-5,
        created_at=datetime(2026, 10, 31, 23, 30, tzinfo=MAKASSAR),
    ).save()
    form = admin_client.get(reverse("admin:ledger_ledgerentry_export"))
    assert form.status_code == 200 and 'type="date"' in form.content.decode()

    response = admin_client.get(
        reverse("admin:ledger_ledgerentry_export"),
        {"start": "2026-11-01", "end": date.today().isoformat()},
    )

    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff") and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    amounts = sorted(int(row[-1]) for row in rows[1:])
    assert amounts == sorted([120_000, -120_000, 350_000, -17_500, 15_000])
    paid = next(row for row in rows if row[-1] == "-120000")
    assert paid[5] == str(payout.pk) and paid[6] == "TRX-77"
    assert any(row[1] == "Batik Paku" and row[4] == suborder.order.reference for row in rows)

    with translation.override("en"):
        export_url = reverse("admin:ledger_ledgerentry_export")
    wrong = admin_client.get(export_url, {"start": "2026-11-02", "end": "2026-11-01"})
    assert wrong.status_code == 200 and "ends before it starts" in wrong.content.decode()


@pytest.mark.django_db
def test_the_refund_action_takes_back_a_completed_suborder(admin_client):
    suborder = make_suborder(shop=make_shop(), status=SubOrder.Status.COMPLETED)
    services.record_suborder_delivered(suborder=suborder)
    sale = LedgerEntry.objects.get(kind=Kind.SALE)
    response = admin_client.post(
        reverse("admin:ledger_ledgerentry_changelist"),
        {"action": "refund_suborders", "_selected_action": [sale.pk]},
    )
    assert response.status_code == 302
    assert services.balance_of(suborder.shop) == 0
    assert LedgerEntry.objects.get(kind=Kind.REFUND).amount == -347_500


@pytest.mark.django_db
def test_staff_without_payout_rights_cannot_mark_paid(client):
    payout = _requested_payout()
    client.force_login(make_user(is_staff=True))
    url = reverse("admin:ledger_payout_mark_paid", args=[payout.pk])
    assert client.post(url, {"transfer_reference": "X"}).status_code == 403
    payout.refresh_from_db()
    assert payout.status == Payout.Status.REQUESTED


@pytest.mark.django_db
def test_with_the_broker_down_mark_paid_succeeds_and_the_sweep_tells_the_artisan(
    admin_client, django_capture_on_commit_callbacks, mailoutbox
):
    payout = _requested_payout(125_000)
    mark_url = reverse("admin:ledger_payout_mark_paid", args=[payout.pk])

    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(mark_url, {"transfer_reference": "BRI-0007"})

    assert response.status_code == 302
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID
    notice = Notification.objects.get(recipient=payout.shop.owner, kind="payout-paid")
    assert notice.url.endswith(f"/dasbor/keuangan/pencairan/{payout.pk}/")
    assert not mailoutbox
    send_pending_emails_task()  # the beat's sweep, once the broker is back
    send_pending_emails_task()
    assert len(mailoutbox) == 1 and "BRI-0007" in mailoutbox[0].body


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_mark_paid_in_admin_tells_the_artisan_through_the_worker(admin_client, celery_worker):
    # given a payout waiting in the queue
    payout = _requested_payout(250_000)
    queue = admin_client.get(reverse("admin:ledger_payout_changelist")).content.decode()
    mark_url = reverse("admin:ledger_payout_mark_paid", args=[payout.pk])
    assert mark_url in queue
    assert "0123456789" in admin_client.get(mark_url).content.decode()

    # when the admin gives the transfer reference
    response = admin_client.post(mark_url, {"transfer_reference": "BRI-20261128-0042"})

    # then the payout is paid and the artisan hears of it from the worker, once
    assert response.status_code == 302
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID and payout.transfer_reference == "BRI-20261128-0042"
    owner = payout.shop.owner
    notice = wait_for(
        lambda: Notification.objects.filter(recipient=owner, kind="payout-paid").first()
    )
    assert "BRI-20261128-0042" in notice.body
    assert wait_for(lambda: OutgoingEmail.objects.filter(key=notice.key, sent_at__isnull=False))
    assert reverse("dashboard:payout-detail", args=[payout.pk]).split("/", 2)[2] in notice.url
    # marking it again changes nothing
    again = admin_client.post(mark_url, {"transfer_reference": "OTHER"})
    assert again.status_code == 200
    payout.refresh_from_db()
    assert payout.transfer_reference == "BRI-20261128-0042"
    assert Notification.objects.filter(kind="payout-paid").count() == 1


def _maker_share_shown(product) -> str:
    """The product page as a first-time visitor reads it (served from the cache once warm)."""
    from django.test import Client

    return Client().get(product.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_commission_rate_set_in_the_admin_shows_on_the_product_page_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    # given a product page cached with the cooperative-wide rate (5 %)
    product = make_product(price=350_000)
    assert "Rp 332.500 dari Rp 350.000" in _maker_share_shown(product)
    assert "Rp 332.500 dari Rp 350.000" in _maker_share_shown(product)

    # when the cooperative gives the shop its own rate, then changes it, then removes it
    add_url = reverse("admin:ledger_shopcommission_add")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            add_url, {"shop": product.shop_id, "percent": "10", "note": "Anggota baru"}
        )
    assert response.status_code == 302

    # then every step shows on the product page at once
    assert "Rp 315.000 dari Rp 350.000" in _maker_share_shown(product)

    rate = ShopCommission.objects.get(shop=product.shop)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:ledger_shopcommission_change", args=[rate.pk]),
            {"shop": product.shop_id, "percent": "2", "note": ""},
        )
    assert "Rp 343.000 dari Rp 350.000" in _maker_share_shown(product)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:ledger_shopcommission_delete", args=[rate.pk]), {"post": "yes"}
        )
    assert "Rp 332.500 dari Rp 350.000" in _maker_share_shown(product)


@pytest.mark.django_db
def test_deleting_selected_commission_rates_shows_on_the_product_page_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    product = make_product(price=350_000)
    services.set_shop_commission(shop=product.shop, percent=Decimal("10"), note="")
    assert "Rp 315.000 dari Rp 350.000" in _maker_share_shown(product)

    with django_capture_on_commit_callbacks(execute=True):
        post_action(
            admin_client,
            reverse("admin:ledger_shopcommission_changelist"),
            "delete_selected",
            ShopCommission.objects.all(),
            post="yes",
        )

    assert not ShopCommission.objects.exists()
    assert "Rp 332.500 dari Rp 350.000" in _maker_share_shown(product)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_scheduled_payout_run_is_made_by_the_worker(celery_worker, settings):
    # given a maker with a balance above the minimum and one below
    due = _requested_payout(1).shop  # an account, and a first payout already asked
    LedgerEntry(shop=due, kind=Kind.ADJUSTMENT, amount=settings.PAYOUT_RUN_MINIMUM).save()
    small = make_shop()
    LedgerEntry(shop=small, kind=Kind.ADJUSTMENT, amount=settings.PAYOUT_RUN_MINIMUM - 1).save()
    services.save_payout_account(
        shop=small, bank_name="BNI", account_number="5566778899", account_holder="Ani"
    )

    # when beat sends the run's task
    from ledger.tasks import create_payout_run_task

    create_payout_run_task.delay()

    # then the worker makes one run paying the maker due, and only them
    run = wait_for(lambda: PayoutRun.objects.first())
    assert list(run.payouts.values_list("shop", "amount")) == [
        (due.pk, settings.PAYOUT_RUN_MINIMUM)
    ]
    assert services.available_balance_of(small) == settings.PAYOUT_RUN_MINIMUM - 1
