"""The cooperative's printable documents of an institution's order: the quote letter, the order
letter, the invoices, the receipts and the handover records; their numbers, sums and readers."""

import re

import pytest
from django.test import Client

from orders.models import MidtransCharge, Payment, PaymentMethod
from orders.payments.transfer import confirm_transfer
from orders.routing import route_order
from procurement import allocation, quotes, services
from procurement.documents import amount_in_words
from procurement.models import Document, DocumentNumber, Institution, InstitutionMember
from tests.concurrency import requires_row_locks, run_at_once
from tests.factories import make_user
from tests.orders.midtrans_server import (  # noqa: F401 (fixtures)
    fake_midtrans_fixture,
    midtrans_server_fixture,
)
from tests.procurement.test_quotes import (
    ADDRESS,
    _accept_and_ship,
    _accepted_by_transfer,
    _handed_over_by_virtual_account,
    _quote,
    _split_request,
)
from tests.procurement.test_requests import SIZES, _institution, _offers, _request

pytestmark = pytest.mark.django_db

K = Document.Kind
TOTAL = 100 * 330_000 + 20 * 345_000  # Rp 39.900.000 at test_quotes.PRICES


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*>([^<]*)<', page)
    assert match, f"no {testid} on the page"
    return match.group(1).strip()


def _rupiah(text: str) -> int:
    return int(text.replace("Rp", "").replace(".", "").replace("\xa0", "").strip())


def _handed_over(*, percent=30, django_capture_on_commit_callbacks):
    """A quote accepted with a down payment paid, made, and handed over in two confirmations."""
    _institution_, officer, request, offers = _split_request()
    quote = _accepted_by_transfer(request, officer, percent=percent)
    order = quote.order
    route_order(order=order)
    if percent:
        confirm_transfer(
            payment=order.payments.get(purpose=Payment.Purpose.DOWN_PAYMENT),
            by=make_user(is_staff=True),
        )
    suborders = list(order.suborders.order_by("pk"))
    with django_capture_on_commit_callbacks(execute=True):
        _accept_and_ship(suborders, ready_by=request.needed_by, start_work=True)
        quotes.confirm_handover(quote=quote, by=officer, suborders=suborders[:2])
        quotes.confirm_handover(quote=quote, by=officer, suborders=suborders[2:])
    confirm_transfer(
        payment=order.payments.get(purpose=Payment.Purpose.INVOICE), by=make_user(is_staff=True)
    )
    quote.refresh_from_db()
    return quote, officer, offers


def test_an_amount_is_written_in_indonesian_words():
    assert amount_in_words(3_500_000) == "tiga juta lima ratus ribu rupiah"
    assert amount_in_words(39_900_000) == "tiga puluh sembilan juta sembilan ratus ribu rupiah"
    assert amount_in_words(1_001_000) == "satu juta seribu rupiah"
    assert amount_in_words(21_000) == "dua puluh satu ribu rupiah"


def test_the_quote_letter_shows_the_cooperatives_prices_never_the_makers(client):
    _i, officer, request, offers = _split_request()
    quote = _quote(request)
    page = _client(officer).get(f"/en/instansi/penawaran/{quote.pk}/surat/").text
    assert _text(page, "document-number") == quote.number
    assert _rupiah(_text(page, "document-total")) == TOTAL
    assert _text(page, "document-words") == ("tiga puluh sembilan juta sembilan ratus ribu rupiah")
    # in Bahasa Indonesia, with the letterhead, even for a reader of the English site
    assert "Surat Penawaran Harga" in page and "Berlaku sampai" in page
    assert "Koperasi Pembatik Kutai Timur" in page and "01.234.567.8-727.000" in page
    assert "S–L" in page and "Rp 330.000" in page and "Rp 345.000" in page
    assert not any(f"{o.price_per_piece:,}".replace(",", ".") in page for o in offers)
    # the quote's page links to it
    detail = _client(officer).get(f"/en/instansi/penawaran/{quote.pk}/").text
    assert f"/en/instansi/penawaran/{quote.pk}/surat/" in detail
    # the down payment it names is the one the order then asks, to the rupiah
    named = _rupiah(_text(page, "document-down-payment"))
    order = quotes.accept_quote(
        quote=quote, by=officer, payment_method=PaymentMethod.BANK_TRANSFER, address=ADDRESS
    ).order
    assert named == order.payments.get(purpose=Payment.Purpose.DOWN_PAYMENT).amount


