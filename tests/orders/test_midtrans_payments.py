"""Paying by QRIS, virtual account or e-wallet through a local fake Midtrans, from the buyer's
checkout to the order paid, with notifications forged, repeated, late or lost, and refunds."""

import hashlib
import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ledger.models import LedgerEntry
from notifications.models import Notification, OutgoingEmail
from notifications.services import send_pending_emails
from orders import lifecycle, routing
from orders.models import (
    MidtransCharge,
    MidtransNotification,
    MidtransRefund,
    Order,
    Payment,
    PaymentMethod,
    SubOrder,
)
from orders.payments import midtrans, midtrans_refunds
from orders.payments import midtrans_api as api
from orders.tasks import refund_suborder_task, send_midtrans_refund_task
from tests.factories import ADDRESS, make_product, make_user
from tests.orders.conftest import address_post
from tests.orders.midtrans_server import (  # noqa: F401 (fixtures)
    SERVER_KEY,
    fake_midtrans_fixture,
    midtrans_server_fixture,
    notification_receiver_fixture,
)

pytestmark = pytest.mark.django_db

NOTIFY_URL = "/midtrans/notification/"


def _online_order(*products, channel="bca_va", buyer=None) -> Order:
    """An order paid online; with pickup there is no shipping, so the total is the batik's."""
    from orders import placement

    buyer = buyer or make_user()
    return placement.place_order(
        buyer=buyer,
        email=buyer.email,
        quantities={product.options.get().pk: 1 for product in products},
        address=ADDRESS,
        payment_method=PaymentMethod.MIDTRANS,
        channel=channel,
        pickup_shop_ids={product.shop_id for product in products},
    )


def _charge(order: Order, channel: str = "") -> MidtransCharge:
    return midtrans.start_charge(payment=order.payments.get(), channel=channel)


def _deliver(client, body: dict):
    return client.post(NOTIFY_URL, data=json.dumps(body), content_type="application/json")


def _pay_and_deliver(client, fake_midtrans, receiver, charge: MidtransCharge) -> dict:
    fake_midtrans.pay(charge.gateway_order_id)
    body = receiver.wait_for(charge.gateway_order_id, "settlement")
    assert _deliver(client, body).status_code == 200
    return body


def _signed(body: dict, key: str = SERVER_KEY) -> dict:
    raw = body["order_id"] + body["status_code"] + body["gross_amount"] + key
    return {**body, "signature_key": hashlib.sha512(raw.encode()).hexdigest()}


# --- The buyer's journey -----------------------------------------------------------------------


def test_checkout_by_bca_va_shows_the_number_amount_and_deadline(client, fake_midtrans):
    product = make_product(price=350_000)
    client.post(
        "/en/pesanan/keranjang/tambah/", {"option": product.options.get().pk, "quantity": 1}
    )
    response = client.post(
        "/en/pesanan/checkout/",
        {"email": "tamu@example.com", "payment_method": "bca_va", **address_post()},
    )
    order = Order.objects.get()
    assert order.payment_method == PaymentMethod.MIDTRANS
    assert response.status_code == 302 and response["Location"].endswith("/bayar-online/")

    page = client.get(response["Location"])

    charge = MidtransCharge.objects.get()
    assert charge.channel == "bca_va" and charge.va_number
    assert charge.gateway_order_id == f"{order.reference}-1"
    html = page.content.decode()
    assert charge.va_number in html
    assert "Rp " in html and order.payment_due_at is not None
    # The page gives the gateway's own deadline for the number (within a minute of the order's:
    # at a minute's turn the two can read one minute apart).
    deadline = timezone.localtime(charge.expires_at).strftime("%H:%M")
    assert f"{deadline} WITA" in html
    # The charge at Midtrans asks exactly the order's total and ends at the order's deadline.
    [at_gateway] = fake_midtrans.charges()
    assert at_gateway["gross_amount"] == f"{order.total}.00"
    assert abs(charge.expires_at - order.payment_due_at) < timedelta(minutes=1)


