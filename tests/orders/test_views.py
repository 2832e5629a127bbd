"""Cart, checkout, buyer and artisan pages, seen through the browser's requests."""

import io
import re
import time

import pypdfium2 as pdfium
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from notifications.models import Notification
from orders import placement, routing
from orders.models import Address, Order, Payment, PaymentMethod, SubOrder
from orders.notices import tracking_token
from orders.payments.common import mark_order_paid
from tests.factories import ADDRESS, PASSWORD, make_product, make_shop, make_user
from tests.orders.conftest import address_post, english_url, set_shipping

pytestmark = pytest.mark.django_db


def _add(client, product, quantity=1):
    return client.post(
        reverse("orders:cart-add"), {"option": product.options.get().pk, "quantity": quantity}
    )


def test_guest_cart_add_change_remove_and_header_count(client):
    paku = make_product(stock=4)
    sawit = make_product(stock=4)
    assert _add(client, paku, 2).status_code == 302
    _add(client, sawit)
    response = client.get("/en/pesanan/keranjang/")
    assert response.context["cart_count"] == 3
    assert len(response.context["groups"]) == 2  # one per artisan
    assert response.context["total"] == 3 * 350_000

    client.post(reverse("orders:cart-update"), {"option": paku.options.get().pk, "quantity": 1})
    client.post(reverse("orders:cart-remove"), {"option": sawit.options.get().pk})
    response = client.get("/en/pesanan/keranjang/")
    assert response.context["cart_count"] == 1


def test_cart_warns_when_stock_changed_and_blocks_vacation_shops(client):
    product = make_product(stock=4)
    on_vacation = make_product(shop=make_shop())
    _add(client, product)
    _add(client, on_vacation)
    product.options.update(stock=1)
    on_vacation.shop.is_on_vacation = True
    on_vacation.shop.save()

    response = client.get("/en/pesanan/keranjang/")
    assert b'data-testid="stock-changed"' in response.content
    assert b"is on vacation and not taking orders" in response.content
    assert response.context["can_checkout"] is False
    assert client.get(reverse("orders:checkout")).status_code == 302


def test_guest_cart_merges_into_the_account_on_login(client):
    user = make_user()
    product = make_product()
    _add(client, product, 2)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert user.cart.items.get().quantity == 2
    assert client.get("/en/pesanan/keranjang/").context["cart_count"] == 2


def _header_counts(client, url: str) -> tuple[str, str]:
    """The cart badge and the unread badge of a page's header ("" when no badge shows)."""
    html = client.get(url).content.decode()
    cart = re.search(r'data-testid="cart-count">([^<]*)<', html)
    unread = re.search(r'data-testid="unread-count">([^<]*)<', html)
    return cart.group(1), unread.group(1) if unread else ""


def test_signed_in_header_counts_change_on_the_next_page(client):
    # Given a signed-in buyer with an empty cart and no notices
    buyer = make_user()
    product = make_product(stock=5)
    client.force_login(buyer)
    assert _header_counts(client, "/en/batik/") == ("0", "")
    # When they add to their cart and two notices arrive, the next page counts them
    _add(client, product, 2)
    for number in range(2):
        Notification.objects.create(key=f"test-{number}", recipient=buyer, kind="x", title="Hi")
    assert _header_counts(client, "/en/batik/") == ("2", "2")
    assert _header_counts(client, product.get_absolute_url()) == ("2", "2")
    # When they change the quantity and read their notices, the next page shows it too
    client.post(reverse("orders:cart-update"), {"option": product.options.get().pk, "quantity": 3})
    client.post(reverse("notifications:mark-all-read"))
    assert _header_counts(client, "/en/batik/") == ("3", "")


def test_empty_header_count_costs_no_query(client, django_assert_num_queries):
    from django.test import RequestFactory

    from orders.context_processors import cart

    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore

    request.user = AnonymousUser()
    request.session = SessionStore()
    with django_assert_num_queries(0):
        assert cart(request) == {"cart_count": 0}
    request.user = make_user()
    with django_assert_num_queries(1):
        assert cart(request) == {"cart_count": 0}


def test_guest_checkout_by_transfer_then_follow_and_upload_proof(client):
    product = make_product(stock=3)
    _add(client, product, 2)
    response = client.post(
        reverse("orders:checkout"),
        {"email": "tamu@example.com", "payment_method": "bank_transfer", **address_post()},
    )
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:track", args=[tracking_token(order)])
    assert product.options.get().stock == 1

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"0011223344" in page.content and order.reference.encode() in page.content
    assert b"Rp 715.000" in page.content  # 2 x 350.000 + 15.000 local shipping

    png = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(png, format="PNG")
    upload = SimpleUploadedFile("bukti.png", png.getvalue(), "image/png")
    response = client.post(response["Location"] + "bukti-transfer/", {"proof": upload})
    assert response.status_code == 302
    payment = order.payments.get()
    assert payment.status == Payment.Status.PROOF_SUBMITTED
    assert payment.proof.name.endswith(".jpg")  # re-encoded


