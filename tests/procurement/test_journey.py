"""The institution's whole journey through the site: request, offers, quote, order, handover.

And who sees what: a maker never another maker's offer or price, the institution never a
maker's price, another institution nothing, and staff cannot accept.
"""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from ledger.models import LedgerEntry
from ledger.services import balance_of
from notifications.models import Notification
from orders.models import Order, Payment, SubOrder
from orders.tasks import route_order_task
from procurement import allocation, quotes, services
from procurement.models import Institution, InstitutionMember, ProcurementRequest, Quote
from procurement.selectors import amounts_paid
from tests.conftest import wait_for
from tests.factories import make_shop, make_user
from tests.procurement.test_quotes import ADDRESS, _quote, _split_request
from tests.procurement.test_requests import SIZES, _staff_csv

pytestmark = pytest.mark.django_db

MAKER_PRICES = [300_000, 300_001, 300_002]  # the three offers' prices (tests.procurement._offers)


def _png(name="bukti.png") -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(data, format="PNG")
    return SimpleUploadedFile(name, data.getvalue(), "image/png")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload_and_confirm(officer_client, admin_client, order):
    response = officer_client.post(
        f"/en/pesanan/{order.reference}/bukti-transfer/", {"proof": _png()}
    )
    assert response.status_code == 302
    assert order.payments.filter(status=Payment.Status.PROOF_SUBMITTED).count() == 1
    admin_client.post(f"/admin/orders/order/{order.pk}/confirm-transfer/")


