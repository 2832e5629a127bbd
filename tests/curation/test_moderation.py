"""The cooperative hides a listing with a reason: it vanishes from public pages, the artisan is told."""

import pytest
from django.core import mail

from catalog.models import Product
from notifications.models import Notification, OutgoingEmail
from notifications.services import send_pending_emails
from tests.conftest import broker_down, wait_for, wait_for_email
from tests.curation.conftest import post_action
from tests.factories import make_product, make_shop, make_user

CHANGELIST = "/en/admin/catalog/product/"


def _hide(client, products, reason="Foto bukan batik tulis asli.", capture=None):
    if capture is None:
        return post_action(client, CHANGELIST, "hide_selected", products, reason=reason)
    with capture(execute=True):
        return post_action(client, CHANGELIST, "hide_selected", products, reason=reason)


@pytest.mark.django_db
def test_hide_asks_for_a_reason_first(admin_client):
    product = make_product()
    page = admin_client.post(
        CHANGELIST, {"action": "hide_selected", "_selected_action": [product.pk]}
    )
    assert page.status_code == 200
    assert b"Hide with this reason" in page.content
    product.refresh_from_db()
    assert not product.is_hidden


@pytest.mark.django_db
def test_a_hidden_listing_vanishes_from_every_public_page(
    admin_client, client, superuser, django_capture_on_commit_callbacks
):
    from django.test import Client

    shop = make_shop(name="Batik Paku Sangatta")
    hidden = make_product(shop=shop, title="Kain Paku Tersembunyi", slug="kain-paku-tersembunyi")
    kept = make_product(shop=shop, title="Kain Paku Terlihat", slug="kain-paku-terlihat")
    visitor = Client()
    assert b"Kain Paku Tersembunyi" in visitor.get("/batik/").content

    response = _hide(admin_client, [hidden], capture=django_capture_on_commit_callbacks)

    assert response.status_code == 200
    hidden.refresh_from_db()
    assert hidden.is_hidden and hidden.hidden_by == superuser and hidden.hidden_at is not None
    assert hidden.hidden_reason == "Foto bukan batik tulis asli."
    listing = visitor.get("/batik/").content
    assert b"Kain Paku Tersembunyi" not in listing and b"Kain Paku Terlihat" in listing
    assert b"Kain Paku Tersembunyi" not in visitor.get("/batik/?q=tersembunyi").content
    assert b"Kain Paku Tersembunyi" not in visitor.get("/").content
    assert b"Kain Paku Tersembunyi" not in visitor.get(shop.get_absolute_url()).content
    assert visitor.get(hidden.get_absolute_url()).status_code == 404
    assert visitor.get(kept.get_absolute_url()).status_code == 200
    assert not Product.objects.published().filter(pk=hidden.pk).exists()
    # Nobody can put it in a cart any more.
    option = hidden.options.get()
    visitor.post("/pesanan/keranjang/tambah/", {"option": option.pk, "quantity": 1})
    assert b"Kain Paku Tersembunyi" not in visitor.get("/pesanan/keranjang/").content
    # The artisan's notice was written with the hiding; the worker sends its email.
    send_pending_emails()
    notification = Notification.objects.get(recipient=shop.owner)
    assert notification.kind == "product-hidden"
    assert "Foto bukan batik tulis asli." in notification.body
    assert len(mail.outbox) == 1 and "Foto bukan batik tulis asli." in mail.outbox[0].body


