"""Minimal valid objects for tests; pass keyword arguments to change what matters to a test."""

import itertools

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from artisans.models import District, Shop, ShopMember
from catalog.models import Fabric, Motif, Product, ProductOption, ProductType, Technique

_sequence = itertools.count(1)
# A buyer's address in Kutai Timur, as place_order takes it: the official names and codes.
ADDRESS = {
    "recipient": "Siti Aminah",
    "phone": "0812-3456-7890",
    "street": "Jl. Pendidikan No. 12",
    "kelurahan": "Swarga Bara",
    "kecamatan": "Sangatta Utara",
    "kabupaten": "Kabupaten Kutai Timur",
    "province": "Kalimantan Timur",
    "postal_code": "75683",
    "province_code": "64",
    "regency_code": "64.08",
    "district_code": "64.08.04",
    "village_code": "64.08.04.2012",
}

PASSWORD = "kain-panjang-2026"


def make_user(*, email: str | None = None, verified: bool = True, **extra):
    """A user who can log in with PASSWORD; verified email unless told otherwise."""
    number = next(_sequence)
    email = email or f"user{number}@example.com"
    user = get_user_model().objects.create_user(email=email, password=PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def make_shop(*, owner=None, status: str = Shop.Status.APPROVED, **extra) -> Shop:
    number = next(_sequence)
    owner = owner or make_user()
    defaults = {
        "name": f"Toko Batik {number}",
        "slug": f"toko-batik-{number}",
        "district": District.SANGATTA_UTARA,
        "address": "Jl. Yos Sudarso No. 1, Sangatta Utara",
        "whatsapp": "+6281250000000",
        "status": status,
        "approved_at": timezone.now() if status == Shop.Status.APPROVED else None,
        "rejection_reason": "Belum lengkap" if status == Shop.Status.REJECTED else "",
    }
    defaults.update(extra)
    shop = Shop.objects.create(owner=owner, **defaults)
    ShopMember.objects.create(shop=shop, user=owner, role=ShopMember.Role.OWNER)
    return shop


def _taxon(model, slug: str, name: str):
    return model.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def make_product(
    *,
    shop: Shop | None = None,
    stock: int = 5,
    options: list[tuple[str, int, int]] | None = None,
    motif: str = "paku",
    status: str = Product.Status.ACTIVE,
    **extra,
) -> Product:
    """A product with one option holding `stock`, or the given (name, price_delta, stock) options."""
    number = next(_sequence)
    shop = shop or make_shop()
    defaults = {
        "title": f"Kain Batik Tulis Motif {motif.title()} {number}",
        "slug": f"kain-batik-{motif}-{number}",
        "description": "Batik tulis di atas katun primisima.",
        "technique": _taxon(Technique, "tulis", "Tulis"),
        "fabric": _taxon(Fabric, "katun-primisima", "Katun Primisima"),
        "product_type": _taxon(ProductType, "kain", "Kain"),
        "price": 350_000,
        "status": status,
    }
    defaults.update(extra)
    product = Product.objects.create(shop=shop, **defaults)
    product.motifs.add(_taxon(Motif, motif, motif.replace("-", " ").title()))
    for position, (name, delta, option_stock) in enumerate(options or [("", 0, stock)]):
        ProductOption.objects.create(
            product=product, name=name, price_delta=delta, stock=option_stock, position=position
        )
    return product
