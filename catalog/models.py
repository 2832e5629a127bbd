"""The batik catalog: curated taxonomy, products, their options (with stock) and images."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from artisans.models import Shop
from core.models import acting_user
from core.translated import Translated, in_language


class Taxon(models.Model):
    """A curated term buyers filter by; edited by the cooperative in Django admin."""

    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(
        _("name in English"), max_length=80, blank=True, help_text=_("Optional.")
    )
    slug = models.SlugField(_("slug"), max_length=90, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    local_name = Translated("name")

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Motif(Taxon):
    story = models.TextField(_("origin story"), blank=True)
    story_en = models.TextField(_("origin story in English"), blank=True)
    image = models.ImageField(_("image"), upload_to="motifs/", blank=True)
    shops = models.ManyToManyField(
        Shop, related_name="motifs", blank=True, verbose_name=_("shops working this motif")
    )

    local_story = Translated("story")

    class Meta(Taxon.Meta):
        verbose_name = _("motif")
        verbose_name_plural = _("motifs")


class Technique(Taxon):
    """Tulis, cap or kombinasi; printed textile is not batik and is not offered."""

    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    shops = models.ManyToManyField(
        Shop, related_name="techniques", blank=True, verbose_name=_("shops using this technique")
    )

    local_description = Translated("description")

    class Meta(Taxon.Meta):
        verbose_name = _("technique")
        verbose_name_plural = _("techniques")


class Fabric(Taxon):
    class Meta(Taxon.Meta):
        verbose_name = _("fabric")
        verbose_name_plural = _("fabrics")


class ProductType(Taxon):
    class Meta(Taxon.Meta):
        verbose_name = _("product type")
        verbose_name_plural = _("product types")


class Colour(Taxon):
    hex = models.CharField(_("colour code"), max_length=7, default="#000000")

    class Meta(Taxon.Meta):
        verbose_name = _("colour")
        verbose_name_plural = _("colours")


# What a product card reads (see ProductQuerySet.with_card_data()); loading only these keeps a
# 96-card page from parsing descriptions and search vectors it never shows.
CARD_FIELDS = (
    "id",
    "slug",
    "title",
    "title_en",
    "price",
    "is_made_to_order",
    "is_featured",
    "created_at",
    "shop_id",
    "shop__id",
    "shop__name",
    "shop__slug",
    "shop__district",
    "shop__is_verified",
    "rating_average",
    "rating_count",
)


class ProductQuerySet(models.QuerySet):
    def published(self):
        """Active products of approved shops not hidden by the cooperative: what the public sees."""
        return self.filter(
            status=Product.Status.ACTIVE, shop__status=Shop.Status.APPROVED, is_hidden=False
        )

    def of_shop(self, shop):
        return self.filter(shop=shop)

    def in_district(self, district: str):
        return self.filter(shop__district=district)

    def visible_to(self, user):
        """Published products, plus drafts and hidden listings of the user's shops (preview)."""
        if not user.is_authenticated:
            return self.published()
        from artisans.models import ShopMember

        member = ShopMember.objects.filter(shop=OuterRef("shop_id"), user=user)
        return self.filter(
            Q(status=Product.Status.ACTIVE, shop__status=Shop.Status.APPROVED, is_hidden=False)
            | Q(Exists(member), status=Product.Status.DRAFT)
            | Q(Exists(member), status=Product.Status.ACTIVE, is_hidden=True)
        )

    def with_card_data(self):
        """What a product card shows, in ONE query: the shop, the primary image, and the first
        motif and colour.

        The primary image comes as `primary_image` (absent without one), joined through a
        FilteredRelation; the first motif's and colour's names, in the active language, as
        `card_motif` and `card_colour` (None without one), so that a card shows them even when
        its title is clamped. The reader's heart is not read here: cards are shared by every
        reader, and catalog.hearts fills each reader's in.
        """

        def first_name(taxon):
            ordered = taxon.objects.filter(products=OuterRef("pk")).order_by("position", "name")
            # In the page's language: a card is kept per language.
            return models.Subquery(ordered.values(shown=in_language("name"))[:1])

        # only() before the FilteredRelation: Django refuses only() naming its fields, so the
        # image's few columns all come.
        return (
            self.only(*CARD_FIELDS)
            .annotate(
                primary_image=models.FilteredRelation(
                    "images", condition=Q(images__is_primary=True)
                ),
                card_motif=first_name(Motif),
                card_colour=first_name(Colour),
            )
            .select_related("shop", "primary_image")
        )

    def with_motif(self, motif_ids):
        through = Product.motifs.through.objects.filter(motif__in=motif_ids)
        return self.filter(Exists(through.filter(product=OuterRef("pk"))))

    def with_colour(self, colour_ids):
        through = Product.colours.through.objects.filter(colour__in=colour_ids)
        return self.filter(Exists(through.filter(product=OuterRef("pk"))))

    def in_stock(self):
        """Ready-made products with at least one option in stock."""
        stocked = ProductOption.objects.filter(product=OuterRef("pk"), stock__gt=0)
        return self.filter(Exists(stocked), is_made_to_order=False)

    def made_to_order(self):
        return self.filter(is_made_to_order=True)

    def by_verified_makers(self):
        return self.filter(shop__is_verified=True)