def test_qris_is_drawn_here_as_inline_svg(client, fake_midtrans):
    order = _online_order(make_product(price=275_000), channel="qris")
    client.force_login(order.buyer)
    page = client.get(f"/en/pesanan/{order.reference}/bayar-online/")
    html = page.content.decode()
    assert "<svg" in html and 'data-testid="pay-qr"' in html
    assert "<img" not in html.split('data-testid="pay-qr"')[1].split("</figure>")[0]


def test_mandiri_shows_biller_code_and_bill_key(client, fake_midtrans):
    order = _online_order(make_product(), channel="mandiri_bill")
    client.force_login(order.buyer)
    html = client.get(f"/en/pesanan/{order.reference}/bayar-online/").content.decode()
    charge = MidtransCharge.objects.get()
    assert charge.biller_code and charge.bill_key
    assert charge.biller_code in html and charge.bill_key in html


def test_paying_the_va_pays_the_order_once_and_routes_it(
    client, fake_midtrans, notification_receiver, django_capture_on_commit_callbacks
):
    order = _online_order(make_product(price=350_000), make_product(price=150_000))
    charge = _charge(order)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _pay_and_deliver(client, fake_midtrans, notification_receiver, charge)
    order.refresh_from_db()
    assert order.paid_at is not None and order.status == Order.Status.CONFIRMED
    assert order.payments.get().status == Payment.Status.PAID
    assert len(callbacks) == 1  # routing, queued once

    status = client.get(f"/en/pesanan/{order.reference}/bayar-online/status/")
    assert status.status_code == 404  # not signed in as the buyer
    client.force_login(order.buyer)
    assert client.get(f"/en/pesanan/{order.reference}/bayar-online/status/").json()["paid"]


def test_switching_channel_makes_a_fresh_charge_and_cancels_the_old_one(
    client, fake_midtrans, django_capture_on_commit_callbacks, eager_tasks
):
    order = _online_order(make_product(), channel="bca_va")
    first = _charge(order)
    with django_capture_on_commit_callbacks(execute=True):
        second = _charge(order, "qris")
    assert second.gateway_order_id == f"{order.reference}-2" and second.qr_string
    first.refresh_from_db()
    assert first.status == MidtransCharge.Status.CANCELLED
    states = {c["order_id"]: c["transaction_status"] for c in fake_midtrans.charges()}
    assert states == {first.gateway_order_id: "cancel", second.gateway_order_id: "pending"}
    assert order.payments.get().channel == "qris"


def test_the_guest_is_emailed_the_va_number_and_a_link_back_to_pay(
    client, fake_midtrans, mailoutbox
):
    product = make_product(price=350_000)
    client.post(
        "/en/pesanan/keranjang/tambah/", {"option": product.options.get().pk, "quantity": 1}
    )
    response = client.post(
        "/en/pesanan/checkout/",
        {"email": "tamu@example.com", "payment_method": "bni_va", **address_post()},
    )
    assert not OutgoingEmail.objects.exists()  # the VA number is not known before Midtrans answers
    client.get(response["Location"])
    charge = MidtransCharge.objects.get()

    send_pending_emails()
    [email] = [email for email in mailoutbox if email.to == ["tamu@example.com"]]
    assert charge.va_number in email.body and "Rp 350.000" in email.body
    link = re.search(r"https?://[^/\s]+(/\S+/bayar-online/)", email.body).group(1)
    # the link opens the payment page for the guest, who may have closed the tab
    assert charge.va_number in Client().get(link).content.decode()