def test_the_whole_journey_from_staff_list_to_handover_adds_up_to_the_rupiah(
    django_capture_on_commit_callbacks,
):
    # given an institution the cooperative verified in the admin, and its officer
    staff_admin = make_user(is_staff=True, is_superuser=True)
    admin = _client(staff_admin)
    institution = Institution.objects.create(
        name="Dinas Koperasi dan UKM Kabupaten Kutai Timur", kind="government",
        address="Jl. Soekarno Hatta, Sangatta", email_domain="kutaitimurkab.go.id",
    )  # fmt: skip
    officer = make_user(email="pengadaan@kutaitimurkab.go.id")
    InstitutionMember.objects.create(institution=institution, user=officer, role="officer")
    admin.post(
        "/admin/procurement/institution/",
        {"action": "verify", "_selected_action": [institution.pk]},
    )
    institution.refresh_from_db()
    assert institution.is_verified

    # when the officer asks for 120 shirts from a staff list and sends the request
    office = _client(officer)
    assert 'data-testid="institution-link"' in office.get("/en/").text
    office.post(
        "/en/instansi/permintaan/baru/",
        {
            "title": "Seragam batik pegawai 2027",
            "product_type": _kemeja().pk,
            "budget_per_piece": 350_000,
            "needed_by": (timezone.localdate() + timedelta(days=60)).isoformat(),
            "delivery_address": "Kantor Dinas Koperasi, Jl. Soekarno Hatta, Sangatta",
            "staff_list": _staff_csv(),
        },
    )
    request = ProcurementRequest.objects.get()
    sent = office.post(f"/en/instansi/permintaan/{request.pk}/kirim/", follow=True)
    request.refresh_from_db()
    assert request.status == ProcurementRequest.Status.SUBMITTED, sent.text[:3000]

    # three makers are invited and offer 50, 50 and 40 on their dashboards
    shops = [make_shop(name=f"Batik Paku {n}", is_verified=True) for n in range(3)]
    services.invite_makers(request=request, shops=shops, by=staff_admin)
    for shop, pieces, price in zip(shops, [50, 50, 40], MAKER_PRICES, strict=True):
        share = {size: round(pieces * count / 120) for size, count in SIZES.items()}
        share["M"] += pieces - sum(share.values())
        response = _client(shop.owner).post(
            f"/en/dasbor/permintaan-instansi/{request.pk}/",
            {"price_per_piece": price, "delivery_date": (request.needed_by - timedelta(days=5)),
             **{f"size_{size}": count for size, count in share.items()}},
        )  # fmt: skip
        assert response.status_code == 302
    # the proposed split fills 120 within each offer, saved as proposed
    proposal = allocation.propose_split(
        requested=allocation.requested_of(request),
        offers=allocation.terms_of(request),
        budget_per_piece=request.budget_per_piece,
    )
    admin.post(
        f"/admin/procurement/procurementrequest/{request.pk}/pembagian/",
        {f"q-{o}-{s}": n for o, sizes in proposal.items() for s, n in sizes.items()},
    )
    assert sum(sum(sizes.values()) for sizes in proposal.values()) == 120

    # the cooperative quotes, seeing its margin
    quote_url = f"/admin/procurement/procurementrequest/{request.pk}/penawaran/"
    prices = {"price_S": 330_000, "price_M": 330_000, "price_L": 330_000, "price_XL": 345_000}
    terms = {
        "delivery_date": request.needed_by.isoformat(),
        "valid_until": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "down_payment_percent": 30,
    }
    preview = admin.post(quote_url, {**prices, **terms, "preview": "1"}).text
    assert 'data-testid="quote-margin">Rp 3.' in preview  # about Rp 3,9 juta on Rp 40,5 juta
    admin.post(quote_url, {**prices, **terms, "issue": "1"})
    quote = Quote.objects.get()
    total = 100 * 330_000 + 20 * 345_000

    # the institution sees the cooperative's price, never a maker's
    page = office.get(f"/en/instansi/penawaran/{quote.pk}/").text
    assert 'data-testid="quote-total">Rp 39.900.000<' in page
    assert not any(f"{price:,}".replace(",", ".") in page for price in MAKER_PRICES)

    # the officer accepts: one order, one sub-order per maker, routed by the worker's task
    with django_capture_on_commit_callbacks(execute=False):
        response = office.post(
            f"/en/instansi/penawaran/{quote.pk}/terima/",
            {"payment_method": "bank_transfer", **ADDRESS},
        )
    assert response.status_code == 302, response.text[:3000]
    order = Order.objects.get()
    assert order.total == total and order.suborders.count() == 3
    route_order_task(order.pk)
    route_order_task(order.pk)  # a second run sends nothing twice
    for shop in shops:
        assert Notification.objects.filter(recipient=shop.owner, kind="order-routed").count() == 1

    # each maker's packing list names the staff of their sizes; together, the whole CSV
    suborders = {s.shop_id: s for s in order.suborders.all()}
    listed = []
    for shop in shops:
        maker = _client(shop.owner)
        text = maker.get(f"/en/dasbor/pesanan/{suborders[shop.pk].pk}/daftar-kemas/").text
        listed += [
            (cell.split("</td><td>")[1], cell.split("</td><td>")[3].split("<")[0])
            for cell in text.split('data-testid="packing-row"><td>')[1:]
        ]
        other = suborders[shops[(shops.index(shop) + 1) % 3].pk]
        assert maker.get(f"/en/dasbor/pesanan/{other.pk}/daftar-kemas/").status_code == 404
    assert sorted(listed) == sorted(request.staff.values_list("name", "size"))

    # the down payment by transfer, confirmed like any transfer
    _upload_and_confirm(office, admin, order)
    down = order.payments.get(purpose=Payment.Purpose.DOWN_PAYMENT)
    assert down.status == Payment.Status.PAID
    assert down.amount == sum(s.down_payment for s in suborders.values())

    # the makers accept, start (the down payment becomes theirs), finish and bring it
    with django_capture_on_commit_callbacks(execute=True):
        for shop in shops:
            maker, suborder = _client(shop.owner), suborders[shop.pk]
            base = f"/en/dasbor/pesanan/{suborder.pk}/"
            maker.post(base + "terima/", {"ready_by": (request.needed_by - timedelta(days=7))})
            maker.post(base + "mulai/", {"photo": _png("mulai.png"), "caption": "Canting"})
            assert SubOrder.objects.get(pk=suborder.pk).status == SubOrder.Status.IN_PROGRESS
            maker.post(base + "siap/")
            maker.post(base + "kirim/", {"courier": "", "tracking_number": ""})
            assert SubOrder.objects.get(pk=suborder.pk).status == SubOrder.Status.SHIPPED
    assert all(
        LedgerEntry.objects.filter(shop=shop, kind="down_payment").count() == 1 for shop in shops
    )
    # the officer confirms the handover of every maker's part
    with django_capture_on_commit_callbacks(execute=True):
        office.post(
            f"/en/instansi/penawaran/{quote.pk}/serah-terima/",
            {"suborder": [s.pk for s in suborders.values()]},
        )
    assert set(order.suborders.values_list("status", flat=True)) == {SubOrder.Status.COMPLETED}

    # then pays the invoice for the rest
    _upload_and_confirm(office, admin, order)
    paid = amounts_paid(order)
    assert paid.paid == total and paid.outstanding == 0

    # what the institution paid = the makers' credits + the cooperative's margin, to the rupiah
    shares = {shop.pk: 0 for shop in shops}
    for share in quote.shares.all():
        shares[share.shop_id] += (
            share.quantity * MAKER_PRICES[[s.pk for s in shops].index(share.shop_id)]
        )
    for shop in shops:
        assert balance_of(shop) == shares[shop.pk]
    entries = LedgerEntry.objects.filter(suborder__order=order)
    margin = -sum(e.amount for e in entries if e.kind in ("commission", "down_commission"))
    assert margin == total - sum(shares.values())
    assert paid.paid == sum(balance_of(shop) for shop in shops) + margin

    # and so do the invoices and the kwitansi the officer prints from the quote's page
    page = office.get(f"/en/instansi/penawaran/{quote.pk}/").text
    links = re.findall(r'href="(/en/instansi/dokumen/\d+/)">(Invoice|Receipt \(kwitansi\)) ', page)
    totals = {"Invoice": 0, "Receipt (kwitansi)": 0}
    for url, kind in links:
        printed = office.get(url).text
        amount = re.search(r'data-testid="document-amount">Rp ([\d.]+)<', printed).group(1)
        totals[kind] += int(amount.replace(".", ""))
    assert len(links) == 4  # the down payment and the rest, each invoiced and received
    assert totals["Invoice"] == totals["Receipt (kwitansi)"] == total
    assert totals["Receipt (kwitansi)"] == sum(balance_of(shop) for shop in shops) + margin


