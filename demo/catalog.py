"""Demo data: the makers, motifs and batik of Kutai Timur, with images drawn by Pillow.

What makers write (stories, descriptions) is in Bahasa Indonesia, as they would write it; the
cooperative's terms, stories and collections, and the listings, carry an English version too.
"""

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from artisans.models import District, Shop, ShopMember
from catalog.models import (
    Collection,
    CollectionItem,
    Colour,
    Fabric,
    Motif,
    Product,
    ProductImage,
    ProductOption,
    ProductType,
    Technique,
)
from catalog.services import add_product_images
from orders.models import ShippingProfile

from . import pictures

DEMO_PASSWORD = "batik-kutim-2026"
ADMIN_EMAIL = "admin@batik-kutim.id"
BUYER_EMAIL = "pembeli@batik-kutim.id"

MOTIFS = [
    (
        "paku",
        "Paku",
        "Pakis yang tumbuh di tepi sungai Sangatta: pucuknya yang melingkar melambangkan pertumbuhan dan awal yang baru.",
    ),
    (
        "telapak-tangan",
        "Telapak Tangan",
        "Telapak tangan: tanda karya tangan sang pembatik sendiri dan tangan-tangan yang bergandeng dalam komunitas.",
    ),
    (
        "daun-singkong",
        "Daun Singkong",
        "Daun singkong dari kebun Rantau Pulung: tanaman yang menghidupi keluarga, digambar dengan helai daunnya yang panjang.",
    ),
    (
        "wakaroros",
        "Wakaroros",
        "Bunga roset dari hutan Kutai, digambar dengan kelopak yang memancar dan titik-titik bercahaya.",
    ),
    (
        "sawit",
        "Sawit",
        "Kelapa sawit yang membentuk tanah dan kerja Kutai Timur: pelepah yang melengkung dan tandan buahnya.",
    ),
]
TECHNIQUES = [
    (
        "tulis",
        "Tulis",
        "Digambar tangan dengan canting: setiap garis unik; dikerjakan berminggu-minggu.",
    ),
    ("cap", "Cap", "Dicap dengan cap tembaga: pola berulang yang rapi dengan harga lebih ramah."),
    ("kombinasi", "Kombinasi", "Dasar dicap, detailnya digambar tangan."),
]
FABRICS = [
    ("katun-primisima", "Katun Primisima"),
    ("katun-prima", "Katun Prima"),
    ("sutra", "Sutra"),
]
PRODUCT_TYPES = [
    ("kain", "Kain"),
    ("kemeja", "Kemeja"),
    ("selendang", "Selendang"),
    ("dress", "Dress"),
]
COLOURS = [
    ("cokelat-soga", "Cokelat soga", "#5a3519"),
    ("biru-indigo", "Biru indigo", "#1c2a4a"),
    ("merah-marun", "Merah marun", "#6a1a1f"),
    ("hijau", "Hijau", "#0d5c4a"),
    ("ungu", "Ungu", "#4b2477"),
    ("oranye", "Oranye", "#8a2b12"),
]

# The English versions, by slug: the names buyers abroad read, and the stories told in English.
MOTIFS_EN = {
    "paku": (
        "Paku (fern)",
        "The fern that grows on the banks of the Sangatta river: its curled young shoot stands "
        "for growth and new beginnings.",
    ),
    "telapak-tangan": (
        "Telapak Tangan (palm of the hand)",
        "The palm of the hand: the mark of the maker's own handwork, and of the hands joined "
        "together in the community.",
    ),
    "daun-singkong": (
        "Daun Singkong (cassava leaf)",
        "Cassava leaves from the gardens of Rantau Pulung: the plant that feeds families, drawn "
        "with its long leaflets.",
    ),
    "wakaroros": (
        "Wakaroros",
        "A rosette flower of the Kutai forest, drawn with radiating petals and glowing dots.",
    ),
    "sawit": (
        "Sawit (oil palm)",
        "The oil palm that shapes the land and the work of Kutai Timur: arching fronds and "
        "bunches of fruit.",
    ),
}
TECHNIQUES_EN = {
    "tulis": (
        "Tulis (hand-drawn)",
        "Drawn by hand with a canting: every line is unique; weeks of work.",
    ),
    "cap": ("Cap (stamped)", "Stamped with a copper block: a neat repeating pattern, for less."),
    "kombinasi": ("Kombinasi (stamped and drawn)", "A stamped ground with hand-drawn details."),
}
FABRICS_EN = {"katun-primisima": "Primisima cotton", "katun-prima": "Prima cotton", "sutra": "Silk"}
PRODUCT_TYPES_EN = {
    "kain": "Kain (cloth)",
    "kemeja": "Shirt",
    "selendang": "Selendang (shawl)",
    "dress": "Dress",
}
COLOURS_EN = {
    "cokelat-soga": "Soga brown",
    "biru-indigo": "Indigo blue",
    "merah-marun": "Maroon",
    "hijau": "Green",
    "ungu": "Purple",
    "oranye": "Orange",
}
# A product's title word (PRODUCT_KINDS) in English.
PRODUCT_WORDS_EN = {
    "Kain": "Kain",
    "Kemeja": "Shirt",
    "Selendang": "Selendang",
    "Kain Sutra": "Silk Kain",
}


