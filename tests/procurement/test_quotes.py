"""The cooperative's quote, its acceptance as one order, payment terms, packing and handover."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.templatetags.money import format_rupiah
from ledger.models import LedgerEntry
from orders.lifecycle import transition_suborder
from orders.models import MidtransCharge, Order, Payment, PaymentMethod, SubOrder
from orders.payments.transfer import confirm_transfer
from orders.routing import route_order
from procurement import allocation, quotes, services
from procurement.models import InstitutionMember, ProcurementRequest, Quote
from procurement.selectors import (
    amounts_paid,
    delivered_parts,
    maker_parts,
    packing_lists,
    quote_summary,
)
from procurement.staff_list import parse_staff_list
from tests.factories import make_user
from tests.orders.midtrans_server import (  # noqa: F401 (fixtures)
    fake_midtrans_fixture,
    midtrans_server_fixture,
    notification_receiver_fixture,
)
from tests.procurement.test_requests import _institution, _offers, _request, _staff_csv

pytestmark = pytest.mark.django_db

ADDRESS = {
    "recipient": "Bagian Umum Dinas Koperasi",
    "phone": "081250001111",
    "kabupaten": "Kutai Timur",
    "province": "Kalimantan Timur",
}
PRICES = {"S": 330_000, "M": 330_000, "L": 330_000, "XL": 345_000}


def _split_request():
    """A verified institution's request of 120 shirts from a staff list, offers 50/50/40, split."""
    institution, officer = _institution()
    request = _request(institution, officer)
    services.set_sizes(request=request, counts={}, staff=parse_staff_list(_staff_csv()))
    services.submit_request(request=request, by=officer)
    offers = _offers(request, [50, 50, 40])
    split = allocation.propose_split(
        requested=allocation.requested_of(request),
        offers=allocation.terms_of(request),
        budget_per_piece=request.budget_per_piece,
    )
    allocation.save_split(request=request, split=split)
    return institution, officer, request, offers


def _quote(request, *, percent=30, valid_days=14, prices=PRICES):
    return quotes.issue_quote(
        request=request,
        by=make_user(is_staff=True),
        prices=prices,
        delivery_date=request.needed_by,
        valid_until=timezone.localdate() + timedelta(days=valid_days),
        down_payment_percent=percent,
    )


def test_a_quote_must_cover_the_makers_prices_and_is_numbered():
    _i, _officer, request, _offers_ = _split_request()
    with pytest.raises(ValidationError) as error:
        _quote(request, prices={**PRICES, "M": 300_000})  # below the third maker's 300.002
    assert any("Ukuran M" in text and "300.002" in text for text in error.value.messages)

    quote = _quote(request)
    assert quote.number.startswith("001/KBK/SPH/")
    summary = quote_summary(quote)
    assert [(line.size_label, line.quantity) for line in summary.lines] == [
        ("S–L", 100),
        ("XL", 20),
    ]
    assert summary.total == 100 * 330_000 + 20 * 345_000
    request.refresh_from_db()
    assert request.status == ProcurementRequest.Status.QUOTED


