"""Records of origin: each piece's code, its public page, and its hang tag."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from orders import lifecycle, placement, progress, routing
from orders.models import PaymentMethod, Piece, SubOrder
from orders.payments.common import mark_order_paid
from orders.provenance import record_made_to_order_pieces, register_pieces
from tests.catalog.imagefiles import jpeg_bytes
from tests.factories import ADDRESS, make_product, make_shop, make_user

pytestmark = pytest.mark.django_db


def test_a_registered_piece_has_a_page_with_its_maker_and_making(client):
    shop = make_shop(name="Batik Wakaroros Sangatta", is_verified=True)
    product = make_product(shop=shop, motif="wakaroros", title="Kain Tulis Wakaroros")
    [piece] = register_pieces(product=product, count=1, by=shop.owner)
    assert len(piece.code) == 10 and piece.code.isalnum()
    page = client.get(f"/asal/{piece.code}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Batik Wakaroros Sangatta" in html and 'data-testid="verified-badge"' in html
    assert "Wakaroros" in html and "Tulis" in html
    english = client.get(f"/en/asal/{piece.code}/").content.decode()
    assert "Record of origin" in english


def test_an_unknown_code_is_a_clear_not_registered_page(client):
    response = client.get("/asal/ABCDEFGH23/")
    assert response.status_code == 404
    assert 'data-testid="provenance-unknown"' in response.content.decode()


def test_codes_are_random_not_a_sequence():
    shop = make_shop()
    pieces = register_pieces(product=make_product(shop=shop), count=20, by=shop.owner)
    assert len({piece.code for piece in pieces}) == 20
    assert sorted(piece.code for piece in pieces) != [piece.code for piece in pieces][::-1]


def test_only_the_shops_makers_register_pieces():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        register_pieces(product=make_product(), count=1, by=make_user())
    assert not Piece.objects.exists()


def test_a_shipped_made_to_order_piece_gets_a_record_with_its_progress_photos(
    client, django_capture_on_commit_callbacks
):
    shop = make_shop(down_payment_percent=0)
    product = make_product(shop=shop, is_made_to_order=True, lead_time_days=14)
    buyer = make_user()
    order = placement.place_order(
        buyer=buyer, email=buyer.email, quantities={product.options.get().pk: 2}, address=ADDRESS,
        payment_method=PaymentMethod.BANK_TRANSFER, pickup_shop_ids={shop.pk},
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        mark_order_paid(order=order, payment=order.payments.get())
    routing.route_order(order=order)
    suborder = order.suborders.get()
    lifecycle.transition_suborder(
        suborder=suborder, to=SubOrder.Status.ACCEPTED, by=shop.owner,
        ready_by=timezone.localdate() + timedelta(days=14),
    )  # fmt: skip
    photo = SimpleUploadedFile("mulai.jpg", jpeg_bytes(), "image/jpeg")
    progress.start_work(suborder=suborder, by=shop.owner, photo=photo)
    lifecycle.transition_suborder(
        suborder=suborder, to=SubOrder.Status.SHIPPED, by=shop.owner,
        courier="JNE", tracking_number="JNE123",
    )  # fmt: skip
    assert record_made_to_order_pieces(suborder=suborder) == 0  # a repeat adds no piece
    pieces = list(Piece.objects.filter(order_line__suborder=suborder))
    assert len(pieces) == 2
    page = client.get(f"/asal/{pieces[0].code}/").content.decode()
    assert "<img" in page  # the photo of the work started
    client.force_login(buyer)
    order_page = client.get(f"/pesanan/{order.reference}/").content.decode()
    assert pieces[0].code in order_page and pieces[1].code in order_page


def test_the_hang_tags_carry_each_pieces_page(client):
    shop = make_shop()
    pieces = register_pieces(product=make_product(shop=shop), count=3, by=shop.owner)
    client.force_login(shop.owner)
    sheet = client.get("/dasbor/asal/label/").content.decode()
    tags = sheet.split('data-testid="hang-tag"')[1:]
    assert len(tags) == 3 and all("<svg" in tag.split("</figure>")[0] for tag in tags)
    for piece in pieces:
        assert f"/asal/{piece.code}/" in sheet
    client.force_login(make_shop().owner)  # another maker's sheet shows none of them
    assert pieces[0].code not in client.get("/dasbor/asal/label/").content.decode()