def test_proof_accepts_a_real_pdf_as_an_image_and_refuses_other_files(client, address):
    order = placement.place_order(
        buyer=None,
        email="tamu@example.com",
        quantities={make_product().options.get().pk: 1},
        address=address,
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
    url = reverse("orders:track-proof", args=[tracking_token(order)])
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    fake_pdf = b"%PDF-1.4\n<script>alert(1)</script>"  # only its first bytes look like a PDF
    for name, content in [
        ("x.gif", gif.getvalue()),
        ("x.html", b"<script>alert(1)</script>"),
        ("bukti.pdf", fake_pdf),
    ]:
        response = client.post(url, {"proof": SimpleUploadedFile(name, content)})
        assert response.status_code == 200 and response.context["proof_form"].errors
    # a real PDF is taken, and kept as an image of its page (never the PDF's bytes)
    document = pdfium.PdfDocument.new()
    document.new_page(300, 420)
    pdf = io.BytesIO()
    document.save(pdf)
    response = client.post(url, {"proof": SimpleUploadedFile("bukti.pdf", pdf.getvalue())})
    assert response.status_code == 302
    assert order.payments.get().proof.name.endswith(".jpg")


def test_signed_in_checkout_saves_the_address_and_lists_the_order(client):
    user = make_user()
    client.force_login(user)
    product = make_product()
    _add(client, product)
    response = client.post(
        reverse("orders:checkout"),
        {"payment_method": "bank_transfer", "save_address": "on", **address_post()},
    )
    order = Order.objects.get(buyer=user)
    assert response["Location"] == reverse("orders:detail", args=[order.reference])
    saved = Address.objects.get(user=user)
    assert (saved.kabupaten, saved.regency_code) == ("Kabupaten Kutai Timur", "64.08")
    assert order.reference.encode() in client.get(reverse("orders:list")).content


def test_checkout_refuses_a_bad_phone_and_postal_code(client):
    _add(client, make_product())
    response = client.post(
        reverse("orders:checkout"),
        {
            "email": "tamu@example.com",
            "payment_method": "bank_transfer",
            **address_post(phone="12345", postal_code="7568"),
        },
    )
    assert response.status_code == 200
    assert set(response.context["address_form"].errors) == {"phone", "postal_code"}
    assert Order.objects.count() == 0


def test_checkout_of_a_sold_out_line_names_it(client):
    product = make_product(stock=1)
    _add(client, product)
    product.options.update(stock=0)
    response = client.post(
        english_url("orders:checkout"),
        {"email": "tamu@example.com", "payment_method": "bank_transfer", **address_post()},
        follow=True,
    )
    assert response.status_code == 200
    assert b"Sold out." in response.content
    assert Order.objects.count() == 0


def test_cod_is_offered_only_when_every_artisan_offers_it(client):
    with_cod = make_product()
    set_shipping(with_cod.shop, offers_cod=True)
    _add(client, with_cod)
    form = client.get(reverse("orders:checkout")).context["form"]
    assert "cod" in dict(form.fields["payment_method"].choices)
    _add(client, make_product())
    form = client.get(reverse("orders:checkout")).context["form"]
    assert "cod" not in dict(form.fields["payment_method"].choices)


def _routed_order(buyer=None, **product):
    item = make_product(**product)
    order = placement.place_order(
        buyer=buyer,
        email=buyer.email if buyer else "tamu@example.com",
        quantities={item.options.get().pk: 1},
        address=dict(ADDRESS),
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
    mark_order_paid(order=order, payment=order.payments.get())
    routing.route_order(order=order)
    return order, item


def test_a_buyer_never_sees_another_buyers_order(client):
    owner, stranger = make_user(), make_user()
    order, _item = _routed_order(buyer=owner)
    client.force_login(stranger)
    assert client.get(reverse("orders:detail", args=[order.reference])).status_code == 404
    sub = order.suborders.get()
    response = client.post(reverse("orders:cancel", args=[order.reference, sub.pk]))
    assert response.status_code == 404
    assert client.get(reverse("orders:track", args=["forged-token"])).status_code == 404
    client.logout()
    assert client.get(reverse("orders:detail", args=[order.reference])).status_code == 302


def test_an_artisan_sees_only_their_own_sub_orders(client):
    order, item = _routed_order()
    other = make_shop()
    client.force_login(other.owner)
    sub = order.suborders.get()
    assert client.get(reverse("dashboard:order-detail", args=[sub.pk])).status_code == 404
    response = client.post(reverse("dashboard:order-accept", args=[sub.pk]))
    assert response.status_code == 404
    assert sub.pk not in [
        s.pk for s in client.get(reverse("dashboard:order-list")).context["suborders"]
    ]

    client.force_login(item.shop.owner)
    page = client.get(reverse("dashboard:order-detail", args=[sub.pk]))
    assert page.status_code == 200 and b"https://wa.me/6281234567890" in page.content


def test_artisan_accepts_and_ships_from_the_dashboard(client):
    order, item = _routed_order()
    sub = order.suborders.get()
    client.force_login(item.shop.owner)
    assert client.post(reverse("dashboard:order-accept", args=[sub.pk])).status_code == 302
    response = client.post(reverse("dashboard:order-ship", args=[sub.pk]), {"courier": "JNE"})
    assert response.status_code == 200  # tracking number missing: refused, form shown again
    response = client.post(
        reverse("dashboard:order-ship", args=[sub.pk]),
        {"courier": "JNE", "tracking_number": "JNE0001"},
    )
    sub.refresh_from_db()
    assert sub.status == "shipped" and sub.tracking_number == "JNE0001"


def test_unrouted_unpaid_orders_are_not_shown_to_the_artisan(client, address):
    item = make_product()
    order = placement.place_order(
        buyer=None,
        email="tamu@example.com",
        quantities={item.options.get().pk: 1},
        address=address,
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
    client.force_login(item.shop.owner)
    sub = order.suborders.get()
    assert client.get(reverse("dashboard:order-detail", args=[sub.pk])).status_code == 404


def test_admin_confirms_a_transfer_from_the_change_page_and_the_action(client, address):
    admin = make_user(is_staff=True, is_superuser=True)
    client.force_login(admin)
    first = placement.place_order(
        buyer=None,
        email="a@example.com",
        quantities={make_product().options.get().pk: 1},
        address=address,
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
    second = placement.place_order(
        buyer=None,
        email="b@example.com",
        quantities={make_product().options.get().pk: 1},
        address=address,
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
    change = client.get(reverse("admin:orders_order_change", args=[first.pk]))
    assert b"confirm-transfer" in change.content
    client.post(reverse("admin:orders_order_confirm_transfer", args=[first.pk]))
    client.post(
        reverse("admin:orders_order_changelist"),
        {"action": "confirm_transfer", "_selected_action": [second.pk]},
    )
    for order in (first, second):
        order.refresh_from_db()
        assert order.status == Order.Status.CONFIRMED and order.paid_at
        assert order.payments.get().confirmed_by == admin


def test_page_query_counts_are_pinned(client, django_assert_max_num_queries):
    buyer = make_user()
    orders = [_routed_order(buyer=buyer)[0] for _ in range(3)]
    shop = orders[0].suborders.get().shop
    for _ in range(3):
        placement.place_order(
            buyer=buyer,
            email=buyer.email,
            quantities={make_product(shop=shop).options.get().pk: 1},
            address=dict(ADDRESS),
            payment_method=PaymentMethod.COD if False else PaymentMethod.BANK_TRANSFER,
        )
    client.force_login(buyer)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("orders:list")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("orders:detail", args=[orders[0].reference])).status_code == 200
    client.force_login(shop.owner)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("dashboard:order-list")).status_code == 200
    sub = orders[0].suborders.get()
    with django_assert_max_num_queries(10):
        assert client.get(reverse("dashboard:order-detail", args=[sub.pk])).status_code == 200
    assert Notification.objects.filter(recipient=shop.owner).exists()


def test_a_guest_tracking_link_stops_working_after_half_a_year(client, monkeypatch):
    # given a guest's link signed 181 days ago
    order = placement.place_order(
        buyer=None,
        email="tamu@example.com",
        quantities={make_product().options.get().pk: 1},
        address=dict(ADDRESS),
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
    signed_at = time.time() - 181 * 24 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: signed_at)
    old_link = reverse("orders:track", args=[tracking_token(order)])
    monkeypatch.undo()

    # then it shows nothing of the order, while a fresh link still works
    assert client.get(old_link).status_code == 404
    fresh_link = reverse("orders:track", args=[tracking_token(order)])
    assert client.get(fresh_link).status_code == 200


def test_the_makers_acceptance_and_the_buyers_receipt_read_differently_in_indonesian():
    # "Diterima penjual" and "Diterima" read alike to a buyer following an order.
    from django.utils import translation

    with translation.override("id"):
        accepted = str(SubOrder.Status.ACCEPTED.label)
        delivered = str(SubOrder.Status.DELIVERED.label)
    assert accepted == "Diterima pembatik" and delivered == "Sampai di pembeli"