class Product(models.Model):
    """One batik listing; prices are whole rupiah."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.CASCADE, related_name="products"
    )
    title = models.CharField(_("title"), max_length=140)
    # Optional English versions, shown on English pages (catalog pages are cached per language).
    title_en = models.CharField(
        _("title in English"),
        max_length=140,
        blank=True,
        help_text=_("Optional: English pages show it instead of the title above."),
    )
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(
        _("description in English"),
        blank=True,
        help_text=_("Optional: English pages show it instead of the description above."),
    )
    motifs = models.ManyToManyField(Motif, verbose_name=_("motifs"), related_name="products")
    technique = models.ForeignKey(
        Technique, verbose_name=_("technique"), on_delete=models.PROTECT, related_name="products"
    )
    fabric = models.ForeignKey(
        Fabric,
        verbose_name=_("fabric"),
        on_delete=models.PROTECT,
        related_name="products",
        null=True,
        blank=True,
    )
    product_type = models.ForeignKey(
        ProductType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="products"
    )
    colours = models.ManyToManyField(
        Colour, verbose_name=_("colours"), related_name="products", blank=True
    )
    length_cm = models.PositiveIntegerField(_("length (cm)"), null=True, blank=True)
    width_cm = models.PositiveIntegerField(_("width (cm)"), null=True, blank=True)
    price = models.PositiveIntegerField(_("price (Rp)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    is_made_to_order = models.BooleanField(_("made to order"), default=False)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), null=True, blank=True)
    is_featured = models.BooleanField(_("featured"), default=False)
    # Moderation: the cooperative hides a listing with a reason; hidden listings vanish from every
    # public page (ProductQuerySet.published) and the artisan reads the reason on their listings.
    is_hidden = models.BooleanField(_("hidden by the cooperative"), default=False, db_index=True)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = acting_user(_("hidden by"))
    # Kept by reviews.services from the visible reviews, in the same transaction as each change.
    rating_average = models.DecimalField(
        _("average rating"), max_digits=3, decimal_places=2, null=True, blank=True, editable=False
    )
    rating_count = models.PositiveIntegerField(_("reviews"), default=0, editable=False)
    # How many wishlists hold this product, kept by catalog.services.toggle_favourite() so the
    # "most loved" sort reads an index instead of counting every favourite on every request.
    favourite_count = models.PositiveIntegerField(_("saved by"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Weighted words for full-text search on PostgreSQL, kept up to date by
    # catalog.services.refresh_search_vector(); GIN-indexed (migration 0002). Unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ProductQuerySet.as_manager()

    local_title = Translated("title")
    local_description = Translated("description")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="product_newest"),
            models.Index(fields=["price", "id"], name="product_price"),
            models.Index(fields=["-favourite_count", "-created_at", "-id"], name="product_popular"),
            # Counting the catalog reads this narrow index only, not every listing's row.
            models.Index(fields=["shop"], condition=Q(status="active"), name="product_active_shop"),
            # The home page's featured work: the newest few, however few are featured.
            models.Index(
                fields=["-created_at", "-id"],
                condition=Q(is_featured=True),
                name="product_featured",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_made_to_order=False) | Q(lead_time_days__gt=0),
                name="product_made_to_order_has_lead_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:product-detail", args=[self.slug])


class ProductOption(models.Model):
    """A size or length of a product, with its own stock and price difference."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="options")
    name = models.CharField(_("option"), max_length=60, blank=True)
    price_delta = models.IntegerField(_("price difference (Rp)"), default=0)
    stock = models.PositiveIntegerField(_("stock"), default=0)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="option_stock_not_negative"),
            models.UniqueConstraint(fields=["product", "name"], name="option_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.product} – {self.name}" if self.name else str(self.product)

    @property
    def price(self) -> int:
        return self.product.price + self.price_delta


class ProductImage(models.Model):
    """A photo of a product, stored re-encoded; the first by position is the primary one."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        _("image"), upload_to="products/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    alt_text = models.CharField(_("description of the image"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_primary = models.BooleanField(_("primary"), default=False)
    # Storage names of the WebP thumbnails by width, e.g. {"320": "products/thumbs/…-320.webp"}.
    thumbnails = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_primary", "position", "pk"]
        verbose_name = _("product image")
        verbose_name_plural = _("product images")
        constraints = [
            models.UniqueConstraint(
                fields=["product"], condition=Q(is_primary=True), name="one_primary_image"
            ),
        ]

    def __str__(self) -> str:
        return self.alt_text or self.image.name

    @cached_property
    def thumbnail_urls(self) -> list[tuple[int, str]]:
        """(width, url) of the WebP thumbnails, narrowest first (worked out once per image
        object: a card asks for them twice, for its src and its srcset)."""
        storage = self.image.storage
        pairs = []
        for width, name in (self.thumbnails or {}).items():
            if str(width).isdigit() and name:
                pairs.append((int(width), storage.url(name)))
        return sorted(pairs)

    def srcset(self) -> str:
        """A `srcset` value from the thumbnails, or "" when none were made yet."""
        return ", ".join(f"{url} {width}w" for width, url in self.thumbnail_urls)

    def url_for_width(self, width: int) -> str:
        """The smallest thumbnail at least `width` wide, else the original."""
        for thumb_width, url in self.thumbnail_urls:
            if thumb_width >= width:
                return url
        return self.image.url

    def height_for(self, width: int) -> int:
        """The height at `width` keeping the aspect ratio (for width/height attributes)."""
        if not self.width or not self.height:
            return width
        return round(self.height * width / self.width)


class Favourite(models.Model):
    """A product a buyer saved to their wishlist."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourites"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="favourited_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        constraints = [
            models.UniqueConstraint(fields=["user", "product"], name="favourite_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ♥ {self.product}"


class CollectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Collection(models.Model):
    """A curated, ordered selection of batik (e.g. "Motif Paku", "Seragam kantor")."""

    title = models.CharField(_("title"), max_length=120)
    title_en = models.CharField(_("title in English"), max_length=120, blank=True)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    image = models.ImageField(_("image"), upload_to="collections/", blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    products = models.ManyToManyField(
        Product, through="CollectionItem", related_name="collections", verbose_name=_("products")
    )

    objects = CollectionQuerySet.as_manager()

    local_title = Translated("title")
    local_description = Translated("description")

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:collection-detail", args=[self.slug])


class CollectionItem(models.Model):
    """One product in a collection, at its place in the cooperative's order."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("collection item")
        verbose_name_plural = _("collection items")
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "product"], name="collection_item_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collection} · {self.product}"


class ShopTypeCapacity(models.Model):
    """A shop's made-to-order pieces per week for one product type, where it differs from the
    shop-wide figure (`Shop.weekly_capacity`); that type's work then queues on its own."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="type_capacities")
    product_type = models.ForeignKey(
        ProductType,
        verbose_name=_("product type"),
        on_delete=models.CASCADE,
        related_name="shop_capacities",
    )
    weekly_capacity = models.PositiveSmallIntegerField(
        _("pieces per week"), validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["shop", "product_type"]
        verbose_name = _("capacity per product type")
        verbose_name_plural = _("capacities per product type")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "product_type"], name="shop_type_capacity_unique"
            ),
            models.CheckConstraint(
                condition=Q(weekly_capacity__gte=1), name="shop_type_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop} · {self.product_type}: {self.weekly_capacity}"