def _kemeja():
    from catalog.models import ProductType

    return ProductType.objects.get_or_create(slug="kemeja", defaults={"name": "Kemeja"})[0]


def test_staff_view_the_quote_but_only_the_officer_accepts():
    institution, officer, request, _offers_ = _split_request()
    quote = _quote(request)
    staff = make_user()
    InstitutionMember.objects.create(institution=institution, user=staff)
    client = _client(staff)
    page = client.get(f"/en/instansi/penawaran/{quote.pk}/").text
    assert 'data-testid="accept-quote"' not in page
    response = client.post(
        f"/en/instansi/penawaran/{quote.pk}/terima/", {"payment_method": "bank_transfer", **ADDRESS}
    )
    assert "procurement officer" in response.text and not Order.objects.exists()
    assert (
        'data-testid="accept-quote"'
        in _client(officer).get(f"/en/instansi/penawaran/{quote.pk}/").text
    )


def test_another_institution_sees_neither_the_request_nor_the_quote():
    _institution_, _officer, request, _offers_ = _split_request()
    quote = _quote(request)
    other = Institution.objects.create(name="SMA Negeri 1 Sangatta", kind="school", address="x")
    stranger = make_user()
    InstitutionMember.objects.create(institution=other, user=stranger, role="officer")
    client = _client(stranger)
    assert client.get(f"/en/instansi/penawaran/{quote.pk}/").status_code == 404
    assert client.get(f"/en/instansi/permintaan/{request.pk}/").status_code == 404
    response = client.post(
        f"/en/instansi/penawaran/{quote.pk}/terima/", {"payment_method": "bank_transfer", **ADDRESS}
    )
    assert response.status_code == 404 and not Order.objects.exists()


def test_a_maker_sees_their_own_part_only_never_anothers_price():
    _institution_, officer, request, offers = _split_request()
    quote = _quote(request)
    quote = quotes.accept_quote(
        quote=quote, by=officer, payment_method="bank_transfer", address=ADDRESS
    )
    route_order_task(quote.order_id)
    mine, theirs = offers[0], offers[1]
    suborder = quote.order.suborders.get(shop=mine.shop)
    page = _client(mine.shop.owner).get(f"/en/dasbor/pesanan/{suborder.pk}/").text
    assert theirs.shop.name not in page and "300.001" not in page
    # their own price is what they receive
    mine_total = sum(
        share.quantity * share.maker_price for share in quote.shares.filter(shop=mine.shop)
    )
    assert 'data-testid="maker-amount">' in page and f"{mine_total:,}".replace(",", ".") in page
    other = quote.order.suborders.get(shop=theirs.shop)
    assert _client(mine.shop.owner).get(f"/en/dasbor/pesanan/{other.pk}/").status_code == 404


def test_a_request_and_a_quote_above_the_direct_purchase_cap_warn_but_do_not_block(settings):
    settings.PROCUREMENT_DIRECT_PURCHASE_CAP = 30_000_000
    _institution_, officer, request, _offers_ = _split_request()
    office = _client(officer)
    assert 'data-testid="cap-warning"' in office.get(f"/en/instansi/permintaan/{request.pk}/").text
    quote = _quote(request)
    assert 'data-testid="cap-warning"' in office.get(f"/en/instansi/penawaran/{quote.pk}/").text
    settings.PROCUREMENT_DIRECT_PURCHASE_CAP = 50_000_000
    assert 'data-testid="cap-warning"' not in office.get(f"/en/instansi/penawaran/{quote.pk}/").text


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_an_accepted_quote_reaches_every_maker_once_through_the_worker(celery_worker):
    _institution_, officer, request, offers = _split_request()
    quote = _quote(request)
    response = _client(officer).post(
        f"/en/instansi/penawaran/{quote.pk}/terima/", {"payment_method": "bank_transfer", **ADDRESS}
    )
    assert response.status_code == 302
    order = Order.objects.get()
    wait_for(lambda: Order.objects.filter(pk=order.pk, routed_at__isnull=False).exists())
    for offer in offers:
        wait_for(
            lambda offer=offer: (
                Notification.objects.filter(recipient=offer.shop.owner, kind="order-routed").count()
                == 1
            )
        )


def test_the_header_links_members_to_their_institution_within_the_same_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.procurement.test_requests import _institution

    _institution_, officer = _institution()
    outsider = make_user()
    pages, counts = {}, {}
    for user in (officer, outsider):
        client = _client(user)
        client.get("/en/akun/profil/")
        with CaptureQueriesContext(connection) as queries:
            pages[user] = client.get("/en/akun/profil/").text
        counts[user] = len(queries)
    assert 'data-testid="institution-link"' in pages[officer]
    assert 'data-testid="institution-link"' not in pages[outsider]
    assert counts[officer] == counts[outsider]
