"""Transfer proofs follow the one upload rule: nothing uploaded is kept as it came.

A receipt arrives from a guest order's link anyone can have, so a PDF with JavaScript, HTML that
starts with "%PDF-", a photo that is also an HTML page or a ZIP, or many large re-posts must not
become something the site stores or serves.
"""

import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from orders import placement
from orders.models import Payment, PaymentMethod
from tests.factories import ADDRESS, make_product, make_user

pytestmark = pytest.mark.django_db

JS_PDF = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] >> endobj
4 0 obj << /S /JavaScript /JS (app.alert('pwned');) >> endobj
trailer << /Root 1 0 R >>
%%EOF
"""


def _jpeg(**extra) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (80, 60), "#5b2c12").save(data, format="JPEG", **extra)
    return data.getvalue()


def _receipt_pdf() -> bytes:
    document = pdfium.PdfDocument.new()
    document.new_page(300, 420)
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


@pytest.fixture
def buyer():
    user = make_user(email="pembeli@example.com")
    order = placement.place_order(
        buyer=user, email=user.email, quantities={make_product().options.get().pk: 1},
        address=dict(ADDRESS), payment_method=PaymentMethod.BANK_TRANSFER,
    )  # fmt: skip
    client = Client()
    client.force_login(user)
    return client, order


def _upload(client, order, name: str, data: bytes, language: str = "id"):
    prefix = "/en" if language == "en" else ""
    with translation.override(language):
        url = prefix + reverse("orders:proof", args=[order.reference]).removeprefix("/en")
    return client.post(url, {"proof": SimpleUploadedFile(name, data)}, follow=True)


def _stored(order) -> bytes:
    payment = Payment.objects.get(order=order)
    with payment.proof.open("rb") as proof:
        return proof.read()


def test_a_pdf_receipt_is_kept_as_an_image_of_its_page(buyer):
    client, order = buyer
    _upload(client, order, "bukti.pdf", _receipt_pdf())
    stored = _stored(order)
    assert stored[:3] == b"\xff\xd8\xff"  # a JPEG drawn here, not the PDF
    assert Image.open(io.BytesIO(stored)).width >= 1000


def test_a_pdf_with_javascript_keeps_none_of_it(buyer):
    client, order = buyer
    _upload(client, order, "bukti.pdf", JS_PDF)
    payment = Payment.objects.get(order=order)
    if payment.proof:
        stored = _stored(order)
        assert b"JavaScript" not in stored and stored[:3] == b"\xff\xd8\xff"
    else:  # refused as unreadable is as good
        assert payment.status == Payment.Status.PENDING


@pytest.mark.parametrize(
    ("language", "message"),
    [("id", "PDF ini tidak dapat dibaca"), ("en", "This PDF cannot be read")],
)
def test_html_dressed_as_a_pdf_is_refused_in_the_buyers_language(buyer, language, message):
    client, order = buyer
    page = _upload(client, order, "bukti.pdf", b"%PDF-<html><script>alert(1)</script>", language)
    assert message in page.content.decode()
    assert not Payment.objects.get(order=order).proof


@pytest.mark.parametrize(
    "polyglot",
    [_jpeg() + b"<html><script>alert(1)</script></html>", _jpeg() + b"PK\x03\x04" + b"\x00" * 40],
    ids=["jpeg+html", "jpeg+zip"],
)
def test_a_photo_that_is_also_something_else_is_refused(buyer, polyglot):
    client, order = buyer
    _upload(client, order, "bukti.jpg", polyglot)
    assert not Payment.objects.get(order=order).proof


def test_the_jpeg_comment_is_not_kept(buyer):
    client, order = buyer
    _upload(client, order, "bukti.jpg", _jpeg(comment=b"<script>alert(1)</script>"))
    stored = _stored(order)
    assert b"<script>" not in stored and "comment" not in Image.open(io.BytesIO(stored)).info


def test_eleven_re_posts_leave_one_file(buyer, settings, django_capture_on_commit_callbacks):
    client, order = buyer
    for _ in range(11):
        with django_capture_on_commit_callbacks(execute=True):  # each request commits
            _upload(client, order, "bukti.jpg", _jpeg())
    files = [path for path in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if path.is_file()]
    assert len(files) == 1


def test_uploads_to_one_order_are_limited(buyer):
    client, order = buyer
    for _ in range(10):
        _upload(client, order, "bukti.jpg", _jpeg())
    page = _upload(client, order, "bukti.jpg", _jpeg())
    assert "Terlalu banyak unggahan" in page.content.decode()


def test_a_proof_is_a_download_never_shown_inline(buyer):
    client, order = buyer
    _upload(client, order, "bukti.jpg", _jpeg())
    response = client.get(
        reverse("orders:transfer-proof", args=[Payment.objects.get(order=order).pk])
    )
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_confirmed_payment_takes_no_new_proof(buyer):
    from orders.payments.transfer import confirm_transfer

    client, order = buyer
    _upload(client, order, "bukti.jpg", _jpeg())
    confirm_transfer(payment=Payment.objects.get(order=order), by=make_user(is_staff=True))
    before = _stored(order)
    _upload(client, order, "lain.jpg", _jpeg(quality=30))
    assert _stored(order) == before
