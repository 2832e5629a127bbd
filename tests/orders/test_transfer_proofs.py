"""Transfer proofs are private: stored out of public reach, shown only to the buyer and staff."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from cooperative.staff import STAFF_GROUP
from orders import placement
from orders.models import PaymentMethod
from tests.factories import ADDRESS, make_product, make_user

pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(data, format="PNG")
    return SimpleUploadedFile("bukti.png", data.getvalue(), "image/png")


@pytest.fixture
def buyer_with_proof():
    """A signed-in buyer's transfer order whose proof they uploaded through the order page."""
    buyer = make_user(email="pembeli@example.com")
    order = placement.place_order(
        buyer=buyer,
        email=buyer.email,
        quantities={make_product().options.get().pk: 1},
        address=dict(ADDRESS),
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
    client = Client()
    client.force_login(buyer)
    response = client.post(reverse("orders:proof", args=[order.reference]), {"proof": _png()})
    assert response.status_code == 302
    return client, order.payments.get()


def test_a_proof_is_stored_outside_public_media(buyer_with_proof):
    _client, payment = buyer_with_proof
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / payment.proof.name
    assert stored.is_file()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.jpg"))
    with pytest.raises(ValueError, match="not accessible via a URL"):
        _ = payment.proof.url


def test_the_buyer_sees_their_proof_from_the_order_page(buyer_with_proof):
    client, payment = buyer_with_proof
    url = reverse("orders:transfer-proof", args=[payment.pk])
    page = client.get(reverse("orders:detail", args=[payment.order.reference]))
    assert url.encode() in page.content

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"  # re-encoded on upload
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)
    assert Image.open(io.BytesIO(body)).size == (60, 40)


def test_cooperative_staff_see_it_from_the_admin(buyer_with_proof):
    _client, payment = buyer_with_proof
    staff = make_user(is_staff=True)
    staff.groups.add(Group.objects.get(name=STAFF_GROUP))
    admin = Client()
    admin.force_login(staff)
    url = reverse("orders:transfer-proof", args=[payment.pk])

    changelist = admin.get(reverse("admin:orders_order_changelist"))
    assert url.encode() in changelist.content
    assert admin.get(url).status_code == 200


@pytest.mark.parametrize("who", ["another buyer", "the artisan", "staff without the right"])
def test_nobody_else_gets_it(buyer_with_proof, who):
    _client, payment = buyer_with_proof
    if who == "another buyer":
        user = make_user()
    elif who == "the artisan":
        user = payment.order.suborders.get().shop.owner
    else:
        user = make_user(is_staff=True)
    other = Client()
    other.force_login(user)
    assert other.get(reverse("orders:transfer-proof", args=[payment.pk])).status_code == 404


def test_a_visitor_is_sent_to_log_in(buyer_with_proof):
    _client, payment = buyer_with_proof
    response = Client().get(reverse("orders:transfer-proof", args=[payment.pk]))
    assert response.status_code == 302 and "/akun/login/" in response["Location"]


def test_proofs_uploaded_before_are_moved_out_of_public_media(buyer_with_proof):
    from importlib import import_module

    from django.apps import apps
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage, storages

    _client, payment = buyer_with_proof
    # as an older version stored it: in public media
    old_name = default_storage.save("payments/proofs/lama.jpg", ContentFile(b"jpeg bytes"))
    type(payment).objects.filter(pk=payment.pk).update(proof=old_name)
    migration = import_module("orders.migrations.0004_transfer_proofs_private")

    migration.move_proofs_to_private_storage(apps, None)

    payment.refresh_from_db()
    assert not default_storage.exists(old_name)
    # a run interrupted after the copy leaves a public copy behind: the next run removes it
    default_storage.save(payment.proof.name, ContentFile(b"jpeg bytes"))
    migration.move_proofs_to_private_storage(apps, None)
    assert not default_storage.exists(payment.proof.name)
    with storages["private"].open(payment.proof.name) as moved:
        assert moved.read() == b"jpeg bytes"


def test_the_admin_pages_of_the_order_and_payment_link_the_proof(buyer_with_proof, admin_client):
    _client, payment = buyer_with_proof
    url = reverse("orders:transfer-proof", args=[payment.pk]).encode()
    for page in (
        reverse("admin:orders_order_change", args=[payment.order.pk]),
        reverse("admin:orders_payment_change", args=[payment.pk]),
    ):
        response = admin_client.get(page)
        assert response.status_code == 200 and url in response.content


def test_a_proof_whose_file_is_gone_is_a_404_not_an_error(buyer_with_proof):
    from django.core.files.storage import storages

    client, payment = buyer_with_proof
    storages["private"].delete(payment.proof.name)
    assert client.get(reverse("orders:transfer-proof", args=[payment.pk])).status_code == 404
