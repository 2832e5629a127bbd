"""Faster money: sales available at delivery (after the hold), daily payout runs, the pipeline."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from ledger import services, tasks
from ledger.models import LedgerEntry, Payout, PayoutRun
from marketplace.celery import app as celery_app
from notifications.models import Notification, OutgoingEmail
from orders import lifecycle
from orders.models import Order, PaymentMethod, SubOrder
from tests.factories import make_product, make_shop, make_user
from tests.ledger.conftest import S, move, place_routed
from tests.ledger.factories import make_suborder

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
Kind = LedgerEntry.Kind
# A Rp 350.000 sale with Rp 15.000 shipping at the cooperative's 5%: what the maker gets.
SHARE = 350_000 - 17_500 + 15_000


def _shipped(capture, *, price: int = 350_000):
    product = make_product(price=price, stock=3)
    artisan, buyer = product.shop.owner, make_user()
    suborder = place_routed(buyer=buyer, cart={product.options.get(): 1}).suborders.get()
    suborder = move(
        suborder,
        (S.ACCEPTED, artisan, {}),
        (S.SHIPPED, artisan, {"courier": "JNE", "tracking_number": "JNE7"}),
        capture=capture,
    )
    return product.shop, buyer, suborder


def _account(shop, number: str = "0123456789", holder: str = "Siti Aminah"):
    services.save_payout_account(
        shop=shop, bank_name="BRI", account_number=number, account_holder=holder
    )


def _balance(amount: int, *, account: bool = True, **shop):
    shop = make_shop(**shop)
    LedgerEntry(shop=shop, kind=Kind.ADJUSTMENT, amount=amount, note="Opening").save()
    if account:
        _account(shop)
    return shop


# --- availability -----------------------------------------------------------------------------


def test_a_sale_is_available_as_soon_as_the_buyer_confirms_receipt(
    django_capture_on_commit_callbacks,
):
    shop, buyer, suborder = _shipped(django_capture_on_commit_callbacks)
    assert services.available_balance_of(shop) == 0

    move(suborder, (S.DELIVERED, buyer, {}), capture=django_capture_on_commit_callbacks)

    assert services.available_balance_of(shop) == SHARE
    _account(shop)
    assert services.request_payout(shop=shop, by=shop.owner).amount == SHARE


def test_with_a_hold_the_sale_waits_the_days_after_delivery(
    settings, django_capture_on_commit_callbacks
):
    settings.LEDGER_SALE_HOLD_DAYS = 2
    shop, buyer, suborder = _shipped(django_capture_on_commit_callbacks)
    suborder = move(suborder, (S.DELIVERED, buyer, {}), capture=django_capture_on_commit_callbacks)
    _account(shop)

    # credited at delivery, but not payable yet
    assert services.balance_of(shop) == SHARE
    assert services.available_balance_of(shop) == 0
    with pytest.raises(ValidationError):
        services.request_payout(shop=shop, by=shop.owner)
    # available from exactly two days after the delivery
    available_at = suborder.delivered_at + timedelta(days=2)
    assert set(LedgerEntry.objects.values_list("available_at", flat=True)) == {available_at}
    assert services.available_balance_of(shop, at=available_at - timedelta(seconds=1)) == 0
    assert services.available_balance_of(shop, at=available_at) == SHARE
    # completion later changes nothing
    move(suborder, (S.COMPLETED, None, {}), capture=django_capture_on_commit_callbacks)
    assert LedgerEntry.objects.count() == 3


def test_the_automatic_delivery_credits_the_sale_too(settings, django_capture_on_commit_callbacks):
    shop, _buyer, suborder = _shipped(django_capture_on_commit_callbacks)
    long_ago = timezone.now() - timedelta(days=settings.ORDER_AUTO_DELIVER_DAYS + 1)
    SubOrder.objects.filter(pk=suborder.pk).update(shipped_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        assert lifecycle.auto_deliver_suborders() == (1, 0)

    assert services.available_balance_of(shop) == SHARE


def test_a_refund_while_held_takes_back_exactly_the_sale_once_and_spares_the_rest(settings):
    settings.LEDGER_SALE_HOLD_DAYS = 3
    shop = _balance(100_000)  # money already available from before
    now = timezone.now()
    suborder = make_suborder(shop=shop, status=S.DELIVERED, delivered_at=now)
    services.record_suborder_delivered(suborder=suborder)

    assert services.record_suborder_refunded(suborder=suborder) == SHARE
    assert services.record_suborder_refunded(suborder=suborder) == 0

    # the refund does not eat what was payable today, and nothing comes after the hold
    assert services.balance_of(shop) == 100_000
    for moment in (now, now + timedelta(days=3), now + timedelta(days=30)):
        assert services.available_balance_of(shop, at=moment) == 100_000
    assert LedgerEntry.objects.filter(kind=Kind.REFUND).count() == 1


def test_a_refund_after_the_sale_became_available_takes_it_back_at_once():
    shop = make_shop()
    suborder = make_suborder(
        shop=shop, status=S.DELIVERED, delivered_at=timezone.now() - timedelta(days=1)
    )
    services.record_suborder_delivered(suborder=suborder)
    assert services.available_balance_of(shop) == SHARE

    assert services.record_suborder_refunded(suborder=suborder) == SHARE

    assert services.available_balance_of(shop) == 0 and services.balance_of(shop) == 0


def test_the_sweep_credits_a_delivery_whose_signal_was_lost(settings):
    settings.LEDGER_SALE_HOLD_DAYS = 1
    delivered_at = timezone.now() - timedelta(hours=30)
    suborder = make_suborder(shop=make_shop(), status=S.SHIPPED)
    # the status changes, but the after-commit hook never runs (a crash right after commit)
    SubOrder.objects.filter(pk=suborder.pk).update(status=S.DELIVERED, delivered_at=delivered_at)

    assert services.record_missing_sales() == 1
    assert services.record_missing_sales() == 0

    entry = LedgerEntry.objects.get(kind=Kind.SALE)
    assert entry.available_at == delivered_at + timedelta(days=1)
    assert services.available_balance_of(suborder.shop) == SHARE


# --- payout runs ------------------------------------------------------------------------------


def test_a_run_pays_every_maker_at_or_above_the_minimum_with_an_account(settings):
    settings.PAYOUT_RUN_MINIMUM = 50_000
    settings.LEDGER_SALE_HOLD_DAYS = 2
    above = _balance(120_000)
    exactly = _balance(50_000)
    below = _balance(49_999)
    no_account = _balance(500_000, account=False)
    held = make_shop()  # a sale still in the hold is not paid out
    _account(held)
    services.record_suborder_delivered(
        suborder=make_suborder(shop=held, status=S.DELIVERED, delivered_at=timezone.now())
    )

    run = tasks.create_payout_run_task()

    run = PayoutRun.objects.get(pk=run)
    paid = {payout.shop_id: payout.amount for payout in run.payouts.all()}
    assert paid == {above.pk: 120_000, exactly.pk: 50_000}
    assert services.available_balance_of(above) == 0
    assert services.available_balance_of(below) == 49_999
    assert services.available_balance_of(no_account) == 500_000
    assert services.balance_of(held) == SHARE
    assert all(payout.status == Payout.Status.REQUESTED for payout in run.payouts.all())


def test_no_run_is_kept_when_nobody_is_due():
    _balance(10_000)
    assert services.create_payout_run() is None
    assert tasks.create_payout_run_task() is None
    assert not PayoutRun.objects.exists()


def test_the_run_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["ledger-payout-run"]
    assert entry["task"] in celery_app.tasks


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_the_run_csv_lists_each_transfer_and_sums_to_the_ledger(admin_client):
    first = _balance(120_000)
    second = _balance(75_500)
    services.save_payout_account(
        shop=second, bank_name="Bank Kaltimtara", account_number="7788990011",
        account_holder="Rahmawati, S.Pd",
    )  # fmt: skip
    run = services.create_payout_run(minimum=50_000)
    listing = admin_client.get(reverse("admin:ledger_payoutrun_changelist")).content.decode()
    assert reverse("admin:ledger_payoutrun_csv", args=[run.pk]) in listing
    assert "Rp 195.500" in listing

    response = admin_client.get(reverse("admin:ledger_payoutrun_csv", args=[run.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert not body.startswith("\ufeff")  # the bank's importer reads the first column plainly
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["bank", "account_number", "account_holder", "amount", "reference"]
    assert sorted(row[:4] for row in rows[1:]) == [
        ["BRI", "0123456789", "Siti Aminah", "120000"],
        ["Bank Kaltimtara", "7788990011", "Rahmawati, S.Pd", "75500"],
    ]
    references = [row[4] for row in rows[1:]]
    assert len(set(references)) == 2 and all(references)
    ledger = LedgerEntry.objects.filter(kind=Kind.PAYOUT, payout__run=run)
    assert sum(int(row[3]) for row in rows[1:]) == -ledger.balance() == 195_500
    assert {first.pk, second.pk} == set(ledger.values_list("shop", flat=True))


def test_marking_the_run_paid_pays_every_payout_once_and_tells_each_maker_once(
    admin_client, mailoutbox
):
    english = make_user(preferred_language="en")
    first = _balance(120_000, owner=english)
    second = _balance(80_000)
    run = services.create_payout_run(minimum=50_000)
    url = reverse("admin:ledger_payoutrun_mark_paid", args=[run.pk])
    page = admin_client.get(url).content.decode()
    assert first.name in page and second.name in page

    response = admin_client.post(url, {"transfer_reference": "BRI-BULK-0042"})

    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == PayoutRun.Status.PAID and run.transfer_reference == "BRI-BULK-0042"
    assert set(run.payouts.values_list("status", "transfer_reference")) == {
        (Payout.Status.PAID, "BRI-BULK-0042")
    }
    # once only: a second marking is refused and tells nobody again
    again = admin_client.post(url, {"transfer_reference": "OTHER"})
    assert again.status_code == 200
    with pytest.raises(ValidationError):
        services.mark_run_paid(run=run, by=None, transfer_reference="OTHER")
    notices = Notification.objects.filter(kind="payout-paid")
    assert sorted(notices.values_list("recipient", flat=True)) == sorted(
        [first.owner_id, second.owner_id]
    )
    assert "transferred" in notices.get(recipient=english).title  # in the maker's language
    assert (
        notices.get(recipient=second.owner).title
        == "Pencairan dana sebesar Rp 80.000 sudah ditransfer"
    )
    assert OutgoingEmail.objects.count() == 2
    run.refresh_from_db()
    assert run.transfer_reference == "BRI-BULK-0042"
    assert services.balance_of(first) == 0 and services.balance_of(second) == 0


def test_a_payout_in_a_run_is_neither_cancelled_nor_paid_on_its_own(client):
    shop = _balance(90_000)
    run = services.create_payout_run(minimum=50_000)
    payout = run.payouts.get()
    client.force_login(shop.owner)
    page = client.get(reverse("dashboard:payout-detail", args=[payout.pk])).content.decode()
    assert 'data-testid="payout-in-run"' in page and 'data-testid="payout-cancel"' not in page
    with pytest.raises(ValidationError):
        services.cancel_payout(payout=payout, by=shop.owner)
    with pytest.raises(ValidationError):
        services.mark_payout_paid(payout=payout, by=None, transfer_reference="X")
    payout.refresh_from_db()
    assert payout.status == Payout.Status.REQUESTED and services.balance_of(shop) == 0


def test_after_a_request_the_run_pays_only_what_is_left(settings):
    shop = _balance(200_000)
    services.request_payout(shop=shop, by=shop.owner, amount=120_000)
    run = services.create_payout_run(minimum=50_000)
    assert run.payouts.get().amount == 80_000
    assert services.available_balance_of(shop) == 0
    with pytest.raises(ValidationError):
        services.request_payout(shop=shop, by=shop.owner)


@pytest.mark.parametrize(
    ("permission", "allowed"),
    [(None, False), ("view_payoutrun", False), ("change_payoutrun", True)],
)
def test_only_staff_with_the_right_permission_mark_a_run_paid(client, permission, allowed):
    _balance(60_000)
    run = services.create_payout_run(minimum=50_000)
    staff = make_user(is_staff=True)
    if permission:
        staff.user_permissions.add(Permission.objects.get(codename=permission))
    client.force_login(staff)

    response = client.post(
        reverse("admin:ledger_payoutrun_mark_paid", args=[run.pk]),
        {"transfer_reference": "BRI-1"},
    )

    run.refresh_from_db()
    assert (run.status == PayoutRun.Status.PAID) is allowed
    assert response.status_code == (302 if allowed else 403)


def test_a_buyer_gets_no_run_file(client):
    _balance(60_000)
    run = services.create_payout_run(minimum=50_000)
    client.force_login(make_user())
    response = client.get(reverse("admin:ledger_payoutrun_csv", args=[run.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_treasurer_starts_a_run_from_the_admin(admin_client):
    shop = _balance(70_000)
    listing = admin_client.get(reverse("admin:ledger_payoutrun_changelist")).content.decode()
    assert reverse("admin:ledger_payoutrun_start") in listing

    response = admin_client.post(reverse("admin:ledger_payoutrun_start"))

    run = PayoutRun.objects.get()
    assert response["Location"] == reverse("admin:ledger_payoutrun_change", args=[run.pk])
    assert run.payouts.get().shop == shop
    assert admin_client.get(response["Location"]).status_code == 200
    admin_client.post(reverse("admin:ledger_payoutrun_start"))  # nobody is due any more
    assert PayoutRun.objects.count() == 1


# --- the finance page -------------------------------------------------------------------------


def _paid_order(suborder):
    Order.objects.filter(pk=suborder.order_id).update(paid_at=timezone.now())
    return suborder


def test_the_finance_page_shows_each_stage_of_the_money_with_its_figures(client, settings):
    settings.LEDGER_SALE_HOLD_DAYS = 2
    shop = make_shop()
    _account(shop)
    now = timezone.now()
    # paid by the buyer, not delivered: 200.000 − 10.000 + 15.000 and 100.000 − 5.000 + 15.000
    _paid_order(make_suborder(shop=shop, status=S.ACCEPTED, subtotal=200_000))
    _paid_order(make_suborder(shop=shop, status=S.SHIPPED, subtotal=100_000, shipped_at=now))
    # cash on delivery: the buyer pays the maker at the door
    make_suborder(shop=shop, status=S.ACCEPTED, subtotal=900_000, payment_method=PaymentMethod.COD)
    # delivered today: held until the day after tomorrow
    held = make_suborder(shop=shop, status=S.DELIVERED, subtotal=300_000, delivered_at=now)
    services.record_suborder_delivered(suborder=held)
    # delivered a week ago: available (350.000 − 17.500 + 15.000), part of it asked and paid
    old = make_suborder(shop=shop, status=S.COMPLETED, delivered_at=now - timedelta(days=7))
    services.record_suborder_delivered(suborder=old)
    paid = services.request_payout(shop=shop, by=shop.owner, amount=100_000)
    services.mark_payout_paid(payout=paid, by=None, transfer_reference="BRI-1")
    services.request_payout(shop=shop, by=shop.owner, amount=40_000)
    client.force_login(shop.owner)

    with translation.override("en"):
        page = client.get(reverse("dashboard:finance")).content.decode()

    def figure(name: str) -> str:
        return page.split(f'data-testid="pipeline-{name}-total">', 1)[1].split("<", 1)[0]

    assert figure("down-payments") == "Rp 0"
    assert figure("waiting") == "Rp 315.000"  # 205.000 + 110.000
    assert figure("held") == "Rp 300.000"  # 300.000 − 15.000 + 15.000
    assert figure("available") == "Rp 207.500"  # 347.500 − 100.000 − 40.000
    assert figure("on-the-way") == "Rp 40.000"
    assert figure("paid-out") == "Rp 100.000"
    assert 'data-testid="balance">Rp 207.500' in page
    held_until = timezone.localtime(held.delivered_at + timedelta(days=2))
    assert f"available {held_until:%-d %b %Y %H:%M}" in page
    assert held.order.reference in page
    assert "Down payments waiting for work to start" in page


def test_another_maker_sees_only_their_own_pipeline(client):
    shop = make_shop()
    _paid_order(make_suborder(shop=shop, status=S.ACCEPTED, subtotal=200_000))
    other = make_shop()
    client.force_login(other.owner)

    with translation.override("en"):
        page = client.get(reverse("dashboard:finance")).content.decode()

    assert 'data-testid="pipeline-waiting-total">Rp 0<' in page
    assert shop.name not in page
    client.force_login(make_user())  # a buyer with no shop is sent to the application form
    assert client.get(reverse("dashboard:finance")).status_code == 302


def test_made_to_order_work_shows_the_rest_waiting_and_delivery_credits_exactly_that(
    client, settings
):
    settings.LEDGER_SALE_HOLD_DAYS = 2
    shop = make_shop()
    now = timezone.now()
    # a Rp 1.000.000 batik tulis, half paid down, work started: Rp 475.000 is the maker's now
    suborder = _paid_order(
        make_suborder(
            shop=shop, status=S.IN_PROGRESS, subtotal=1_000_000, shipping_cost=0,
            down_payment=500_000, balance=500_000, work_started_at=now,
        )
    )  # fmt: skip
    services.record_down_payment_released(suborder=suborder)
    client.force_login(shop.owner)

    with translation.override("en"):
        page = client.get(reverse("dashboard:finance")).content.decode()

    assert 'data-testid="pipeline-available-total">Rp 475.000<' in page
    assert 'data-testid="pipeline-waiting-total">Rp 475.000<' in page  # the rest, once delivered

    # when it is delivered, the ledger credits exactly the rest, held for two days
    SubOrder.objects.filter(pk=suborder.pk).update(status=S.DELIVERED, delivered_at=now)
    services.record_suborder_delivered(suborder=suborder)
    assert services.balance_of(shop) == 950_000
    assert services.available_balance_of(shop) == 475_000
    assert services.available_balance_of(shop, at=now + timedelta(days=2)) == 950_000

    # and a refund then takes everything back at once: the down payment was payable already
    assert services.record_suborder_refunded(suborder=suborder) == 950_000
    assert services.available_balance_of(shop) == -475_000
    assert services.available_balance_of(shop, at=now + timedelta(days=2)) == 0
