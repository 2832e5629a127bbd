"""The cooperative's admin approves a maker, confirms a bank transfer and pays a maker out."""

import pytest
from playwright.sync_api import expect

from artisans.models import Shop
from ledger import services as ledger_services
from ledger.models import LedgerEntry, Payout
from notifications.models import Notification
from orders.models import Order, Payment, SubOrder
from tests.conftest import wait_for
from tests.e2e import steps
from tests.e2e.conftest import DESKTOP, PHONE
from tests.factories import make_product, make_shop, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_admin_approves_a_maker_and_confirms_a_bank_transfer(open_browser, celery_worker):
    # given an application waiting for review, and a guest's transfer order with its proof
    applicant = make_shop(name="Batik Wakaroros Pulung", status=Shop.Status.PENDING)
    product = make_product(motif="sawit", title="Selendang Batik Cap Sawit", price=210_000)
    superuser = make_user(email="ketua@koperasi.example", is_staff=True, is_superuser=True)
    buyer = open_browser(PHONE)
    buyer.goto(product.get_absolute_url())
    steps.add_to_cart(buyer)
    order_url = steps.checkout(buyer, email="dinas.koperasi@example.com")
    steps.upload_transfer_proof(buyer)
    order = Order.objects.get(email="dinas.koperasi@example.com")

    # when the admin logs in and approves the application with the list action
    admin = open_browser(DESKTOP)
    steps.admin_log_in(admin, superuser.email)
    steps.run_admin_action(
        admin,
        changelist="/admin/artisans/shop/",
        row_text=applicant.name,
        action="approve_selected",
    )

    # then the shop is open and the worker tells its owner
    applicant.refresh_from_db()
    assert applicant.status == Shop.Status.APPROVED
    wait_for(lambda: Notification.objects.filter(recipient=applicant.owner).exists())

    # when the admin opens the order, sees the proof, and confirms the transfer
    admin.goto("/admin/orders/order/")
    row = admin.locator("#result_list tbody tr", has_text=order.reference)
    proof_link = row.locator("a[href*='/bukti-transfer/']")
    expect(proof_link).to_have_count(1)
    proof = admin.request.get(proof_link.get_attribute("href"))
    assert proof.status == 200 and proof.headers["content-type"] == "image/jpeg"
    row.locator("th a").click()
    admin.locator(".object-tools form[action$='/confirm-transfer/'] button").click()
    expect(admin.locator("ul.messagelist li.success")).to_be_visible()

    # then the order is paid, the worker routes it to the maker, and the buyer sees it confirmed
    order.refresh_from_db()
    assert order.status == Order.Status.CONFIRMED
    assert Payment.objects.get(order=order).confirmed_by == superuser
    wait_for(lambda: SubOrder.objects.filter(order=order, routed_at__isnull=False).exists())
    wait_for(
        lambda: Notification.objects.filter(
            recipient=product.shop.owner, kind="order-routed"
        ).exists()
    )
    buyer.goto(order_url)
    expect(buyer.get_by_test_id("bank-transfer")).to_have_count(0)
    # (labels render in Indonesian, the language active in the test too)
    expect(buyer.get_by_test_id("order-status")).to_have_text(str(Order.Status.CONFIRMED.label))


def test_admin_marks_a_payout_paid(open_browser, celery_worker):
    # given an artisan who asked to be paid out her balance
    shop = make_shop(name="Batik Paku Sangatta")
    LedgerEntry(shop=shop, kind=LedgerEntry.Kind.ADJUSTMENT, amount=500_000).save()
    ledger_services.save_payout_account(
        shop=shop, bank_name="BRI", account_number="0123456789", account_holder="Siti Aminah"
    )
    payout = ledger_services.request_payout(shop=shop, by=shop.owner)
    superuser = make_user(email="bendahara@koperasi.example", is_staff=True, is_superuser=True)

    # when the cooperative's treasurer marks it paid from the payout queue
    admin = open_browser(DESKTOP)
    steps.admin_log_in(admin, superuser.email)
    admin.goto("/admin/ledger/payout/")
    admin.locator(f"a[href$='/admin/ledger/payout/{payout.pk}/mark-paid/']").click()
    admin.locator("input[name=transfer_reference]").fill("TRF-20261128-001")
    admin.locator("form input[type=submit]").click()
    expect(admin.locator("ul.messagelist li.success")).to_be_visible()

    # then the payout is paid, the balance is zero, and the worker tells the artisan
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID
    assert payout.transfer_reference == "TRF-20261128-001"
    assert ledger_services.balance_of(shop) == 0
    wait_for(lambda: Notification.objects.filter(recipient=shop.owner).exists(), timeout=30)