def test_each_event_issues_its_document_once_and_the_sums_are_what_was_paid(
    django_capture_on_commit_callbacks,
):
    quote, officer, _offers_ = _handed_over(
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    order = quote.order
    kinds = list(quote.documents.values_list("kind", flat=True))
    assert sorted(kinds) == sorted([K.ORDER, K.INVOICE, K.HANDOVER, K.HANDOVER, K.INVOICE,
                                    K.RECEIPT, K.RECEIPT])  # fmt: skip
    numbers = list(quote.documents.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    letter = quote.documents.get(kind=K.ORDER)
    assert re.fullmatch(r"001/KBK/SP/[IVX]+/\d{4}", letter.number)
    assert sorted(quote.documents.filter(kind=K.INVOICE).values_list("number", flat=True))[
        1
    ].startswith("002/KBK/INV/")

    office = _client(officer)
    pages = {
        document.pk: office.get(f"/en/instansi/dokumen/{document.pk}/").text
        for document in quote.documents.all()
    }
    for document in quote.documents.all():
        assert _text(pages[document.pk], "document-number") == document.number
    page = pages[letter.pk]
    assert "Surat Pesanan" in page and quote.number in page and order.reference in page
    assert _rupiah(_text(page, "document-total")) == TOTAL == order.total
    assert _text(page, "document-words") == amount_in_words(TOTAL)

    payments = {p.pk: p for p in order.payments.filter(status=Payment.Status.PAID)}
    invoiced, received = 0, 0
    for document in quote.documents.filter(kind__in=[K.INVOICE, K.RECEIPT]):
        page = pages[document.pk]
        amount = _rupiah(_text(page, "document-amount"))
        assert amount == payments[document.payment_id].amount
        assert _text(page, "document-words") == amount_in_words(amount)
        if document.kind == K.INVOICE:
            invoiced += amount
            assert "0011223344" in page and order.reference in page  # the bank to pay into
        else:
            received += amount
            assert "Kwitansi" in page and "Telah terima dari" in page
    assert invoiced == received == order.total

    # a handover record per confirmation: who made what, the officer, the signatures
    records = list(quote.documents.filter(kind=K.HANDOVER).order_by("pk"))
    counted = 0
    for record in records:
        page = pages[record.pk]
        assert "Berita Acara Serah Terima" in page and officer.email in page
        parts = record.handovers.select_related("suborder")
        assert page.count('data-testid="handover-part"') == parts.count()
        for handover in parts:
            assert handover.suborder.shop_name in page
        counted += _rupiah(_text(page, "document-total"))
    assert counted == 120

    # printing again reads the same numbers back; nothing new is drawn
    drawn = list(DocumentNumber.objects.order_by("kind").values_list("kind", "last"))
    again = office.get(f"/en/instansi/dokumen/{records[0].pk}/").text
    assert _text(again, "document-number") == records[0].number
    assert list(DocumentNumber.objects.order_by("kind").values_list("kind", "last")) == drawn
    assert quote.documents.count() == 7


def test_all_after_the_handover_gives_one_invoice_and_one_receipt(
    django_capture_on_commit_callbacks,
):
    quote, _officer, _offers_ = _handed_over(
        percent=0, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    [invoice] = quote.documents.filter(kind=K.INVOICE)
    [receipt] = quote.documents.filter(kind=K.RECEIPT)
    assert invoice.amount == receipt.amount == quote.order.total == TOTAL
    assert invoice.payment_id == receipt.payment_id


def test_only_the_institution_and_the_cooperative_read_the_documents(
    admin_client, django_capture_on_commit_callbacks
):
    quote, officer, offers = _handed_over(
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    urls = [f"/en/instansi/penawaran/{quote.pk}/surat/"] + [
        f"/en/instansi/dokumen/{pk}/" for pk in quote.documents.values_list("pk", flat=True)
    ]
    staff = make_user()
    InstitutionMember.objects.create(institution=quote.request.institution, user=staff)
    other = Institution.objects.create(name="SMA Negeri 1 Sangatta", kind="school", address="x")
    stranger = make_user()
    InstitutionMember.objects.create(institution=other, user=stranger, role="officer")
    clerk = make_user(is_staff=True)  # the cooperative's staff without the right to see quotes
    for url in urls:
        assert _client(officer).get(url).status_code == 200
        assert _client(staff).get(url).status_code == 200
        assert admin_client.get(url).status_code == 200
        assert _client(stranger).get(url).status_code == 404
        assert _client(clerk).get(url).status_code == 404
        for offer in offers:
            assert _client(offer.shop.owner).get(url).status_code == 404
        assert Client().get(url).status_code == 302  # to the login
    # the admin's quote page links to every document
    page = admin_client.get(f"/admin/procurement/quote/{quote.pk}/change/").text
    assert all(url.removeprefix("/en") in page or url in page for url in urls)
    # and a receipt is found by its number among the documents
    receipt = quote.documents.filter(kind=K.RECEIPT).first()
    found = admin_client.get("/admin/procurement/document/", {"q": receipt.number}).text
    letter = quote.documents.get(kind=K.ORDER)
    assert receipt.number in found and letter.number not in found


def _accepted_with_down_payment(institution, officer):
    request = _request(institution, officer)
    services.set_sizes(request=request, counts=SIZES)
    services.submit_request(request=request, by=officer)
    _offers(request, [50, 50, 40])
    split = allocation.propose_split(
        requested=allocation.requested_of(request),
        offers=allocation.terms_of(request),
        budget_per_piece=request.budget_per_piece,
    )
    allocation.save_split(request=request, split=split)
    return _accepted_by_transfer(request, officer, percent=30)


@requires_row_locks
@pytest.mark.django_db(transaction=True)
def test_receipts_confirmed_at_once_never_share_a_number():
    institution, officer = _institution()
    orders = [_accepted_with_down_payment(institution, officer).order for _ in range(2)]
    payments = [order.payments.get(purpose=Payment.Purpose.DOWN_PAYMENT) for order in orders]
    cashier = make_user(is_staff=True)

    def confirm(index, barrier):
        barrier.wait()
        return confirm_transfer(payment=payments[index], by=cashier)

    assert run_at_once(2, confirm) == [True, True]
    receipts = Document.objects.filter(kind=K.RECEIPT)
    assert receipts.count() == 2
    assert len(set(receipts.values_list("number", flat=True))) == 2
    assert DocumentNumber.objects.get(kind=K.RECEIPT).last == 2


def test_an_invoice_paid_by_virtual_account_names_that_account(
    fake_midtrans, django_capture_on_commit_callbacks
):
    quote, officer = _handed_over_by_virtual_account(django_capture_on_commit_callbacks)
    order = quote.order
    invoice = quote.documents.get(kind=K.INVOICE)
    office = _client(officer)
    # before the gateway gave an account, the invoice sends the officer to the online payment
    before = office.get(f"/en/instansi/dokumen/{invoice.pk}/").text
    assert 'data-testid="pay-to-account"' not in before and "secara online" in before.lower()
    office.get(f"/en/pesanan/{order.reference}/bayar-online/")
    charge = MidtransCharge.objects.get(payment=invoice.payment)
    assert charge.va_number
    page = office.get(f"/en/instansi/dokumen/{invoice.pk}/").text
    assert _text(page, "pay-to-account") == charge.va_number
    assert _rupiah(_text(page, "document-amount")) == order.total == TOTAL
    assert not quote.documents.filter(kind=K.RECEIPT).exists()  # nothing received yet