@dataclass(frozen=True)
class DemoMaker:
    email: str
    name: str
    shop: str
    district: str
    whatsapp: str
    motifs: tuple[str, ...]
    is_verified: bool
    story: str


MAKERS = [
    DemoMaker(
        "sari@batik-kutim.id",
        "Ibu Sari Wulandari",
        "Batik Paku Sangatta",
        District.SANGATTA_UTARA,
        "+6281250001001",
        ("paku",),
        True,
        "Sari sudah dua belas tahun membatik motif paku di rumah produksinya di Sangatta Utara, bersama empat ibu dari jalan tempat tinggalnya.",
    ),
    DemoMaker(
        "rahmah@batik-kutim.id",
        "Ibu Rahmah Hidayati",
        "Rumah Batik Telapak",
        District.SANGATTA_UTARA,
        "+6281250001002",
        ("telapak-tangan", "paku"),
        True,
        "Rahmah memimpin komunitas pembatik. Motif telapak tangannya adalah tangan setiap pembatik yang bergabung.",
    ),
    DemoMaker(
        "yusuf@batik-kutim.id",
        "Pak Yusuf Pratama",
        "Batik Singkong Rantau Pulung",
        District.RANTAU_PULUNG,
        "+6281250001003",
        ("daun-singkong", "wakaroros", "sawit"),
        True,
        "Dari kebun Rantau Pulung: daun singkong, bunga wakaroros, dan sawit, dalam batik tulis dan cap.",
    ),
    DemoMaker(
        "dewi@batik-kutim.id",
        "Ibu Dewi Lestari",
        "Sawit Indah Bengalon",
        District.BENGALON,
        "+6281250001004",
        ("sawit", "daun-singkong"),
        False,
        "Rumah batik muda di jalan pesisir Bengalon, dikenal dengan warna-warna cerah di atas katun primisima.",
    ),
    DemoMaker(
        "maria@batik-kutim.id",
        "Ibu Maria Ningsih",
        "Wakaroros Muara Wahau",
        District.MUARA_WAHAU,
        "+6281250001005",
        ("wakaroros", "paku"),
        True,
        "Maria belajar membatik dari ibunya di Muara Wahau dan menggambar bunga wakaroros dari hutan Kutai.",
    ),
    DemoMaker(
        "andi@batik-kutim.id",
        "Pak Andi Saputra",
        "Canting Sangkulirang",
        District.SANGKULIRANG,
        "+6281250001006",
        ("telapak-tangan", "wakaroros"),
        False,
        "Batik cap dan kombinasi dari Sangkulirang, untuk seragam kantor dan acara keluarga.",
    ),
]

PRODUCT_KINDS = [
    # (type slug, title word, base price, options, length, width)
    ("kain", "Kain", 350_000, [("", 0, None)], 200, 115),
    (
        "kemeja",
        "Kemeja",
        275_000,
        [
            ("S", 0, None),
            ("M", 0, None),
            ("L", 0, None),
            ("XL", 15_000, None),
            ("XXL", 25_000, None),
        ],
        None,
        None,
    ),
    ("selendang", "Selendang", 180_000, [("", 0, None)], 180, 50),
    ("kain", "Kain Sutra", 1_250_000, [("", 0, None)], 200, 115),
]


