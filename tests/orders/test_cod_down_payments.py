"""Cash on delivery with a down payment: the down payment of made-to-order work is paid online at
checkout, everything else in cash to the maker at the door; every balance exact at every step."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from ledger import services as ledger
from ledger.models import LedgerEntry
from notifications.models import OutgoingEmail
from orders import lifecycle, placement, progress, routing
from orders.models import MidtransCharge, MidtransRefund, Order, Payment, PaymentMethod, SubOrder
from orders.payments.transfer import confirm_transfer, submit_transfer_proof
from tests.catalog.imagefiles import jpeg_bytes
from tests.factories import ADDRESS, make_product, make_shop, make_user
from tests.orders.conftest import address_post, set_shipping
from tests.orders.midtrans_server import (  # noqa: F401 (fixtures)
    fake_midtrans_fixture,
    midtrans_server_fixture,
    notification_receiver_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

S = SubOrder.Status
Kind = LedgerEntry.Kind
# A hand-drawn kain made to order (50 % down) and a ready-made selendang, shipped for Rp 15.000.
KAIN, SELENDANG, SHIPPING = 1_000_000, 200_000, 15_000
DOWN = 500_000
CASH = KAIN - DOWN + SELENDANG + SHIPPING  # Rp 715.000 at the door
DOWN_COMMISSION = 25_000  # 5 % of the down payment
COMMISSION = 60_000  # 5 % of the goods, Rp 1.200.000


def _photo(name: str = "mulai.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(), "image/jpeg")


def _shop_and_products():
    shop = make_shop(down_payment_percent=50)
    set_shipping(shop, offers_cod=True, rate_local=SHIPPING)
    kain = make_product(shop=shop, price=KAIN, is_made_to_order=True, lead_time_days=21)
    selendang = make_product(shop=shop, price=SELENDANG, stock=2)
    return shop, kain, selendang


def _cod_order(*, down_payment_method=PaymentMethod.BANK_TRANSFER, channel=""):
    shop, kain, selendang = _shop_and_products()
    buyer = make_user()
    order = placement.place_order(
        buyer=buyer,
        email=buyer.email,
        quantities={kain.options.get().pk: 1, selendang.options.get().pk: 1},
        address=ADDRESS,
        payment_method=PaymentMethod.COD,
        down_payment_method=down_payment_method,
        channel=channel,
    )
    return order, order.suborders.get(), shop


def _pay_down_payment(order, capture) -> Order:
    payment = order.payments.get()
    submit_transfer_proof(order=order, proof=_photo("bukti.jpg"))
    with capture(execute=True):
        confirm_transfer(payment=Payment.objects.get(pk=payment.pk), by=make_user(is_staff=True))
    return Order.objects.get(pk=order.pk)


def _move(suborder, to, by, capture, **details) -> SubOrder:
    with capture(execute=True):
        return lifecycle.transition_suborder(suborder=suborder, to=to, by=by, **details)


def _accepted(capture):
    order, suborder, shop = _cod_order()
    order = _pay_down_payment(order, capture)
    routing.route_order(order=order)
    suborder = _move(
        SubOrder.objects.get(pk=suborder.pk),
        S.ACCEPTED,
        shop.owner,
        capture,
        ready_by=timezone.localdate() + timedelta(days=21),
    )
    return order, suborder, shop


def _start(suborder, shop, capture) -> SubOrder:
    with capture(execute=True):
        progress.start_work(suborder=suborder, by=shop.owner, photo=_photo(), caption="Mulai")
    return SubOrder.objects.get(pk=suborder.pk)


def _account(shop):
    ledger.save_payout_account(
        shop=shop, bank_name="BRI", account_number="0123456789", account_holder="Siti Aminah"
    )


def test_a_cod_order_asks_only_the_down_payment_online_and_waits_for_it():
    order, suborder, _shop = _cod_order()

    # the down payment is asked now, by transfer, by a deadline; the rest is cash at the door
    [payment] = order.payments.all()
    assert (payment.purpose, payment.method, payment.amount) == (
        Payment.Purpose.DOWN_PAYMENT,
        PaymentMethod.BANK_TRANSFER,
        DOWN,
    )
    assert order.payment_method == PaymentMethod.COD and order.total == KAIN + SELENDANG + SHIPPING
    assert (suborder.down_payment, suborder.collected_in_cash) == (DOWN, CASH)
    # not confirmed, so not routed to the maker before the down payment is paid
    assert order.status == Order.Status.AWAITING_PAYMENT and order.payment_due_at is not None
    assert not Order.objects.due_for_routing(older_than=timezone.now() + timedelta(days=1))
    assert suborder.routed_at is None


def test_cod_without_made_to_order_work_stays_fully_cash_and_confirmed_at_once():
    shop, _kain, selendang = _shop_and_products()
    order = placement.place_order(
        buyer=None,
        email="tamu@example.com",
        quantities={selendang.options.get().pk: 1},
        address=ADDRESS,
        payment_method=PaymentMethod.COD,
        down_payment_method=PaymentMethod.BANK_TRANSFER,  # nothing to pay down: ignored
    )
    [payment] = order.payments.all()
    assert (payment.method, payment.amount) == (PaymentMethod.COD, SELENDANG + SHIPPING)
    assert order.status == Order.Status.CONFIRMED
    assert order.suborders.get().collected_in_cash == SELENDANG + SHIPPING


def test_a_cod_order_with_a_down_payment_needs_a_way_to_pay_it():
    shop, kain, _selendang = _shop_and_products()
    with pytest.raises(Exception, match="uang muka|down payment"):
        placement.place_order(
            buyer=None,
            email="tamu@example.com",
            quantities={kain.options.get().pk: 1},
            address=ADDRESS,
            payment_method=PaymentMethod.COD,
        )
    assert not Order.objects.exists()


def test_the_cod_made_to_order_journey_keeps_every_balance_exact(
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    # given the down payment paid online and the order accepted by the maker
    order, suborder, shop = _accepted(capture)
    assert order.status == Order.Status.CONFIRMED and suborder.routed_at is not None
    assert ledger.balance_of(shop) == 0

    # when the maker marks the work started, the down payment less its commission is theirs
    suborder = _start(suborder, shop, capture)
    assert ledger.balance_of(shop) == DOWN - DOWN_COMMISSION
    _account(shop)
    payout = ledger.request_payout(shop=shop, by=shop.owner)
    assert payout.amount == DOWN - DOWN_COMMISSION and ledger.balance_of(shop) == 0

    # when it is ready, nothing more is asked online: the rest is cash at the door
    suborder = _move(suborder, S.READY, shop.owner, capture)
    assert not Payment.objects.filter(purpose=Payment.Purpose.BALANCE).exists()
    ready = suborder.events.last()
    assert "Rp 715.000" in ready.note
    # and the buyer is told by email what to have ready in cash
    assert "Rp 715.000" in OutgoingEmail.objects.get(key=f"suborder-event-{ready.pk}-buyer").text
    assert ledger.balance_of(shop) == 0

    # and it ships without waiting for an online payment
    suborder = _move(suborder, S.SHIPPED, shop.owner, capture, courier="JNE", tracking_number="1")
    assert suborder.status == S.SHIPPED and ledger.balance_of(shop) == 0

    # when the buyer receives it and pays the rest in cash, the sale is credited and the cash
    # the maker took in recorded: the maker owes the commission on what they collected
    suborder = _move(suborder, S.DELIVERED, order.buyer, capture)
    entries = {e.kind: e.amount for e in LedgerEntry.objects.filter(suborder=suborder)}
    assert entries == {
        Kind.DOWN_PAYMENT: DOWN,
        Kind.DOWN_PAYMENT_COMMISSION: -DOWN_COMMISSION,
        Kind.SALE: KAIN + SELENDANG - DOWN,
        Kind.COMMISSION: -(COMMISSION - DOWN_COMMISSION),
        Kind.SHIPPING: SHIPPING,
        Kind.COLLECTED_IN_CASH: -CASH,
    }
    # over the journey: the cooperative held the down payment, paid out its share, keeps the
    # whole commission; nothing is left for a payout run to pay twice
    assert ledger.balance_of(shop) == -(COMMISSION - DOWN_COMMISSION)
    assert ledger.create_payout_run(minimum=1) is None

    _move(suborder, S.COMPLETED, None, capture)
    assert ledger.record_missing_sales() == 0
    assert ledger.balance_of(shop) == -(COMMISSION - DOWN_COMMISSION)


def test_a_cancel_before_the_work_starts_refunds_the_down_payment_only(
    django_capture_on_commit_callbacks,
):
    order, suborder, shop = _accepted(django_capture_on_commit_callbacks)
    suborder = _move(suborder, S.CANCELLED, order.buyer, django_capture_on_commit_callbacks)
    suborder.refresh_from_db()
    # what was paid online goes back; the cash was never paid
    assert suborder.is_refund_due and suborder.refund_due_amount == DOWN
    assert not suborder.is_down_payment_kept
    assert ledger.balance_of(shop) == 0


def test_a_cancel_after_the_work_started_leaves_the_down_payment_with_the_maker(
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    order, suborder, shop = _accepted(capture)
    suborder = _start(suborder, shop, capture)
    _move(suborder, S.CANCELLED, order.buyer, capture)
    suborder.refresh_from_db()
    assert suborder.is_down_payment_kept and not suborder.is_refund_due
    assert ledger.balance_of(shop) == DOWN - DOWN_COMMISSION
    assert ledger.record_missing_sales() == 0


def test_a_down_payment_unpaid_by_its_deadline_expires_the_order_unrouted():
    order, suborder, _shop = _cod_order()
    Order.objects.filter(pk=order.pk).update(payment_due_at=timezone.now() - timedelta(minutes=1))

    assert lifecycle.expire_unpaid_orders() == 1

    order.refresh_from_db()
    suborder.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
    assert suborder.status == S.CANCELLED and suborder.routed_at is None
    assert order.payments.get().status == Payment.Status.CANCELLED
    assert OutgoingEmail.objects.filter(key__contains="expired").exists()


def test_the_reminder_goes_out_for_an_unpaid_cod_down_payment(settings):
    order, _suborder, _shop = _cod_order()
    Order.objects.filter(pk=order.pk).update(
        payment_due_at=timezone.now() + timedelta(hours=settings.ORDER_PAYMENT_REMINDER_HOURS - 1)
    )
    assert lifecycle.send_payment_reminders() == 1


def test_the_placement_email_says_what_is_paid_now_and_what_in_cash():
    order, _suborder, _shop = _cod_order()
    email = OutgoingEmail.objects.get(to=order.email)
    with translation.override("id"):
        assert "Rp 500.000" in email.text and "Rp 715.000" in email.text
    assert "uang muka" in email.text.lower() and "tunai" in email.text
    assert "Rp 1.215.000" not in email.text.split("==")[2].split("\n\n")[0]
    assert "Rp 715.000" in email.html


# --- the checkout and the order page ------------------------------------------------------------


def _cart(client):
    shop, kain, selendang = _shop_and_products()
    for product in (kain, selendang):
        client.post(reverse("orders:cart-add"), {"option": product.options.get().pk, "quantity": 1})
    return shop


@pytest.mark.parametrize(
    ("language", "now", "door"),
    [
        ("id", "uang mukanya, Rp 500.000, Anda bayar online sekarang", "tunai kepada pembatik"),
        ("en", "its down payment, Rp 500.000, online now", "in cash to the maker"),
    ],
)
def test_the_checkout_says_what_is_paid_now_and_how_and_what_in_cash(client, language, now, door):
    _cart(client)
    with translation.override(language):
        page = client.get(reverse("orders:checkout")).content.decode()
    box = page.split('data-testid="cod-down-payment"', 1)[1].split("</div>", 1)[0]
    assert now in box and door in box
    assert 'name="down_payment_by"' in box and 'value="bank_transfer"' in box


def test_a_cod_checkout_without_a_way_to_pay_the_down_payment_says_so(client):
    _cart(client)
    response = client.post(
        reverse("orders:checkout"),
        {"email": "tamu@example.com", "payment_method": "cod", **address_post()},
    )
    assert response.status_code == 200 and not Order.objects.exists()
    assert "Pilih cara membayar uang muka sekarang" in response.content.decode()


def test_a_cod_checkout_pays_the_down_payment_by_transfer_and_shows_the_cash_due(client):
    _cart(client)
    response = client.post(
        reverse("orders:checkout"),
        {
            "email": "tamu@example.com",
            "payment_method": "cod",
            "down_payment_by": "bank_transfer",
            **address_post(),
        },
    )
    order = Order.objects.get()
    assert response.status_code == 302
    assert order.payments.get().method == PaymentMethod.BANK_TRANSFER

    page = client.get(response["Location"]).content.decode()
    transfer = page.split('data-testid="bank-transfer"', 1)[1].split("</section>", 1)[0]
    assert "Rp 500.000" in transfer  # the transfer asked is the down payment
    cash = page.split('data-testid="cash-at-door"', 1)[1].split("</p>", 1)[0]
    assert "Rp 500.000" in cash and "Rp 715.000" in cash and "tunai" in cash
    down = page.split('data-testid="down-payment"', 1)[1].split("</p>", 1)[0]
    assert "Rp 715.000" in down


def test_the_maker_sees_the_cash_to_collect(client, django_capture_on_commit_callbacks):
    _order, suborder, shop = _accepted(django_capture_on_commit_callbacks)
    client.force_login(shop.owner)
    page = client.get(reverse("dashboard:order-detail", args=[suborder.pk])).content.decode()
    note = page.split('data-testid="cash-at-door"', 1)[1].split("</p>", 1)[0]
    assert "Rp 500.000" in note and "Rp 715.000" in note


# --- the down payment through Midtrans ---------------------------------------------------------


def test_a_cod_down_payment_by_qris_is_paid_on_the_online_page_and_refunded_there(
    client, fake_midtrans, notification_receiver, django_capture_on_commit_callbacks
):
    # given a COD checkout whose down payment the buyer pays by QRIS
    _cart(client)
    response = client.post(
        reverse("orders:checkout"),
        {
            "email": "tamu@example.com",
            "payment_method": "cod",
            "down_payment_by": "qris",
            **address_post(),
        },
    )
    order = Order.objects.get()
    assert response["Location"].endswith("/bayar-online/")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Rp 500.000" in page.content.decode()
    [at_gateway] = fake_midtrans.charges()
    assert at_gateway["gross_amount"] == f"{DOWN}.00"  # the down payment, not the order's total

    # when it is paid, the order is confirmed and goes to the maker
    charge = MidtransCharge.objects.get()
    fake_midtrans.pay(charge.gateway_order_id)
    body = notification_receiver.wait_for(charge.gateway_order_id, "settlement")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/midtrans/notification/", data=body, content_type="application/json")
    order.refresh_from_db()
    assert order.status == Order.Status.CONFIRMED and order.paid_at is not None
    routing.route_order(order=order)

    # and a cancel before the work starts sends the down payment back through Midtrans
    suborder = order.suborders.get()
    _move(suborder, S.CANCELLED, None, django_capture_on_commit_callbacks, as_role="buyer")
    refund = MidtransRefund.objects.get()
    assert refund.status == MidtransRefund.Status.SUCCEEDED and refund.amount == DOWN
    assert fake_midtrans.charges()[0]["refund_amount"] == f"{DOWN}.00"


def test_the_finance_page_shows_what_the_cod_delivery_will_bring(
    client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _order, suborder, shop = _accepted(capture)
    client.force_login(shop.owner)

    def figure(name: str) -> str:
        page = client.get(reverse("dashboard:finance")).content.decode()
        return page.split(f'data-testid="pipeline-{name}-total">', 1)[1].split("<", 1)[0]

    # paid online: the down payment's share waits for the start
    assert figure("down-payments") == "Rp 475.000"
    _start(suborder, shop, capture)
    assert figure("available") == "Rp 475.000"
    # the delivery brings no money from the cooperative: the commission on the cash is owed
    assert figure("waiting") == "-Rp 35.000"


def test_the_cooperative_confirms_a_cod_down_payment_transfer_from_the_order_page(client):
    order, _suborder, _shop = _cod_order()
    client.force_login(make_user(is_staff=True, is_superuser=True))

    change = client.get(reverse("admin:orders_order_change", args=[order.pk]))
    assert b"confirm-transfer" in change.content
    client.post(reverse("admin:orders_order_confirm_transfer", args=[order.pk]))

    order.refresh_from_db()
    assert order.status == Order.Status.CONFIRMED and order.payments.get().status == "paid"
    change = client.get(reverse("admin:orders_order_change", args=[order.pk]))
    assert b"confirm-transfer" not in change.content
