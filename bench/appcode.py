"""Everything the benchmarks know about the app, in one place: addresses, form fields, seed data.

The pages are measured over HTTP; the app's code is imported only here: models (to seed data
with bulk_create and read timestamps back), management commands, and the catalog's search as
its view calls it (the search latency figure). When a URL, a
form field or a model changes, this is the one file to update.
"""

import random
import sys
import time

from harness import progress

BENCH_SLUG = "bench-"
BUYERS = 8  # signed-up buyers, each logs in once: one session per wrk connection
BUYER_PASSWORD = "bench-buyer-password-2026"
SYLLABLES = ["ka", "ri", "mu", "sa", "to", "la", "pe", "di", "ng", "wa", "ro", "be", "tu", "ha"]

# --- addresses -------------------------------------------------------------------------------
BARE = "/bench/bare"  # catalog.views.bench_bare, mounted only with BENCH_BARE_VIEW=1
HOME = "/"
CATALOG = "/batik/"
CART = "/pesanan/keranjang/"
CART_ADD = "/pesanan/keranjang/tambah/"
CHECKOUT = "/pesanan/checkout/"
LOGIN = "/akun/login/"
# A page that is never served from a cache and always holds a form: the CSRF cookie is set there.
CSRF_PAGE = LOGIN
PER_PAGE = "per_page"  # the catalog's page-size parameter (24, 48 or 96)
IN_STOCK = "availability=in-stock"


def search(word: str, *, sort: str = "", page: int = 1) -> str:
    return (
        f"{CATALOG}?q={word}"
        + (f"&sort={sort}" if sort else "")
        + (f"&page={page}" if page > 1 else "")
    )


SEARCH_SORTS = ("relevance", "newest", "price-asc", "price-desc", "popular")


def product(slug: str) -> str:
    return f"{CATALOG}{slug}/"


def shop(slug: str) -> str:
    return f"/toko/{slug}/"


def catalog_page(number: int) -> str:
    return f"{CATALOG}?page={number}"


def search_with_first_page(word: str, *, sort: str = "", page: int = 1) -> int:
    """The search a catalog page makes for `word` and the page of cards it shows, called as
    the view calls them (catalog.views.browse): what the search latency target times. The
    number of cards read."""
    from django.http import QueryDict

    from catalog.browse import CatalogQuery, browse_page
    from catalog.models import Product
    from catalog.views.browse import list_depth, matching_products

    query = CatalogQuery.from_querydict(QueryDict(search(word, sort=sort).partition("?")[2]))
    found = matching_products(Product.objects.published(), query)
    cards = browse_page(
        found.products, query, page, depth=list_depth(query),
        found=found.found, ordered_ids=found.ordered_ids,
    )  # fmt: skip
    return len(cards.object_list)


# --- forms -----------------------------------------------------------------------------------
def cart_add_form(option_id: int) -> dict:
    return {"option": option_id, "quantity": 1}


def buyer_email(number: int) -> str:
    return f"bench-buyer{number}@example.com"


def login_form(number: int) -> dict:
    return {"login": buyer_email(number), "password": BUYER_PASSWORD}


# The checkout's address fields as a browser posts them: the regions chosen by Kemendagri code.
ADDRESS = {
    "recipient": "Siti Aminah",
    "phone": "081234567890",
    "street": "Jl. Pendidikan No. 12",
    "province": "64",
    "regency": "64.08",
    "district": "64.08.04",
    "village": "64.08.04.2012",
    "postal_code": "75683",
}


def guest_checkout_form(email: str) -> dict:
    """A guest paying cash on delivery: routed to the artisans as soon as it is placed."""
    return {
        "email": email,
        "payment_method": "cod",
        **{f"address-{name}": value for name, value in ADDRESS.items()},
    }


# --- setup -----------------------------------------------------------------------------------
def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def refuse_foreign_data(slug_prefix: str = BENCH_SLUG) -> None:
    from artisans.models import Shop

    foreign = Shop.objects.exclude(slug__startswith=slug_prefix).count()
    if foreign:
        sys.exit(
            f"Refusing to run: the database holds {foreign} shops that the benchmark did not create."
        )


def words(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choice(SYLLABLES) for _ in range(4)) for _ in range(count)]


def vocabulary() -> list[str]:
    return words(random.Random(2021), 3000)


