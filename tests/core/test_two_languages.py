"""Every page of a fresh demo reads in one language: no English UI word on an Indonesian page and
no Indonesian one on an English page (what people wrote is set aside)."""

import io
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from artisans.models import Shop
from catalog.models import Collection, Colour, Fabric, Motif, Product, ProductType, Technique
from demo.catalog import ADMIN_EMAIL, BUYER_EMAIL
from orders import provenance
from orders.models import Order, SubOrder
from procurement.models import Institution, InstitutionMember, ProcurementRequest
from reviews.models import ProductReview, ShopReview
from tests.factories import make_user
from tests.ui_language import foreign_words

pytestmark = pytest.mark.django_db


def _in(language: str, item, field: str) -> list[str]:
    """The text of `field` the page may show in `language`: on English pages the English
    version where there is one (the Indonesian one only where there is none)."""
    indonesian, english = getattr(item, field), getattr(item, f"{field}_en", "")
    shown = english if language == "en" and english else indonesian
    return shown.splitlines() or [shown]


def _content(language: str) -> list[str]:
    """What people wrote or named: never counted as the UI's words. Listings, terms and
    collections count only in the version the page should show."""
    texts: list[str] = []
    for shop in Shop.objects.all():
        texts += [shop.name, shop.address, shop.get_district_display(), *shop.story.splitlines()]
    for product in Product.objects.all():
        texts += _in(language, product, "title") + _in(language, product, "description")
        texts += list(product.options.values_list("name", flat=True))
        # Image descriptions and the pieces' records keep the words they were written with.
        texts += list(product.images.values_list("alt_text", flat=True)) + [product.title]
    for model in (Motif, Technique, Fabric, ProductType, Colour):
        for term in model.objects.all():
            # A term's own name stays readable in both (e.g. "Paku" in "Paku (fern)").
            texts += [term.name, *_in(language, term, "name")]
            for field in ("story", "description"):
                if hasattr(term, field):
                    texts += _in(language, term, field)
    for collection in Collection.objects.all():
        texts += _in(language, collection, "title") + _in(language, collection, "description")
    for order in Order.objects.all():
        texts += [order.recipient, order.street, order.kelurahan, order.kecamatan]
        texts += [order.kabupaten, order.province, order.reference]
    for model in (ProductReview, ShopReview):
        for review in model.objects.all():
            texts += [review.text, review.reply]
    for user in get_user_model().objects.all():
        texts += [user.display_name, user.email]
    for item in ProcurementRequest.objects.all():
        texts += [item.title, *item.delivery_address.splitlines()]
    texts += list(Institution.objects.values_list("name", flat=True))
    return texts


def _pages(*, buyer, maker, officer, admin) -> list[tuple[object, str, tuple]]:
    """(who reads it, URL name, its arguments) for every page a newcomer can open."""
    product = Product.objects.published().order_by("pk").first()
    shop = Shop.objects.filter(owner=maker).first()
    suborder = SubOrder.objects.filter(shop=shop).order_by("pk").first()
    order = Order.objects.filter(buyer=buyer).order_by("pk").first()
    collection = Collection.objects.order_by("pk").first()
    request = ProcurementRequest.objects.order_by("pk").first()
    piece = provenance.register_pieces(
        product=Product.objects.filter(shop=shop).first(), count=1, by=maker
    )[0]
    other = Product.objects.filter(shop=shop).first()
    return [
        (None, "catalog:home", ()),
        (None, "catalog:product-list", ()),
        (None, "catalog:product-list", ("?q=paku",)),
        (None, "catalog:product-detail", (product.slug,)),
        (None, "artisans:shop-detail", (product.shop.slug,)),
        (None, "catalog:collection-detail", (collection.slug,)),
        (None, "provenance", (piece.code,)),
        (None, "account_login", ()),
        (None, "account_signup", ()),
        (None, "account_reset_password", ()),
        (buyer, "orders:cart", ()),
        (buyer, "orders:checkout", ()),
        (buyer, "orders:list", ()),
        (buyer, "orders:detail", (order.reference,)),
        (buyer, "accounts:profile", ()),
        (buyer, "account_email", ()),
        (buyer, "account_change_password", ()),
        (buyer, "catalog:favourite-list", ()),
        (buyer, "notifications:list", ()),
        (buyer, "reviews:to-review", ()),
        (buyer, "artisans:my-shops", ()),
        (buyer, "shop-apply", ()),
        (maker, "dashboard:home", ()),
        (maker, "dashboard:shop-profile", ()),
        (maker, "dashboard:shop-vacation", ()),
        (maker, "dashboard:listing-list", ()),
        (maker, "dashboard:product-create", ()),
        (maker, "dashboard:product-edit", (other.pk,)),
        (maker, "dashboard:product-images", (other.pk,)),
        (maker, "dashboard:order-list", ()),
        (maker, "dashboard:order-queue", ()),
        (maker, "dashboard:order-detail", (suborder.pk,)),
        (maker, "dashboard:order-shipping", ()),
        (maker, "dashboard:procurement-list", ()),
        (maker, "dashboard:piece-list", ()),
        (maker, "dashboard:piece-tags", ()),
        (maker, "dashboard:review-list", ()),
        (maker, "dashboard:finance", ()),
        (maker, "dashboard:payout-account", ()),
        (maker, "notifications:list", ()),
        (officer, "procurement:request-list", ()),
        (officer, "procurement:request-create", ()),
        (officer, "procurement:request-detail", (request.pk,)),
        (admin, "admin:index", ()),
        (admin, "admin:cooperative-impact-report", ("?start=2026-01-01&end=2099-12-31",)),
        (admin, "admin:catalog_product_changelist", ()),
        (admin, "admin:catalog_product_change", (product.pk,)),
        (admin, "admin:artisans_shop_changelist", ()),
        (admin, "admin:orders_order_changelist", ()),
        (admin, "admin:orders_suborder_changelist", ()),
        (admin, "admin:ledger_ledgerentry_changelist", ()),
    ]


