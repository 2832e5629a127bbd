"""The buyer is told at once how to pay, and reminded before an unpaid order expires."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from notifications.models import OutgoingEmail
from notifications.services import send_pending_emails
from orders import lifecycle, placement, routing
from orders.models import Order, Payment, PaymentMethod
from orders.payments.common import mark_order_paid
from orders.tasks import send_payment_reminders_task
from tests.concurrency import all_at_once, requires_row_locks
from tests.factories import ADDRESS, make_product, make_user
from tests.orders.conftest import address_post, set_shipping

pytestmark = pytest.mark.django_db


def _fill_cart(client, *products):
    for product in products:
        client.post(reverse("orders:cart-add"), {"option": product.options.get().pk, "quantity": 1})


def _link_in(text: str) -> str:
    """The site-relative path of the order link written in an email's text."""
    match = re.search(r"http://testserver(/\S+)|http://127\.0\.0\.1:8000(/\S+)", text)
    assert match, text
    return match.group(1) or match.group(2)


def _sent_to(address: str, mailoutbox) -> list:
    send_pending_emails()
    return [email for email in mailoutbox if email.to == [address]]


def test_a_guest_paying_by_transfer_is_emailed_the_account_and_a_working_link(client, mailoutbox):
    # given a guest with batik from two makers in the cart
    paku = make_product(motif="paku", title="Kain Paku Sangatta")
    sawit = make_product(motif="sawit", title="Kain Sawit Rantau Pulung")
    _fill_cart(client, paku, sawit)

    # when they check out by bank transfer, and nobody has confirmed anything yet
    response = client.post(
        reverse("orders:checkout"),
        {"email": "tamu@example.com", "payment_method": "bank_transfer", **address_post()},
    )
    assert response.status_code == 302
    order = Order.objects.get()

    # then one email waits in the outbox for the guest, and goes out
    assert OutgoingEmail.objects.filter(to="tamu@example.com").count() == 1
    [email] = _sent_to("tamu@example.com", mailoutbox)
    text = email.body
    assert order.reference in email.subject
    # what they ordered from whom, and the total
    assert paku.shop.name in text and "Kain Paku Sangatta" in text
    assert sawit.shop.name in text and "Kain Sawit Rantau Pulung" in text
    assert "Rp 730.000" in text  # 2 x 350.000 + 2 x 15.000 local shipping
    # the cooperative's account, the reference to write and the deadline in WITA
    assert "Bank Kaltimtara" in text and "0011223344" in text
    assert "Koperasi Pembatik Kutai Timur" in text
    deadline = timezone.localtime(order.payment_due_at)
    assert f"{deadline:%H:%M} WITA" in text
    # and the HTML version says the same
    html = email.alternatives[0].content
    assert "0011223344" in html and "Rp 730.000" in html

    # and its link opens the order page for anyone holding it, without logging in
    page = Client().get(_link_in(text))
    assert page.status_code == 200
    assert order.reference in page.content.decode()


def test_a_signed_in_buyer_paying_by_card_gets_a_link_to_the_card_page(
    client, mailoutbox, settings
):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    buyer = make_user(email="pembeli@example.com", preferred_language="id")
    client.force_login(buyer)
    _fill_cart(client, make_product())

    client.post(reverse("orders:checkout"), {"payment_method": "card", **address_post()})

    order = Order.objects.get(buyer=buyer)
    [email] = _sent_to("pembeli@example.com", mailoutbox)
    card_page = reverse("orders:pay-card", args=[order.reference])
    assert f"{settings.SITE_URL}{card_page}" in email.body
    assert "0011223344" not in email.body
    assert "Rp 365.000" in email.body
    # the buyer sees it among their notices too
    assert buyer.notifications.filter(kind="order-placed").count() == 1


def test_cash_on_delivery_sends_one_email_not_two(client, mailoutbox):
    item = make_product()
    set_shipping(item.shop, offers_cod=True)
    _fill_cart(client, item)

    client.post(
        reverse("orders:checkout"),
        {"email": "tamu@example.com", "payment_method": "cod", **address_post()},
    )
    order = Order.objects.get()
    assert order.status == Order.Status.CONFIRMED
    routing.route_order(order=order)  # what the worker does right after
    routing.route_order(order=order)

    [email] = _sent_to("tamu@example.com", mailoutbox)
    assert "0011223344" not in email.body
    assert "Bayar saat pesanan diterima" in email.body
    # the artisan still hears of the order
    assert [m.to for m in mailoutbox if m.to != ["tamu@example.com"]] == [[item.shop.owner.email]]