def create_buyers() -> None:
    """Signed-up buyers with a verified email (allauth's own model), who log in through the site."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    for number in range(BUYERS):
        email = buyer_email(number)
        user = get_user_model().objects.filter(email=email).first()
        if user is None:
            user = get_user_model().objects.create_user(email=email, password=BUYER_PASSWORD)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )


def seed_catalog(products: int) -> None:
    """Bulk-create shops and products (with an option, a motif and an image row) up to `products`."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from artisans.models import District, Shop, ShopMember
    from catalog.models import (
        Colour,
        Fabric,
        Motif,
        Product,
        ProductImage,
        ProductOption,
        ProductType,
        Technique,
    )

    create_buyers()
    rng = random.Random(2021)
    vocab = words(rng, 3000)
    motifs = [Motif.objects.get_or_create(slug=s, defaults={"name": n})[0] for s, n in [
        ("paku", "Paku"), ("telapak-tangan", "Telapak Tangan"), ("daun-singkong", "Daun Singkong"),
        ("wakaroros", "Wakaroros"), ("sawit", "Sawit")]]  # fmt: skip
    techniques = [
        Technique.objects.get_or_create(slug=s, defaults={"name": s.title()})[0]
        for s in ("tulis", "cap", "kombinasi")
    ]
    fabrics = [
        Fabric.objects.get_or_create(slug=s, defaults={"name": s.title()})[0]
        for s in ("katun-primisima", "sutra")
    ]
    types = [
        ProductType.objects.get_or_create(slug=s, defaults={"name": s.title()})[0]
        for s in ("kain", "kemeja", "selendang")
    ]
    for slug, hexcode in (("cokelat-soga", "#5a3519"), ("biru-indigo", "#1c2a4a")):
        Colour.objects.get_or_create(slug=slug, defaults={"name": slug, "hex": hexcode})

    existing = Product.objects.filter(shop__slug__startswith=BENCH_SLUG).count()
    if existing >= products:
        print(f"Database already holds {existing:,} benchmark products.")
        return
    shop_count = max(2, products // 50)
    User = get_user_model()
    with transaction.atomic():
        shops = list(Shop.objects.filter(slug__startswith=BENCH_SLUG).order_by("pk"))
        if len(shops) < shop_count:
            User.objects.bulk_create(
                [
                    User(email=f"bench{i}@example.com", password="!")
                    for i in range(len(shops), shop_count)
                ],
                ignore_conflicts=True,
            )
            users = list(
                User.objects.filter(email__regex=r"^bench[0-9]+@example\.com$").order_by("pk")
            )[len(shops) : shop_count]
            districts = District.values
            Shop.objects.bulk_create([
                Shop(
                    name=f"Batik {vocab[i % len(vocab)].title()} {i}", slug=f"{BENCH_SLUG}{i}", owner=user,
                    district=districts[i % len(districts)], address="Sangatta", whatsapp="+6281250000000",
                    status=Shop.Status.APPROVED, is_verified=i % 3 == 0,
                )
                for i, user in enumerate(users, start=len(shops))
            ])  # fmt: skip
            shops = list(Shop.objects.filter(slug__startswith=BENCH_SLUG).order_by("pk"))
            ShopMember.objects.bulk_create(
                [ShopMember(shop=s, user_id=s.owner_id) for s in shops], ignore_conflicts=True
            )
    started = time.monotonic()
    batch = 5000
    created = 0
    to_create = products - existing
    while created < to_create:
        size = min(batch, to_create - created)
        with transaction.atomic():
            rows = []
            for i in range(existing + created, existing + created + size):
                motif = motifs[i % len(motifs)]
                kind = types[i % len(types)]
                rows.append(
                    Product(
                        shop=shops[i % len(shops)], slug=f"{BENCH_SLUG}{i}",
                        title=f"{kind.name} Batik {motif.name} {vocab[(i * 7) % len(vocab)].title()}",
                        description=" ".join(rng.sample(vocab, 12)) + " batik tulis Kutai Timur.",
                        technique=techniques[i % 3], fabric=fabrics[i % 2], product_type=kind,
                        price=100_000 + (i % 40) * 25_000, status=Product.Status.ACTIVE,
                        is_made_to_order=i % 10 == 0, lead_time_days=14 if i % 10 == 0 else None,
                    )
                )  # fmt: skip
            saved = Product.objects.bulk_create(rows, batch_size=1000)
            Product.motifs.through.objects.bulk_create(
                [Product.motifs.through(product_id=p.pk, motif_id=motifs[k % 5].pk) for k, p in enumerate(saved, start=existing + created)],
                batch_size=2000,
            )  # fmt: skip
            ProductOption.objects.bulk_create(
                [ProductOption(product=p, name="", stock=(p.pk % 4)) for p in saved],
                batch_size=2000,
            )
            ProductImage.objects.bulk_create(
                [ProductImage(product=p, image="products/bench.jpg", width=1200, height=1200, is_primary=True,
                              thumbnails={"320": "products/bench-320.webp", "640": "products/bench-640.webp"}) for p in saved],
                batch_size=2000,
            )  # fmt: skip
        created += size
        progress("Seeding products", created, to_create)
    print(
        f"  {created:,} products in {time.monotonic() - started:.0f} s; building the search index"
    )
    started = time.monotonic()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # fresh statistics and visibility map, as autovacuum would
    print(f"  search index and VACUUM ANALYZE in {time.monotonic() - started:.0f} s")


def sample(seed: int = 7) -> dict:
    """What the page lists are made of: product and shop slugs, an option to buy, page counts."""
    from artisans.models import Shop
    from catalog.models import Product, ProductOption

    rng = random.Random(seed)
    published = Product.objects.published()
    slugs = list(published.filter(slug__startswith=BENCH_SLUG).values_list("slug", flat=True))
    shops = list(Shop.objects.filter(slug__startswith=BENCH_SLUG).values_list("slug", flat=True))
    option = (
        ProductOption.objects.filter(product__in=published, stock__gt=0)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return {
        "products": len(slugs),
        "product_slugs": rng.sample(slugs, min(300, len(slugs))),
        "shop_slugs": rng.sample(shops, min(50, len(shops))),
        "option_id": option,
    }


# --- orders ----------------------------------------------------------------------------------
ORDER_SHOP_SLUG = "bench-orders-"


def seed_order_shops(shops: int = 10) -> list[list[int]]:
    """Ten shops that offer cash on delivery, two products each; returns each shop's option ids."""
    from django.contrib.auth import get_user_model

    from artisans.models import Shop, ShopMember
    from catalog.models import Fabric, Motif, Product, ProductOption, ProductType, Technique
    from orders.models import ShippingProfile

    taxa = {
        "technique": Technique.objects.get_or_create(slug="tulis", defaults={"name": "Tulis"})[0],
        "fabric": Fabric.objects.get_or_create(slug="sutra", defaults={"name": "Sutra"})[0],
        "product_type": ProductType.objects.get_or_create(slug="kain", defaults={"name": "Kain"})[
            0
        ],
    }
    motif = Motif.objects.get_or_create(slug="paku", defaults={"name": "Paku"})[0]
    User = get_user_model()
    options = []
    for i in range(shops):
        owner, _ = User.objects.get_or_create(email=f"bench-artisan{i}@example.com")
        shop, _ = Shop.objects.get_or_create(
            slug=f"{ORDER_SHOP_SLUG}{i}",
            defaults={
                "name": f"Batik Bench {i}", "owner": owner, "address": "Sangatta",
                "whatsapp": "+6281250000000", "status": Shop.Status.APPROVED,
            },
        )  # fmt: skip
        ShopMember.objects.get_or_create(shop=shop, user=owner)
        ShippingProfile.objects.update_or_create(shop=shop, defaults={"offers_cod": True})
        ids = []
        for k in range(2):
            item, _ = Product.objects.get_or_create(
                shop=shop,
                slug=f"{ORDER_SHOP_SLUG}{i}-{k}",
                defaults={"title": f"Kain Batik Bench {i}-{k}", "price": 250_000,
                          "status": Product.Status.ACTIVE, **taxa},
            )  # fmt: skip
            item.motifs.add(motif)
            option, _ = ProductOption.objects.get_or_create(product=item, name="")
            ProductOption.objects.filter(pk=option.pk).update(stock=1_000_000)
            ids.append(option.pk)
        options.append(ids)
    return options


def clear_orders() -> None:
    """A clean slate of orders, notices and outbox emails in the benchmark's own database."""
    from notifications.models import Notification, OutgoingEmail
    from orders.models import Order

    Notification.objects.all().delete()
    OutgoingEmail.objects.all().delete()
    Order.objects.all().delete()


def orders_by_email(emails: list[str]) -> dict[str, int]:
    from orders.models import Order

    return dict(Order.objects.filter(email__in=emails).values_list("email", "pk"))


def unrouted(order_ids: list[int]) -> int:
    from orders.models import Order

    return Order.objects.filter(pk__in=order_ids, routed_at__isnull=True).count()


def routed_span(order_ids: list[int]) -> tuple:
    """(first, last) time an order of `order_ids` was routed."""
    from django.db.models import Max, Min

    from orders.models import Order

    span = Order.objects.filter(pk__in=order_ids).aggregate(
        first=Min("routed_at"), last=Max("routed_at")
    )
    return span["first"], span["last"]


def artisan_notified_at(order_ids: list[int]) -> dict[int, object]:
    """When the first artisan notice of each order was committed (the in-app row's created_at)."""
    from notifications.models import Notification

    first: dict[int, object] = {}
    rows = Notification.objects.filter(kind="order-routed").values_list("key", "created_at")
    wanted = set(order_ids)
    for key, at in rows:
        order_id = int(key.split("-")[1])  # notices.new_suborder_key: order-<id>-suborder-...
        if order_id in wanted and (order_id not in first or at < first[order_id]):
            first[order_id] = at
    return first


def emails_pending() -> int:
    from notifications.models import OutgoingEmail

    return OutgoingEmail.objects.filter(sent_at=None).count()


def emails_span() -> tuple:
    from django.db.models import Count, Max, Min

    from notifications.models import OutgoingEmail

    span = OutgoingEmail.objects.aggregate(
        first=Min("sent_at"), last=Max("sent_at"), count=Count("pk")
    )
    return span["first"], span["last"], span["count"]