def _url(name: str, args: tuple, language: str) -> str:
    query = "".join(arg for arg in args if isinstance(arg, str) and arg.startswith("?"))
    args = tuple(arg for arg in args if not (isinstance(arg, str) and arg.startswith("?")))
    with translation.override(language):
        return reverse(name, args=args) + query


def _institution_with_a_request():
    officer = make_user(email="pengadaan@kutaitimurkab.go.id", display_name="Rina Pengadaan")
    institution = Institution.objects.create(
        name="Dinas Koperasi dan UKM Kutai Timur", kind="government", address="Sangatta"
    )
    InstitutionMember.objects.create(institution=institution, user=officer, role="officer")
    ProcurementRequest.objects.create(
        institution=institution,
        created_by=officer,
        title="Seragam batik staf dinas",
        product_type=ProductType.objects.get(slug="kemeja"),
        budget_per_piece=300_000,
        needed_by="2099-06-01",
        delivery_address="Jl. Soekarno Hatta, Sangatta",
    )
    return officer


def test_every_page_of_the_demo_reads_in_one_language(client):
    # given a fresh demo (the makers and their batik, the buyer's orders) and an office's request
    started = time.monotonic()
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo_orders", stdout=io.StringIO())
    seeded_in = time.monotonic() - started
    buyer = get_user_model().objects.get(email=BUYER_EMAIL)
    maker = SubOrder.objects.order_by("pk").first().shop.owner
    officer = _institution_with_a_request()
    admin = get_user_model().objects.get(email=ADMIN_EMAIL)
    pages = _pages(buyer=buyer, maker=maker, officer=officer, admin=admin)
    content = {language: _content(language) for language in ("id", "en")}
    option = Product.objects.published().order_by("pk").first().options.first()

    # when each page is read in Indonesian and in English, then each says only its language
    problems = []
    for reader in (None, buyer, maker, officer, admin):
        client.logout()
        if reader is not None:
            client.force_login(reader)
        if reader == buyer:
            # something in the cart, so that the cart and checkout show their whole form
            client.post(reverse("orders:cart-add"), {"option": option.pk, "quantity": 1})
            client.get(reverse("orders:cart"))  # and its "added" message read
        for name, args in [(name, args) for who, name, args in pages if who == reader]:
            for language in ("id", "en"):
                url = _url(name, args, language)
                response = client.get(url)
                if response.status_code != 200:
                    problems.append(f"{url}: status {response.status_code}")
                    continue
                html = response.content.decode()
                # A form that edits a listing or a term shows both versions of its text.
                editing = name.endswith(("-edit", "_change"))
                shown = content["id"] + content["en"] if editing else content[language]
                words = foreign_words(html, language=language, content=shown)
                problems += [f"{url}: {word!r} in {text!r}" for word, text in words.items()]
    assert not problems, f"(seeded in {seeded_in:.0f} s)\n" + "\n".join(problems)