def _taxonomy() -> None:
    for position, (slug, name, story) in enumerate(MOTIFS):
        name_en, story_en = MOTIFS_EN[slug]
        Motif.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "story": story,
                "story_en": story_en,
                "position": position,
            },
        )
    for position, (slug, name, description) in enumerate(TECHNIQUES):
        name_en, description_en = TECHNIQUES_EN[slug]
        Technique.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "description": description,
                "description_en": description_en,
                "position": position,
            },
        )
    for position, (slug, name) in enumerate(FABRICS):
        Fabric.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": FABRICS_EN[slug], "position": position}
        )
    for position, (slug, name) in enumerate(PRODUCT_TYPES):
        ProductType.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "name_en": PRODUCT_TYPES_EN[slug], "position": position},
        )
    for position, (slug, name, hex_code) in enumerate(COLOURS):
        Colour.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": COLOURS_EN[slug],
                "hex": hex_code,
                "position": position,
            },
        )


def _user(email: str, *, display_name: str, **extra):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": display_name, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        # Demo accounts count as verified, as if they had clicked the link in their email.
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    return user


def _shop(maker: DemoMaker) -> Shop:
    owner = _user(maker.email, display_name=maker.name, phone=maker.whatsapp)
    now = timezone.now()
    shop, _ = Shop.objects.get_or_create(
        slug=slugify(maker.shop),
        defaults={
            "name": maker.shop,
            "owner": owner,
            "district": maker.district,
            "address": f"Jl. Pembatik No. {len(maker.shop)}, {maker.district.label}, Kutai Timur",
            "whatsapp": maker.whatsapp,
            "story": maker.story,
            "status": Shop.Status.APPROVED,
            "approved_at": now,
            "is_verified": maker.is_verified,
            "verified_at": now if maker.is_verified else None,
            # Made-to-order capacity, so ready dates come from a queue: closed on Friday and Sunday.
            "weekly_capacity": 2 + len(maker.shop) % 4,
            "days_off": "57",
        },
    )
    ShopMember.objects.get_or_create(
        shop=shop, user=owner, defaults={"role": ShopMember.Role.OWNER}
    )
    shop.motifs.add(*Motif.objects.filter(slug__in=maker.motifs))
    return shop


# Makers near Sangatta deliver themselves and take cash on delivery (or payment at pickup), so a
# newcomer's cart from one of them offers more than one way to pay; the others ship by courier,
# with pickup at the workshop.
COD_DISTRICTS = {District.SANGATTA_UTARA, District.SANGATTA_SELATAN}


def _shipping(shop: Shop) -> None:
    ShippingProfile.objects.get_or_create(
        shop=shop,
        defaults={"offers_pickup": True, "offers_cod": shop.district in COD_DISTRICTS},
    )


def _products(shop: Shop, maker: DemoMaker, rng: random.Random, count: int) -> int:
    techniques = {t.slug: t for t in Technique.objects.all()}
    fabrics = {f.slug: f for f in Fabric.objects.all()}
    types = {t.slug: t for t in ProductType.objects.all()}
    colours = list(Colour.objects.all())
    motifs = {m.slug: m for m in Motif.objects.filter(slug__in=maker.motifs)}
    created = 0
    for index in range(count):
        motif_slug = maker.motifs[index % len(maker.motifs)]
        type_slug, word, base_price, options, length, width = PRODUCT_KINDS[
            index % len(PRODUCT_KINDS)
        ]
        technique = ("tulis", "cap", "kombinasi")[(index + len(maker.shop)) % 3]
        fabric = "sutra" if "Sutra" in word else ("katun-primisima" if index % 2 else "katun-prima")
        is_made_to_order = index % 5 == 4
        colour = colours[(index + len(maker.email)) % len(colours)]
        title = f"{word} Batik {techniques[technique].name} Motif {motifs[motif_slug].name} {colour.name}"
        slug = slugify(f"{title}-{shop.slug}")[:150]
        price = base_price + (150_000 if technique == "tulis" else 0) + rng.randrange(0, 8) * 25_000
        product, was_created = Product.objects.get_or_create(
            slug=slug,
            defaults={
                "shop": shop,
                "title": title,
                "title_en": (
                    f"{techniques[technique].name} Batik {PRODUCT_WORDS_EN[word]}, "
                    f"{motifs[motif_slug].name} Motif, {colour.name_en}"
                ),
                "description": (
                    f"{motifs[motif_slug].story}\n\n"
                    f"Batik {techniques[technique].name.lower()} di atas {fabrics[fabric].name.lower()}, "
                    f"dibuat di {shop.get_district_display()}, Kutai Timur."
                ),
                "description_en": (
                    f"{motifs[motif_slug].story_en}\n\n"
                    f"{techniques[technique].name} batik on {fabrics[fabric].name_en.lower()}, "
                    f"made in {shop.get_district_display()}, Kutai Timur."
                ),
                "technique": techniques[technique],
                "fabric": fabrics[fabric],
                "product_type": types[type_slug],
                "length_cm": length,
                "width_cm": width,
                "price": price,
                "status": Product.Status.ACTIVE,
                "is_made_to_order": is_made_to_order,
                "lead_time_days": 21 if is_made_to_order else None,
                "is_featured": index == 0,
            },
        )
        if not was_created:
            continue
        created += 1
        product.motifs.add(motifs[motif_slug])
        product.colours.add(colour)
        for position, (name, delta, _) in enumerate(options):
            ProductOption.objects.create(
                product=product,
                name=name,
                price_delta=delta,
                stock=0 if is_made_to_order else rng.randrange(2, 12),
                position=position,
            )
        # Through the same pipeline as an artisan's upload, so demo photos have thumbnails too.
        photos = pictures.product_photos(
            motif=motif_slug,
            product_type=type_slug,
            colour_hex=colour.hex,
            seed=rng.randrange(1_000_000),
            name=slug[:60],
        )
        stored = add_product_images(shop=shop, product=product, files=photos)
        for position, image in enumerate(stored):
            image.alt_text = f"{title} ({position + 1})"
        ProductImage.objects.bulk_update(stored, ["alt_text"])
    return created