def test_only_the_officer_accepts_and_never_an_expired_quote():
    institution, officer, request, _offers_ = _split_request()
    staff = make_user()
    InstitutionMember.objects.create(institution=institution, user=staff)
    quote = _quote(request, valid_days=0)
    with pytest.raises(ValidationError, match="pejabat pengadaan"):
        quotes.accept_quote(
            quote=quote, by=staff, payment_method=PaymentMethod.BANK_TRANSFER, address=ADDRESS
        )
    Quote.objects.filter(pk=quote.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    quote.refresh_from_db()
    with pytest.raises(ValidationError, match="kedaluwarsa"):
        quotes.accept_quote(
            quote=quote, by=officer, payment_method=PaymentMethod.BANK_TRANSFER, address=ADDRESS
        )
    assert not Order.objects.exists()


def test_a_declined_quote_says_why_and_the_cooperative_may_quote_again():
    _i, officer, request, _offers_ = _split_request()
    quote = _quote(request)
    with pytest.raises(ValidationError):
        quotes.decline_quote(quote=quote, by=officer, reason=" ")
    quotes.decline_quote(quote=quote, by=officer, reason="Anggaran belum turun")
    quote.refresh_from_db()
    assert quote.status == Quote.Status.DECLINED and quote.decline_reason
    assert _quote(request).number.startswith("002/")


def test_acceptance_places_one_order_and_the_ledger_adds_up_to_the_rupiah(
    django_capture_on_commit_callbacks,
):
    _i, officer, request, offers = _split_request()
    quote = _quote(request, percent=30)
    quote = quotes.accept_quote(
        quote=quote, by=officer, payment_method=PaymentMethod.BANK_TRANSFER, address=ADDRESS
    )
    order = quote.order
    summary = quote_summary(quote)
    assert order.total == summary.total and order.status == Order.Status.CONFIRMED
    suborders = list(order.suborders.order_by("pk"))
    assert len(suborders) == 3
    assert route_order(order=order)
    down = order.payments.get(purpose=Payment.Purpose.DOWN_PAYMENT)
    assert down.amount == sum(s.down_payment for s in suborders)

    # makers accept; starting work waits for the down payment
    for suborder in suborders:
        transition_suborder(
            suborder=suborder, to=SubOrder.Status.ACCEPTED, by=suborder.shop.owner,
            ready_by=request.needed_by,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="Uang muka belum dibayar"):
        transition_suborder(
            suborder=suborders[0], to=SubOrder.Status.IN_PROGRESS, by=suborders[0].shop.owner
        )
    confirm_transfer(payment=down, by=make_user(is_staff=True))
    with django_capture_on_commit_callbacks(execute=True):
        _make_and_hand_over(quote, officer, suborders)
    invoice = order.payments.get(purpose=Payment.Purpose.INVOICE)
    assert invoice.amount == order.total - down.amount
    assert not order.payments.filter(purpose=Payment.Purpose.BALANCE).exists()
    confirm_transfer(payment=invoice, by=make_user(is_staff=True))

    paid = amounts_paid(order)
    assert paid.paid == order.total and paid.outstanding == 0
    entries = LedgerEntry.objects.filter(suborder__order=order)
    makers = sum(entry.amount for entry in entries)
    maker_prices = {offer.shop_id: offer.price_per_piece for offer in offers}
    assert makers == sum(
        share.quantity * maker_prices[share.shop_id] for share in quote.shares.all()
    )
    margin = -sum(e.amount for e in entries if e.kind in ("commission", "down_commission"))
    assert paid.paid == makers + margin
    for suborder in suborders:
        suborder.refresh_from_db()
        assert suborder.status == SubOrder.Status.COMPLETED


def _make_and_hand_over(quote, officer, suborders):
    for suborder in suborders:
        owner = suborder.shop.owner
        transition_suborder(suborder=suborder, to=SubOrder.Status.IN_PROGRESS, by=owner)
        transition_suborder(suborder=suborder, to=SubOrder.Status.READY, by=owner)
        transition_suborder(suborder=suborder, to=SubOrder.Status.SHIPPED, by=owner)
    quotes.confirm_handover(quote=quote, by=officer, suborders=suborders)


def _accepted_by_transfer(request, officer, *, percent: int):
    """The officer accepts the request's quote, to be paid by bank transfer."""
    return quotes.accept_quote(
        quote=_quote(request, percent=percent), by=officer,
        payment_method=PaymentMethod.BANK_TRANSFER, address=ADDRESS,
    )  # fmt: skip


def _accept_and_ship(suborders, *, ready_by, start_work=False):
    """Each maker accepts their part of an institution's order by its date and ships it."""
    for suborder in suborders:
        owner = suborder.shop.owner
        transition_suborder(
            suborder=suborder, to=SubOrder.Status.ACCEPTED, by=owner, ready_by=ready_by
        )
        if start_work:
            transition_suborder(suborder=suborder, to=SubOrder.Status.IN_PROGRESS, by=owner)
        transition_suborder(suborder=suborder, to=SubOrder.Status.SHIPPED, by=owner)


def _handed_over_by_virtual_account(django_capture_on_commit_callbacks):
    """A quote accepted with nothing down, everything to be paid by BNI virtual account after
    the handover; made, shipped and handed over at once. Returns the quote and its officer."""
    _i, officer, request, _offers_ = _split_request()
    quote = quotes.accept_quote(
        quote=_quote(request, percent=0), by=officer, payment_method=PaymentMethod.MIDTRANS,
        channel="bni_va", address=ADDRESS,
    )  # fmt: skip
    route_order(order=quote.order)
    suborders = list(quote.order.suborders.all())
    with django_capture_on_commit_callbacks(execute=True):
        _accept_and_ship(suborders, ready_by=request.needed_by)
        quotes.confirm_handover(quote=quote, by=officer, suborders=suborders)
    return quote, officer


def test_the_packing_lists_deal_out_the_staff_list_by_size():
    _i, officer, request, _offers_ = _split_request()
    quote = _quote(request)
    lists = packing_lists(quote)
    assert len(lists) == 3
    names = [row.name for packing in lists.values() for row in packing.rows]
    assert sorted(names) == sorted(request.staff.values_list("name", flat=True))
    for packing in lists.values():
        for row in packing.rows:
            assert request.staff.get(name=row.name).size == row.size
        assert len(packing.rows) == packing.quantity


def test_an_institution_pays_its_down_payment_by_virtual_account(
    client, fake_midtrans, notification_receiver
):
    _i, officer, request, _offers_ = _split_request()
    quote = quotes.accept_quote(
        quote=_quote(request, percent=40), by=officer, payment_method=PaymentMethod.MIDTRANS,
        channel="bca_va", address=ADDRESS,
    )  # fmt: skip
    order = quote.order
    assert route_order(order=order)  # routed at acceptance, before any payment
    client.force_login(officer)
    page = client.get(f"/en/pesanan/{order.reference}/bayar-online/").content.decode()
    charge = MidtransCharge.objects.get()
    down = order.payments.get(purpose=Payment.Purpose.DOWN_PAYMENT)
    assert charge.va_number in page and charge.amount == down.amount
    [at_gateway] = fake_midtrans.charges()
    assert at_gateway["gross_amount"] == f"{down.amount}.00"

    fake_midtrans.pay(charge.gateway_order_id)
    body = notification_receiver.wait_for(charge.gateway_order_id, "settlement")
    assert (
        client.post(
            "/midtrans/notification/", data=json.dumps(body), content_type="application/json"
        ).status_code
        == 200
    )
    down.refresh_from_db()
    order.refresh_from_db()
    assert down.status == Payment.Status.PAID and order.paid_at is not None
    assert amounts_paid(order).down_payment_paid == down.amount


def test_the_rest_is_invoiced_once_every_part_is_handed_over(django_capture_on_commit_callbacks):
    institution, officer, request, _offers_ = _split_request()
    quote = _accepted_by_transfer(request, officer, percent=0)
    order = quote.order
    assert not order.payments.exists()  # everything after the handover
    route_order(order=order)
    first, second, third = order.suborders.order_by("pk")
    with django_capture_on_commit_callbacks(execute=True):
        _accept_and_ship([first, second, third], ready_by=request.needed_by)
        staff = make_user()
        InstitutionMember.objects.create(institution=institution, user=staff)
        with pytest.raises(ValidationError, match="pejabat pengadaan"):
            quotes.confirm_handover(quote=quote, by=staff, suborders=[first])

        quotes.confirm_handover(quote=quote, by=officer, suborders=[first])
        assert not order.payments.exists()  # two parts still to come
        # the officer marked one received on the order page: the handover still completes it
        transition_suborder(suborder=second, to=SubOrder.Status.DELIVERED, by=officer)
        quotes.confirm_handover(quote=quote, by=officer, suborders=[second, third])
        with pytest.raises(ValidationError):
            quotes.confirm_handover(quote=quote, by=officer, suborders=[third])  # once
    invoice = order.payments.get()
    assert invoice.purpose == Payment.Purpose.INVOICE and invoice.amount == order.total
    assert set(order.suborders.values_list("status", flat=True)) == {SubOrder.Status.COMPLETED}
    assert LedgerEntry.objects.filter(suborder__order=order, kind="sale").count() == 3


def test_an_offer_in_a_sent_quote_cannot_be_withdrawn_or_revised():
    _i, _officer, request, offers = _split_request()
    _quote(request)
    offer = offers[0]
    with pytest.raises(ValidationError, match="koperasi"):
        services.withdraw_offer(offer=offer, by=offer.shop.owner)
    request.refresh_from_db()
    with pytest.raises(ValidationError):
        services.submit_offer(
            request=request, shop=offer.shop, by=offer.shop.owner, price_per_piece=1,
            delivery_date=request.needed_by, sizes={"M": 1},
        )  # fmt: skip
    offer.refresh_from_db()
    assert offer.status == offer.Status.ACTIVE and offer.allocations.exists()


def test_an_expired_quote_shows_so_and_offers_no_acceptance(client):
    _i, officer, request, _offers_ = _split_request()
    quote = _quote(request)
    Quote.objects.filter(pk=quote.pk).update(valid_until=timezone.localdate() - timedelta(days=1))
    client.force_login(officer)
    page = client.get(f"/en/instansi/penawaran/{quote.pk}/").content.decode()
    assert 'data-testid="quote-status">Expired<' in page
    assert 'data-testid="accept-quote"' not in page


def test_everything_after_the_handover_by_virtual_account_is_invoiced_on_the_chosen_bank(
    django_capture_on_commit_callbacks,
):
    quote, _officer = _handed_over_by_virtual_account(django_capture_on_commit_callbacks)
    order = quote.order
    invoice = order.payments.get()
    assert invoice.purpose == Payment.Purpose.INVOICE and invoice.channel == "bni_va"
    assert MidtransCharge.objects.get(payment=invoice).amount == order.total


def test_the_cooperative_sees_each_makers_part_and_margin_and_prints_the_packing_lists(
    admin_client,
):
    _i, officer, request, offers = _split_request()
    quote = _quote(request)
    page = admin_client.get(f"/admin/procurement/quote/{quote.pk}/change/").content.decode()
    assert 'data-testid="quote-parts"' in page
    assert all(offer.shop.name in page for offer in offers)
    for part in maker_parts(quote):
        assert part.margin > 0 and format_rupiah(part.margin) in page
    sheet = admin_client.get(f"/admin/procurement/quote/{quote.pk}/daftar-kemas/").content.decode()
    assert sheet.count('data-testid="packing-list"') == 3
    assert sheet.count('data-testid="packing-row"') == 120


def test_what_each_maker_delivered_is_read_back_for_the_handover_record(
    django_capture_on_commit_callbacks,
):
    _i, officer, request, _offers_ = _split_request()
    quote = _accepted_by_transfer(request, officer, percent=0)
    route_order(order=quote.order)
    suborders = list(quote.order.suborders.all())
    with django_capture_on_commit_callbacks(execute=True):
        for suborder in suborders:
            owner = suborder.shop.owner
            transition_suborder(
                suborder=suborder, to=SubOrder.Status.ACCEPTED, by=owner,
                ready_by=request.needed_by,
            )  # fmt: skip
            transition_suborder(suborder=suborder, to=SubOrder.Status.SHIPPED, by=owner)
        quotes.confirm_handover(quote=quote, by=officer, suborders=suborders[:2])
    parts = delivered_parts(quote.order)
    assert [part.suborder.pk for part in parts] == sorted(
        (s.pk for s in suborders[:2]), key=lambda pk: SubOrder.objects.get(pk=pk).shop_name
    )
    assert sum(part.quantity for part in parts) == sum(
        line.quantity for s in suborders[:2] for line in s.lines.all()
    )


def test_the_cooperative_confirms_an_institutions_transfers_from_the_orders_admin_page(
    client, django_capture_on_commit_callbacks
):
    # an institution's order is confirmed at acceptance, before its down payment is paid
    _i, officer, request, _offers_ = _split_request()
    quote = _accepted_by_transfer(request, officer, percent=30)
    order = quote.order
    route_order(order=order)
    client.force_login(make_user(is_staff=True, is_superuser=True))
    change_url = reverse("admin:orders_order_change", args=[order.pk])
    confirm_url = reverse("admin:orders_order_confirm_transfer", args=[order.pk])

    # the down payment's transfer is confirmed from the order's page, once
    assert confirm_url.encode() in client.get(change_url).content
    client.post(confirm_url)
    down = order.payments.get(purpose=Payment.Purpose.DOWN_PAYMENT)
    assert down.status == Payment.Status.PAID
    assert confirm_url.encode() not in client.get(change_url).content

    # and so is the invoice of the rest after the handover
    suborders = list(order.suborders.order_by("pk"))
    with django_capture_on_commit_callbacks(execute=True):
        for suborder in suborders:
            transition_suborder(
                suborder=suborder, to=SubOrder.Status.ACCEPTED, by=suborder.shop.owner,
                ready_by=request.needed_by,
            )  # fmt: skip
        _make_and_hand_over(quote, officer, suborders)
    assert confirm_url.encode() in client.get(change_url).content
    client.post(confirm_url)
    invoice = order.payments.get(purpose=Payment.Purpose.INVOICE)
    assert invoice.status == Payment.Status.PAID
    assert amounts_paid(order).outstanding == 0
    assert confirm_url.encode() not in client.get(change_url).content


def test_a_maker_ready_with_an_institutions_part_is_told_the_rest_comes_after_the_handover(client):
    _i, officer, request, _offers_ = _split_request()
    quote = _accepted_by_transfer(request, officer, percent=30)
    order = quote.order
    route_order(order=order)
    confirm_transfer(
        payment=order.payments.get(purpose=Payment.Purpose.DOWN_PAYMENT),
        by=make_user(is_staff=True),
    )
    suborder = order.suborders.order_by("pk").first()
    owner = suborder.shop.owner
    transition_suborder(
        suborder=suborder, to=SubOrder.Status.ACCEPTED, by=owner, ready_by=request.needed_by
    )
    transition_suborder(suborder=suborder, to=SubOrder.Status.IN_PROGRESS, by=owner)
    transition_suborder(suborder=suborder, to=SubOrder.Status.READY, by=owner)
    client.force_login(owner)
    page = client.get(f"/en/dasbor/pesanan/{suborder.pk}/").content.decode()
    assert "The rest is paid" not in page  # only the down payment is
    assert "Ship it: the institution is invoiced for the rest after the handover." in page
    assert reverse("dashboard:order-ship", args=[suborder.pk]) in page  # it may ship