@pytest.mark.django_db
def test_the_artisan_sees_the_hidden_state_and_reason_on_their_listings(
    admin_client, client, django_capture_on_commit_callbacks
):
    shop = make_shop()
    product = make_product(shop=shop)
    _hide(admin_client, [product], reason="Harga tidak wajar.")

    client.force_login(shop.owner)
    page = client.get("/en/dasbor/produk/")
    assert b"Hidden by the cooperative:" in page.content
    assert b"Harga tidak wajar." in page.content
    # The member may still preview it; buyers get a 404.
    assert client.get(product.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_unhide_puts_the_listing_back(admin_client, client):
    product = make_product(title="Kain Kembali", slug="kain-kembali")
    _hide(admin_client, [product])
    assert client.get(product.get_absolute_url()).status_code == 404

    post_action(admin_client, CHANGELIST, "unhide_selected", [product])

    product.refresh_from_db()
    assert not product.is_hidden and product.hidden_reason == ""
    assert client.get(product.get_absolute_url()).status_code == 200
    assert b"Kain Kembali" in client.get("/batik/").content


@pytest.mark.django_db
def test_the_notice_is_sent_once_in_the_artisans_language_with_a_link_to_their_listings(
    mailoutbox,
):
    owner = make_user(preferred_language="en")
    product = make_product(shop=make_shop(owner=owner), title="Selendang Sawit")
    from catalog import services

    services.hide_product(product=product, by=None, reason="Blurry photos.")

    send_pending_emails()
    send_pending_emails()  # the sweep again: nothing more

    notification = Notification.objects.get(recipient=owner)
    assert notification.url == "/en/dasbor/produk/"
    assert len(mailoutbox) == 1
    assert "The cooperative has hidden your listing" in mailoutbox[0].body
    assert "Selendang Sawit" in mailoutbox[0].subject
    assert "/en/dasbor/produk/" in mailoutbox[0].body


@pytest.mark.django_db
def test_with_the_broker_down_hiding_succeeds_and_the_sweep_tells_the_artisan(
    admin_client, django_capture_on_commit_callbacks
):
    shop = make_shop()
    product = make_product(shop=shop, title="Kain Gerhana")

    with broker_down():
        response = _hide(admin_client, [product], capture=django_capture_on_commit_callbacks)

    assert response.status_code == 200
    product.refresh_from_db()
    assert product.is_hidden
    assert Notification.objects.filter(recipient=shop.owner, kind="product-hidden").count() == 1
    assert not mail.outbox
    send_pending_emails()  # the beat's sweep, once the broker is back
    send_pending_emails()
    assert len(mail.outbox) == 1 and "Kain Gerhana" in mail.outbox[0].subject


@pytest.mark.django_db
def test_hiding_without_a_reason_is_refused():
    from django.core.exceptions import ValidationError

    from catalog import services

    product = make_product()
    with pytest.raises(ValidationError):
        services.hide_product(product=product, by=None, reason="  ")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_artisan_is_told_through_the_real_worker(celery_worker, tmp_path):
    shop = make_shop(name="Batik Wakaroros")
    product = make_product(shop=shop, title="Kain Wakaroros Biru")
    admin = make_user(is_staff=True, is_superuser=True)
    from django.test import Client

    client = Client()
    client.force_login(admin)

    _hide(client, [product], reason="Motif tidak sesuai judul.")

    notification = wait_for(
        lambda: Notification.objects.filter(recipient=shop.owner).first(), timeout=30
    )
    assert wait_for(lambda: OutgoingEmail.objects.get(key=notification.key).sent_at, timeout=30)
    assert notification.kind == "product-hidden"
    assert wait_for_email(tmp_path / "emails", containing="Motif tidak sesuai judul.")


@pytest.mark.django_db
def test_the_artisan_is_told_once_when_the_listing_is_shown_again(admin_client, mailoutbox):
    owner = make_user(preferred_language="id")
    product = make_product(shop=make_shop(owner=owner), title="Kain Kembali", slug="kain-kembali")
    _hide(admin_client, [product])
    Notification.objects.all().delete()
    OutgoingEmail.objects.all().delete()

    post_action(admin_client, CHANGELIST, "unhide_selected", [product])
    send_pending_emails()
    send_pending_emails()  # the sweep again: nothing more

    notice = Notification.objects.get(recipient=owner)
    assert notice.kind == "product-shown"
    assert notice.title == "Produk Anda “Kain Kembali” tampil lagi"
    assert notice.url == "/batik/kain-kembali/"
    assert len(mailoutbox) == 1
    assert "Koperasi telah menampilkan lagi produk Anda" in mailoutbox[0].body


@pytest.mark.django_db
def test_each_hiding_and_showing_is_told_once():
    from catalog import services

    product = make_product()
    services.hide_product(product=product, by=None, reason="Blurry photos.")
    services.unhide_product(product=product, by=None)
    assert not services.unhide_product(product=product, by=None)  # shown already: no news
    kinds = list(Notification.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["product-hidden", "product-shown"]