COLLECTIONS = [
    (
        "motif-paku",
        "Motif Paku",
        "Pakis dari tepi sungai Sangatta, digambar tangan: pucuk muda untuk pertumbuhan dan awal yang baru.",
        {"motifs__slug": "paku"},
    ),
    (
        "seragam-kantor",
        "Seragam kantor",
        "Kemeja dan kain untuk kantor-kantor di kabupaten: pesan batik yang sama untuk satu tim, "
        "dari beberapa pembatik sekaligus.",
        {"product_type__slug__in": ["kemeja", "kain"]},
    ),
]
COLLECTIONS_EN = {
    "motif-paku": (
        "The Paku (fern) motif",
        "Ferns from the banks of the Sangatta river, drawn by hand: young shoots for growth and "
        "new beginnings.",
    ),
    "seragam-kantor": (
        "Office uniforms",
        "Shirts and cloth for the regency's offices: order the same batik for a whole team, from "
        "several makers at once.",
    ),
}


def _collections(per_collection: int = 8) -> int:
    """The two demo collections, published, with their products in a fixed order; idempotent."""
    created = 0
    for position, (slug, title, description, products) in enumerate(COLLECTIONS):
        collection, was_created = Collection.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "title_en": COLLECTIONS_EN[slug][0],
                "description": description,
                "description_en": COLLECTIONS_EN[slug][1],
                "is_published": True,
                "position": position,
            },
        )
        created += was_created
        if collection.items.exists():
            continue
        chosen = Product.objects.published().filter(**products).distinct().order_by("pk")
        CollectionItem.objects.bulk_create(
            [
                CollectionItem(collection=collection, product=product, position=index)
                for index, product in enumerate(chosen[:per_collection])
            ],
            ignore_conflicts=True,
        )
    return created


@transaction.atomic
def seed_demo(products_per_shop: int = 7) -> dict[str, int]:
    """Create the demo community once; running it again changes nothing."""
    _taxonomy()
    _user(ADMIN_EMAIL, display_name="Admin Koperasi", is_staff=True, is_superuser=True)
    _user(BUYER_EMAIL, display_name="Budi Santoso", phone="+6281350002000")
    rng = random.Random(2021)
    created = 0
    for index, maker in enumerate(MAKERS):
        shop = _shop(maker)
        _shipping(shop)
        pictures.shop_pictures(shop=shop, motifs=maker.motifs, index=index)
        created += _products(shop, maker, rng, products_per_shop)
    collections_created = _collections()
    pictures.motif_pictures()
    pictures.collection_pictures()
    from catalog.cache import bump_catalog_version
    from catalog.services import rebuild_search_index

    rebuild_search_index()
    bump_catalog_version()
    return {
        "shops": Shop.objects.count(),
        "products": Product.objects.count(),
        "products_created": created,
        "collections_created": collections_created,
    }
