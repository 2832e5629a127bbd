"""The maker's made-to-order steps on the dashboard: start with a photo, add photos, mark ready;
and what the buyer sees of them."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from orders import lifecycle, placement, routing
from orders.models import Payment, PaymentMethod, SubOrder
from orders.payments.common import mark_order_paid
from tests.catalog.imagefiles import jpeg_bytes
from tests.factories import ADDRESS, make_product, make_shop, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(django_capture_on_commit_callbacks):
    shop = make_shop(down_payment_percent=40)
    product = make_product(shop=shop, price=800_000, is_made_to_order=True, lead_time_days=14)
    buyer = make_user()
    order = placement.place_order(
        buyer=buyer, email=buyer.email, quantities={product.options.get().pk: 1},
        address=ADDRESS, payment_method=PaymentMethod.BANK_TRANSFER, pickup_shop_ids={shop.pk},
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        mark_order_paid(order=order, payment=order.payments.get())
    routing.route_order(order=order)
    suborder = order.suborders.get()
    lifecycle.transition_suborder(
        suborder=suborder, to=SubOrder.Status.ACCEPTED, by=shop.owner,
        ready_by=timezone.localdate() + timedelta(days=14),
    )  # fmt: skip
    return shop, order, suborder


def _photo():
    return SimpleUploadedFile("kerja.jpg", jpeg_bytes(), "image/jpeg")


def test_the_maker_starts_with_a_photo_and_the_buyer_sees_it(client, accepted):
    shop, order, suborder = accepted
    client.force_login(shop.owner)
    page = client.get(f"/en/dasbor/pesanan/{suborder.pk}/").content.decode()
    assert 'data-testid="start-work"' in page and "Rp 320.000" in page

    response = client.post(
        f"/en/dasbor/pesanan/{suborder.pk}/mulai/", {"photo": _photo(), "caption": "Pola awal"}
    )
    assert response.status_code == 302
    suborder.refresh_from_db()
    assert suborder.status == SubOrder.Status.IN_PROGRESS

    client.post(
        f"/en/dasbor/pesanan/{suborder.pk}/foto/",
        {"photo": _photo(), "stage": "canting", "caption": "Mencanting"},
    )
    client.force_login(order.buyer)
    buyer_page = client.get(f"/en/pesanan/{order.reference}/").content.decode()
    assert 'data-testid="progress-photos"' in buyer_page
    assert "Pola awal" in buyer_page and "Mencanting" in buyer_page


def test_a_start_without_a_photo_is_refused_with_a_message(client, accepted):
    shop, _order, suborder = accepted
    client.force_login(shop.owner)
    response = client.post(f"/en/dasbor/pesanan/{suborder.pk}/mulai/", {"caption": "x"})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    suborder.refresh_from_db()
    assert suborder.status == SubOrder.Status.ACCEPTED


def test_another_maker_cannot_start_or_mark_ready(client, accepted):
    _shop, _order, suborder = accepted
    client.force_login(make_shop().owner)
    assert (
        client.post(f"/en/dasbor/pesanan/{suborder.pk}/mulai/", {"photo": _photo()}).status_code
        == 404
    )
    assert client.post(f"/en/dasbor/pesanan/{suborder.pk}/siap/").status_code == 404
    suborder.refresh_from_db()
    assert suborder.status == SubOrder.Status.ACCEPTED


def test_marking_ready_asks_the_buyer_for_the_rest_on_the_order_page(client, accepted):
    shop, order, suborder = accepted
    client.force_login(shop.owner)
    client.post(f"/en/dasbor/pesanan/{suborder.pk}/mulai/", {"photo": _photo()})
    client.post(f"/en/dasbor/pesanan/{suborder.pk}/siap/")
    balance = Payment.objects.get(purpose=Payment.Purpose.BALANCE)
    assert balance.amount == 480_000
    client.force_login(order.buyer)
    page = client.get(f"/en/pesanan/{order.reference}/").content.decode()
    assert 'data-testid="balance-due"' in page and "Rp 480.000" in page
