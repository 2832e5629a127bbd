"""Down payments on made-to-order work: paid at checkout, the maker's when the work starts, the
rest asked when the piece is ready, and every balance exact at every step and on every cancel."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ledger import services as ledger
from notifications.models import Notification
from orders import lifecycle, placement, progress, routing
from orders.down_payments import split_made_to_order
from orders.models import Payment, PaymentMethod, ProgressPhoto, SubOrder
from orders.payments.transfer import confirm_transfer, submit_transfer_proof
from tests.catalog.imagefiles import jpeg_bytes
from tests.factories import ADDRESS, make_product, make_shop, make_user

pytestmark = pytest.mark.django_db

S = SubOrder.Status
PRICE = 1_000_000  # a hand-drawn batik tulis, made to order
# At the default 5 % commission: the maker's share of a Rp 500.000 down payment.
DOWN_SHARE = 500_000 - 25_000


def _photo(name: str = "canting.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(), "image/jpeg")


def _made_to_order_order(*, percent: int = 50, method=PaymentMethod.BANK_TRANSFER):
    shop = make_shop(down_payment_percent=percent)
    product = make_product(shop=shop, price=PRICE, is_made_to_order=True, lead_time_days=21)
    buyer = make_user()
    order = placement.place_order(
        buyer=buyer,
        email=buyer.email,
        quantities={product.options.get().pk: 1},
        address=ADDRESS,
        payment_method=method,
        pickup_shop_ids={shop.pk},  # no shipping: every rupiah below is the batik's
    )
    return order, order.suborders.get(), shop


def _pay_by_transfer(payment: Payment) -> None:
    submit_transfer_proof(order=payment.order, proof=_photo("bukti.jpg"))
    confirm_transfer(payment=Payment.objects.get(pk=payment.pk), by=make_user(is_staff=True))


def _paid_and_accepted(django_capture_on_commit_callbacks, **kwargs):
    order, suborder, shop = _made_to_order_order(**kwargs)
    with django_capture_on_commit_callbacks(execute=True):
        _pay_by_transfer(order.payments.get())
    order.refresh_from_db()
    routing.route_order(order=order)
    lifecycle.transition_suborder(
        suborder=suborder,
        to=S.ACCEPTED,
        by=shop.owner,
        ready_by=timezone.localdate() + timedelta(days=21),
    )
    return order, SubOrder.objects.get(pk=suborder.pk), shop


def _start(suborder, shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        progress.start_work(suborder=suborder, by=shop.owner, photo=_photo(), caption="Mulai")
    return SubOrder.objects.get(pk=suborder.pk)


@pytest.mark.parametrize(
    ("amount", "percent", "down"),
    [(1_000_000, 50, 500_000), (1_000_000, 30, 300_000), (333_333, 50, 166_667), (99, 40, 40)],
)
def test_the_down_payment_and_the_rest_always_add_up(amount, percent, down):
    split = split_made_to_order(
        amount=amount, shop=make_shop(down_payment_percent=percent), payment_method="midtrans"
    )
    assert (split.down_payment, split.balance) == (down, amount - down)


def test_checkout_asks_only_the_down_payment_of_made_to_order_work():
    order, suborder, _shop = _made_to_order_order()
    assert (suborder.down_payment, suborder.balance) == (500_000, 500_000)
    [payment] = order.payments.all()
    assert payment.amount == 500_000 and payment.purpose == Payment.Purpose.DOWN_PAYMENT
    assert order.total == PRICE  # the order still costs the whole price


def test_cash_on_delivery_and_shops_without_a_down_payment_pay_as_before():
    order, suborder, _shop = _made_to_order_order(percent=0)
    assert suborder.balance == 0 and order.payments.get().amount == PRICE


def test_the_made_to_order_journey_keeps_every_balance_exact(django_capture_on_commit_callbacks):
    # given a paid down payment, accepted by the maker
    order, suborder, shop = _paid_and_accepted(django_capture_on_commit_callbacks)
    assert ledger.balance_of(shop) == 0
    with pytest.raises(ValidationError):  # it cannot ship before the rest is paid
        lifecycle.transition_suborder(
            suborder=suborder, to=S.SHIPPED, by=shop.owner, courier="JNE", tracking_number="1"
        )

    # when the maker marks the work started with a photo
    suborder = _start(suborder, shop, django_capture_on_commit_callbacks)

    # then the down payment less its commission is theirs at once, and they can ask for it today
    assert suborder.status == S.IN_PROGRESS
    assert ProgressPhoto.objects.get(suborder=suborder).stage == ProgressPhoto.Stage.STARTED
    assert ledger.balance_of(shop) == DOWN_SHARE
    ledger.save_payout_account(
        shop=shop, bank_name="BRI", account_number="0123456789", account_holder="Siti"
    )
    payout = ledger.request_payout(shop=shop, by=shop.owner)
    assert payout.amount == DOWN_SHARE and ledger.balance_of(shop) == 0

    # a photo while working, which the buyer sees
    progress.add_progress_photo(
        suborder=suborder, by=shop.owner, stage=ProgressPhoto.Stage.CANTING, photo=_photo()
    )

    # when it is ready, the rest is asked of the buyer, with a deadline
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.transition_suborder(suborder=suborder, to=S.READY, by=shop.owner)
    balance = Payment.objects.get(purpose=Payment.Purpose.BALANCE)
    assert balance.amount == 500_000 and balance.suborder_id == suborder.pk
    assert balance.due_at > timezone.now()
    assert Notification.objects.filter(key=f"payment-{balance.pk}-balance-due-buyer").exists()

    # and once the buyer pays it, the maker is told and ships
    with django_capture_on_commit_callbacks(execute=True):
        _pay_by_transfer(balance)
    assert Notification.objects.filter(recipient=shop.owner, key__contains="balance-paid").exists()
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.transition_suborder(suborder=suborder, to=S.SHIPPED, by=shop.owner)
        lifecycle.transition_suborder(suborder=suborder, to=S.DELIVERED, by=order.buyer)
        lifecycle.transition_suborder(suborder=suborder, to=S.COMPLETED, by=None)

    # then the sale credits only the rest: over the whole journey the maker got 95 % of the price
    assert ledger.balance_of(shop) == PRICE - 50_000 - DOWN_SHARE
    assert ledger.record_missing_sales() == 0


def test_a_cancel_before_the_work_starts_gives_the_buyer_everything_back(
    django_capture_on_commit_callbacks,
):
    order, suborder, shop = _paid_and_accepted(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.transition_suborder(suborder=suborder, to=S.CANCELLED, by=order.buyer)
    suborder.refresh_from_db()
    assert suborder.is_refund_due and suborder.refund_due_amount == 500_000
    assert not suborder.is_down_payment_kept
    assert ledger.balance_of(shop) == 0


def test_a_buyer_cancel_after_the_work_started_leaves_the_down_payment_with_the_maker(
    django_capture_on_commit_callbacks,
):
    order, suborder, shop = _paid_and_accepted(django_capture_on_commit_callbacks)
    suborder = _start(suborder, shop, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.transition_suborder(suborder=suborder, to=S.CANCELLED, by=order.buyer)
    suborder.refresh_from_db()
    assert suborder.is_down_payment_kept and not suborder.is_refund_due
    assert ledger.balance_of(shop) == DOWN_SHARE
    assert ledger.record_missing_sales() == 0


def test_a_maker_who_cannot_finish_refunds_the_down_payment(django_capture_on_commit_callbacks):
    order, suborder, shop = _paid_and_accepted(django_capture_on_commit_callbacks)
    suborder = _start(suborder, shop, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.transition_suborder(
            suborder=suborder, to=S.DECLINED, by=shop.owner, reason="Kain rusak"
        )
    suborder.refresh_from_db()
    assert suborder.refund_due_amount == 500_000 and not suborder.is_down_payment_kept
    assert ledger.balance_of(shop) == 0  # the down payment credited at the start is taken back


def test_a_maker_late_beyond_the_margin_refunds_the_down_payment_on_cancel(
    django_capture_on_commit_callbacks, settings
):
    order, suborder, shop = _paid_and_accepted(django_capture_on_commit_callbacks)
    suborder = _start(suborder, shop, django_capture_on_commit_callbacks)
    late = timezone.localdate() - timedelta(days=settings.ORDER_DOWN_PAYMENT_LATE_MARGIN_DAYS + 1)
    SubOrder.objects.filter(pk=suborder.pk).update(ready_by=late)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.transition_suborder(suborder=suborder, to=S.CANCELLED, by=order.buyer)
    suborder.refresh_from_db()
    assert suborder.refund_due_amount == 500_000
    assert ledger.balance_of(shop) == 0


def test_only_the_shops_makers_add_progress_photos(django_capture_on_commit_callbacks):
    order, suborder, shop = _paid_and_accepted(django_capture_on_commit_callbacks)
    suborder = _start(suborder, shop, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        progress.add_progress_photo(
            suborder=suborder, by=order.buyer, stage=ProgressPhoto.Stage.CANTING, photo=_photo()
        )
    with pytest.raises(ValidationError):  # not an image
        progress.add_progress_photo(
            suborder=suborder,
            by=shop.owner,
            stage=ProgressPhoto.Stage.CANTING,
            photo=SimpleUploadedFile("x.jpg", b"not a photo", "image/jpeg"),
        )
    assert ProgressPhoto.objects.count() == 1


def test_the_cooperative_cancels_a_ready_piece_whose_rest_never_came(
    admin_client, django_capture_on_commit_callbacks
):
    order, suborder, shop = _paid_and_accepted(django_capture_on_commit_callbacks)
    suborder = _start(suborder, shop, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.transition_suborder(suborder=suborder, to=S.READY, by=shop.owner)
    action = {"action": "cancel_unpaid_rest", "_selected_action": [suborder.pk]}
    admin_client.post("/admin/orders/suborder/", action)
    assert SubOrder.objects.get(pk=suborder.pk).status == S.READY  # not overdue yet

    Payment.objects.filter(purpose=Payment.Purpose.BALANCE).update(
        due_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/admin/orders/suborder/", action)
    suborder.refresh_from_db()
    assert suborder.status == S.CANCELLED and suborder.is_down_payment_kept
    assert Payment.objects.get(purpose=Payment.Purpose.BALANCE).status == Payment.Status.CANCELLED
    assert ledger.balance_of(shop) == DOWN_SHARE


def test_product_cart_and_checkout_say_what_is_paid_now_and_later(client):
    shop = make_shop(down_payment_percent=30)
    product = make_product(shop=shop, price=PRICE, is_made_to_order=True, lead_time_days=21)
    page = client.get(product.get_absolute_url()).content.decode()
    assert 'data-testid="down-payment-terms"' in page and "30%" in page
    client.post("/pesanan/keranjang/tambah/", {"option": product.options.get().pk, "quantity": 1})
    assert 'data-testid="cart-down-payment"' in client.get("/pesanan/keranjang/").content.decode()
    checkout = client.get("/pesanan/checkout/").content.decode()
    assert 'data-testid="checkout-down-payment"' in checkout


def test_the_finance_page_shows_the_down_payment_waiting_then_available(
    client, django_capture_on_commit_callbacks
):
    order, suborder, shop = _paid_and_accepted(django_capture_on_commit_callbacks)
    client.force_login(shop.owner)
    page = client.get("/dasbor/keuangan/").content.decode()
    waiting = page.split('data-testid="pipeline-down-payments-total">')[1].split("<")[0]
    assert waiting == "Rp 475.000" and order.reference in page

    _start(suborder, shop, django_capture_on_commit_callbacks)
    page = client.get("/dasbor/keuangan/").content.decode()
    assert page.split('data-testid="pipeline-down-payments-total">')[1].split("<")[0] == "Rp 0"
    assert ledger.available_balance_of(shop) == DOWN_SHARE