def test_a_guest_who_closed_the_tab_at_once_is_still_emailed_by_the_sweep(
    client, fake_midtrans, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    order = _online_order(make_product(), channel="qris")  # and the payment page never opened
    MidtransCharge.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert midtrans.check_open_charges() == 1
    charge = MidtransCharge.objects.get()
    assert charge.status == MidtransCharge.Status.PENDING and charge.qr_string
    send_pending_emails()
    [email] = [email for email in mailoutbox if email.to == [order.email]]
    assert "/bayar-online/" in email.body


# --- Notifications: verified, once, in any order -------------------------------------------------


def _settlement(fake_midtrans, receiver, charge) -> dict:
    fake_midtrans.pay(charge.gateway_order_id)
    return receiver.wait_for(charge.gateway_order_id, "settlement")


@pytest.mark.parametrize(
    "forge",
    [
        lambda body: {**body, "signature_key": "0" * 128},  # forged
        lambda body: {**body, "gross_amount": "1.00"},  # tampered after signing
        lambda body: _signed(body, key="SB-Mid-server-someone-else"),  # another key
        lambda body: {k: v for k, v in body.items() if k != "signature_key"},  # unsigned
    ],
)
def test_bad_notifications_are_refused_without_a_write(
    client, fake_midtrans, notification_receiver, forge
):
    order = _online_order(make_product())
    body = _settlement(fake_midtrans, notification_receiver, _charge(order))
    response = _deliver(client, forge(body))
    assert response.status_code == 403
    assert not MidtransNotification.objects.exists()
    order.refresh_from_db()
    assert order.paid_at is None


def test_a_signed_notification_for_an_unknown_order_is_refused(client, fake_midtrans):
    body = _signed(
        {
            "order_id": "BK-0000-NOSUCH-1",
            "status_code": "200",
            "gross_amount": "350000.00",
            "transaction_status": "settlement",
            "transaction_id": "x-1",
        }
    )
    assert _deliver(client, body).status_code == 404
    assert not MidtransNotification.objects.exists()


def test_a_stale_body_does_not_move_money(client, fake_midtrans, notification_receiver):
    # given a correctly signed "settlement" for a charge that Midtrans says is still pending
    order = _online_order(make_product(price=350_000))
    charge = _charge(order)
    body = _signed(
        {
            "order_id": charge.gateway_order_id,
            "status_code": "200",
            "gross_amount": f"{charge.amount}.00",
            "transaction_status": "settlement",
            "transaction_id": charge.transaction_id,
        }
    )
    assert _deliver(client, body).status_code == 200
    order.refresh_from_db()
    assert order.paid_at is None  # the status read back said pending


def test_the_same_settlement_three_times_and_after_expire_pays_routes_and_notifies_once(
    client, fake_midtrans, notification_receiver, django_capture_on_commit_callbacks, eager_tasks
):
    product = make_product(price=350_000)
    order = _online_order(product)
    charge = _charge(order)
    body = _settlement(fake_midtrans, notification_receiver, charge)
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = [_deliver(client, body).json()["outcome"] for _ in range(3)]
    assert outcomes == ["paid", "duplicate", "duplicate"]
    # an expire arriving late (out of order) changes nothing
    late = _signed({**body, "transaction_status": "expire", "status_code": "407"})
    assert _deliver(client, late).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.CONFIRMED and order.routed_at is not None
    assert MidtransNotification.objects.filter(transaction_status="settlement").count() == 1
    artisan_notices = Notification.objects.filter(recipient=product.shop.owner)
    assert artisan_notices.count() == 1
    assert (
        Notification.objects.filter(recipient=order.buyer, key__contains="confirmed").count() == 1
    )


def test_settlement_after_our_expiry_is_refunded_not_honoured(
    client, fake_midtrans, notification_receiver, django_capture_on_commit_callbacks, eager_tasks
):
    # given a QRIS order that expired on our side (stock back) before its cancel reached Midtrans
    product = make_product(price=200_000, stock=1)
    order = _online_order(product, channel="qris")
    charge = _charge(order)
    Order.objects.filter(pk=order.pk).update(payment_due_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=False):
        assert lifecycle.expire_unpaid_orders() == 1
    assert product.options.get().stock == 1
    # when the buyer's payment settles at Midtrans all the same
    with django_capture_on_commit_callbacks(execute=True):
        _pay_and_deliver(client, fake_midtrans, notification_receiver, charge)
    # then the order stays expired and the money goes back through Midtrans, once
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED and order.routed_at is None
    refund = MidtransRefund.objects.get()
    assert refund.status == MidtransRefund.Status.SUCCEEDED and refund.amount == 200_000
    assert fake_midtrans.charges()[0]["transaction_status"] == "refund"


def test_a_wrong_amount_is_refused_and_kept_for_the_admin(client, fake_midtrans, admin_client):
    # given a charge at Midtrans for another amount than our request asks (made under our id)
    order = _online_order(make_product(price=350_000))
    payment = order.payments.get()
    gateway_id = f"{order.reference}-1"
    api.charge(
        channel="bca_va",
        order_id=gateway_id,
        amount=300_000,
        expires_at=payment.due_at,
        email=order.email,
    )
    charge = _charge(order)  # reads the existing charge back
    fake_midtrans.pay(gateway_id)
    midtrans.sync_charge(charge_id=charge.pk)
    charge.refresh_from_db()
    order.refresh_from_db()
    assert charge.status == MidtransCharge.Status.AMOUNT_MISMATCH
    assert charge.paid_amount == 300_000 and order.paid_at is None
    listing = admin_client.get("/admin/orders/midtranscharge/?status=amount_mismatch")
    assert gateway_id in listing.content.decode()


def test_a_lost_notification_is_recovered_by_the_sweep(
    fake_midtrans, django_capture_on_commit_callbacks, eager_tasks
):
    order = _online_order(make_product())
    charge = _charge(order)
    fake_midtrans.hold_notifications()
    fake_midtrans.pay(charge.gateway_order_id)
    five_minutes_ago = timezone.now() - timedelta(minutes=5)
    MidtransCharge.objects.filter(pk=charge.pk).update(
        created_at=five_minutes_ago, last_checked_at=five_minutes_ago
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert midtrans.check_open_charges() == 1
    order.refresh_from_db()
    assert order.paid_at is not None


def test_expiry_returns_the_stock_and_cancels_the_charge(
    fake_midtrans, django_capture_on_commit_callbacks, eager_tasks
):
    product = make_product(stock=2)
    order = _online_order(product)
    charge = _charge(order)
    assert product.options.get().stock == 1
    Order.objects.filter(pk=order.pk).update(payment_due_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert lifecycle.expire_unpaid_orders() == 1
    assert product.options.get().stock == 2
    charge.refresh_from_db()
    assert charge.status == MidtransCharge.Status.CANCELLED
    assert fake_midtrans.charges()[0]["transaction_status"] == "cancel"


# --- Refunds -------------------------------------------------------------------------------------


def _paid_order(client, fake_midtrans, receiver, *products, channel) -> Order:
    order = _online_order(*products, channel=channel)
    _pay_and_deliver(client, fake_midtrans, receiver, _charge(order))
    order.refresh_from_db()
    assert routing.route_order(order=order)
    return order


def test_a_declined_qris_sub_order_is_refunded_once(
    client, fake_midtrans, notification_receiver, eager_tasks, django_capture_on_commit_callbacks
):
    paku, sawit = make_product(price=350_000), make_product(price=1_250_000, motif="sawit")
    order = _paid_order(client, fake_midtrans, notification_receiver, paku, sawit, channel="qris")
    declined = order.suborders.get(shop=sawit.shop)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.transition_suborder(
            suborder=declined, to=SubOrder.Status.DECLINED, by=sawit.shop.owner, reason="Kain habis"
        )
    refund_suborder_task(declined.pk)
    refund_suborder_task.apply(args=(declined.pk,))

    refund = MidtransRefund.objects.get()
    assert refund.status == MidtransRefund.Status.SUCCEEDED and refund.amount == 1_250_000
    [at_gateway] = fake_midtrans.charges()
    assert at_gateway["refund_amount"] == "1250000.00"
    payment = order.payments.get()
    assert payment.refunded_amount == 1_250_000 and payment.status == Payment.Status.PAID
    declined.refresh_from_db()
    assert declined.refunded_at is not None
    assert send_midtrans_refund_task(refund.pk) == "nothing to send"
    # nothing was credited to the maker for a declined sale, so nothing is taken back
    assert not LedgerEntry.objects.filter(shop=sawit.shop).exists()


def test_a_declined_va_sub_order_is_owed_by_hand_and_the_buyer_gives_an_account(
    client, fake_midtrans, notification_receiver, eager_tasks, django_capture_on_commit_callbacks
):
    product = make_product(price=350_000)
    order = _paid_order(client, fake_midtrans, notification_receiver, product, channel="bni_va")
    suborder = order.suborders.get()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.transition_suborder(
            suborder=suborder, to=SubOrder.Status.DECLINED, by=product.shop.owner, reason="Rusak"
        )
    refund = MidtransRefund.objects.get()
    assert refund.status == MidtransRefund.Status.OWED
    assert Notification.objects.filter(key=f"midtrans-refund-{refund.pk}-account-request").exists()

    client.force_login(order.buyer)
    page = client.get(f"/en/pesanan/{order.reference}/")
    assert 'data-testid="refund-account"' in page.content.decode()
    bad = client.post(
        f"/en/pesanan/{order.reference}/rekening-refund/{refund.pk}/",
        {"bank_name": "BNI", "account_number": "abc", "account_holder": "Siti"},
        follow=True,
    )
    assert "only digits" in bad.content.decode()
    client.post(
        f"/en/pesanan/{order.reference}/rekening-refund/{refund.pk}/",
        {"bank_name": "BNI", "account_number": "0123 4567 89", "account_holder": "Siti Aminah"},
    )
    refund.refresh_from_db()
    assert refund.account_number == "0123456789" and refund.account_given_at is not None

    admin = make_user(is_staff=True, is_superuser=True)
    assert midtrans_refunds.record_refund_paid_by_hand(refund=refund, by=admin)
    assert not midtrans_refunds.record_refund_paid_by_hand(refund=refund, by=admin)
    suborder.refresh_from_db()
    assert suborder.refunded_at is not None
    assert order.payments.get().status == Payment.Status.REFUNDED


def test_another_buyer_cannot_give_the_account_of_a_refund(
    client, fake_midtrans, notification_receiver, eager_tasks, django_capture_on_commit_callbacks
):
    product = make_product()
    order = _paid_order(client, fake_midtrans, notification_receiver, product, channel="bri_va")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.transition_suborder(
            suborder=order.suborders.get(),
            to=SubOrder.Status.DECLINED,
            by=product.shop.owner,
            reason="Kain habis",
        )
    refund = MidtransRefund.objects.get()
    client.force_login(make_user())
    response = client.post(
        f"/en/pesanan/{order.reference}/rekening-refund/{refund.pk}/",
        {"bank_name": "BRI", "account_number": "99999999", "account_holder": "Penipu"},
    )
    assert response.status_code == 404
    refund.refresh_from_db()
    assert refund.account_number == ""


def test_a_request_paid_twice_sends_the_second_payment_back(
    client, fake_midtrans, notification_receiver, eager_tasks, django_capture_on_commit_callbacks
):
    # given a buyer who switched from QRIS to a BCA VA before the QRIS's cancel reached Midtrans
    order = _online_order(make_product(price=400_000), channel="qris")
    qris = _charge(order)
    with django_capture_on_commit_callbacks(execute=False):
        va = _charge(order, "bca_va")
    # when both are paid
    with django_capture_on_commit_callbacks(execute=True):
        _pay_and_deliver(client, fake_midtrans, notification_receiver, va)
        _pay_and_deliver(client, fake_midtrans, notification_receiver, qris)
    # then the order is paid once by the VA, and the QRIS money goes back through Midtrans
    order.refresh_from_db()
    assert order.status == Order.Status.CONFIRMED
    refund = MidtransRefund.objects.get()
    assert refund.charge_id == qris.pk and refund.suborder is None
    assert refund.status == MidtransRefund.Status.SUCCEEDED and refund.amount == 400_000
    assert order.payments.get().status == Payment.Status.PAID


def test_a_qris_whose_first_answer_was_lost_is_charged_afresh(
    client, fake_midtrans, eager_tasks, django_capture_on_commit_callbacks
):
    # given a QRIS charge Midtrans made under our id, whose answer (with its QR) never reached us
    order = _online_order(make_product(price=275_000), channel="qris")
    payment = order.payments.get()
    lost = f"{order.reference}-1"
    api.charge(
        channel="qris", order_id=lost, amount=payment.amount, expires_at=payment.due_at,
        email=order.email,
    )  # fmt: skip
    # when the buyer opens the payment page
    with django_capture_on_commit_callbacks(execute=True):
        charge = _charge(order)
    # then they get a fresh QR under a new id, and the one they cannot see is cancelled
    assert charge.gateway_order_id == f"{order.reference}-2" and charge.qr_string
    states = {c["order_id"]: c["transaction_status"] for c in fake_midtrans.charges()}
    assert states == {lost: "cancel", charge.gateway_order_id: "pending"}


def _state(charge: MidtransCharge, status: str, **changes) -> api.Charge:
    """Midtrans' word on a charge, as a notification's status read would bring it."""
    values = {
        "order_id": charge.gateway_order_id, "transaction_id": charge.transaction_id,
        "payment_type": "gopay", "channel": charge.channel, "status": status,
        "fraud_status": "accept", "status_code": "200", "gross_amount": charge.amount,
        "va_number": "", "bank": "", "biller_code": "", "bill_key": "", "qr_string": "",
        "deeplink_url": "", "expires_at": None, "settled_at": None,
    }  # fmt: skip
    return api.Charge(**{**values, **changes})


def test_a_denied_gopay_charge_lets_the_buyer_pay_again(fake_midtrans):
    order = _online_order(make_product(), channel="gopay")
    charge = _charge(order)
    assert midtrans.apply_charge_state(charge=charge, state=_state(charge, "deny")) == "deny"
    charge.refresh_from_db()
    assert charge.status == MidtransCharge.Status.DENIED
    order.refresh_from_db()
    assert order.paid_at is None and order.status == Order.Status.AWAITING_PAYMENT
    again = _charge(order)
    assert again.pk != charge.pk and again.status == MidtransCharge.Status.PENDING


def test_a_capture_under_fraud_review_pays_nothing_until_accepted(fake_midtrans, eager_tasks):
    order = _online_order(make_product())
    charge = _charge(order)
    review = _state(charge, "capture", fraud_status="challenge")
    assert midtrans.apply_charge_state(charge=charge, state=review) == "noted: capture"
    order.refresh_from_db()
    assert order.paid_at is None
    assert midtrans.apply_charge_state(charge=charge, state=_state(charge, "capture")) == "paid"
    order.refresh_from_db()
    assert order.paid_at is not None


def test_a_settlement_after_midtrans_expired_the_charge_is_honoured_while_stock_is_held(
    fake_midtrans, eager_tasks
):
    # Midtrans reported the charge expired, but our order still holds its stock (not expired yet)
    order = _online_order(make_product(stock=1))
    charge = _charge(order)
    midtrans.apply_charge_state(charge=charge, state=_state(charge, "expire"))
    # then the buyer's bank settles it after all: the order is paid, not refunded
    assert midtrans.apply_charge_state(charge=charge, state=_state(charge, "settlement")) == "paid"
    order.refresh_from_db()
    assert order.status == Order.Status.CONFIRMED and not MidtransRefund.objects.exists()