@pytest.mark.parametrize(
    ("language", "expected", "not_expected"),
    [("en", "How to pay", "Cara membayar"), ("id", "Cara membayar", "How to pay")],
)
def test_the_email_is_in_the_language_of_the_checkout(
    client, mailoutbox, language, expected, not_expected
):
    _fill_cart(client, make_product())
    with translation.override(language):
        checkout_url = reverse("orders:checkout")

    response = client.post(
        checkout_url,
        {"email": "tamu@example.com", "payment_method": "bank_transfer", **address_post()},
    )
    assert response.status_code == 302

    [email] = _sent_to("tamu@example.com", mailoutbox)
    assert expected in email.body and not_expected not in email.body
    assert expected in email.alternatives[0].content


def test_an_unknown_payment_method_falls_back_to_the_order_page():
    from orders.how_to_pay import how_to_pay_context

    order = Order(reference="BK-2612-ABCDEF", payment_method="qris", total=350_000)
    context = how_to_pay_context(order=order, order_url="/pesanan/lacak/abc/")
    assert context["kind"] == "order_page"
    assert context["url"].endswith("/pesanan/lacak/abc/")
    assert context["amount"] == 350_000


# --- the reminder before an unpaid order expires -----------------------------------------------


def _transfer_order(*, due_in: timedelta, email: str = "tamu@example.com") -> Order:
    order = placement.place_order(
        buyer=None,
        email=email,
        quantities={make_product().options.get().pk: 1},
        address=dict(ADDRESS),
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
    Order.objects.filter(pk=order.pk).update(payment_due_at=timezone.now() + due_in)
    order.refresh_from_db()
    return order


def test_the_reminder_is_sent_once_even_when_the_sweep_runs_twice(mailoutbox):
    order = _transfer_order(due_in=timedelta(hours=2))

    assert lifecycle.send_payment_reminders() == 1
    assert send_payment_reminders_task() == 0  # the beat's next run

    order.refresh_from_db()
    assert order.payment_reminder_sent_at is not None
    with_reminder = OutgoingEmail.objects.filter(key=f"order-{order.pk}-payment-reminder-buyer")
    assert with_reminder.count() == 1
    send_pending_emails()
    placed, reminded = [m for m in mailoutbox if m.to == ["tamu@example.com"]]
    assert "Pengingat" in reminded.subject  # the guest checked out in Indonesian
    assert order.reference in reminded.subject
    assert "0011223344" in reminded.body and "Rp 365.000" in reminded.body


@requires_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_write_one_reminder():
    order = _transfer_order(due_in=timedelta(hours=1))

    sent = all_at_once(2, lambda _index: lifecycle.send_payment_reminders())

    assert sorted(sent) == [0, 1]
    reminders = OutgoingEmail.objects.filter(key=f"order-{order.pk}-payment-reminder-buyer")
    assert reminders.count() == 1


def test_no_reminder_when_the_deadline_is_further_than_the_window(mailoutbox, settings):
    settings.ORDER_PAYMENT_REMINDER_HOURS = 3
    _transfer_order(due_in=timedelta(hours=5))

    assert lifecycle.send_payment_reminders() == 0
    assert not OutgoingEmail.objects.filter(key__contains="payment-reminder").exists()


def test_no_reminder_for_paid_expired_or_cash_on_delivery_orders(mailoutbox):
    paid = _transfer_order(due_in=timedelta(hours=1), email="lunas@example.com")
    mark_order_paid(order=paid, payment=paid.payments.get())
    expired = _transfer_order(due_in=timedelta(hours=1), email="kedaluwarsa@example.com")
    Order.objects.filter(pk=expired.pk).update(status=Order.Status.EXPIRED)
    proof = _transfer_order(due_in=timedelta(hours=1), email="bukti@example.com")
    proof.payments.update(status=Payment.Status.PROOF_SUBMITTED)
    item = make_product()
    set_shipping(item.shop, offers_cod=True)
    placement.place_order(
        buyer=None,
        email="cod@example.com",
        quantities={item.options.get().pk: 1},
        address=dict(ADDRESS),
        payment_method=PaymentMethod.COD,
    )

    assert lifecycle.send_payment_reminders() == 0
    assert not OutgoingEmail.objects.filter(key__contains="payment-reminder").exists()
