"""Writes to the catalog: products, options and photos made by a shop's members, the search
index, the page-cache version and favourites.

Every product write takes the shop the request acts for and refuses a product of another shop, so
a view that forgets to scope its lookup still cannot touch someone else's listing. After every write
that changes what buyers see (a product, its motifs, options or images, a shop's name, status or
vacation) call `refresh_search_vector(product_ids=[...])` and `bump_catalog_version()`: the first
keeps full-text search right, the second makes every cached catalog page stale.
"""

import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from artisans.models import Shop

from . import images
from .cache import bump_catalog_version
from .models import Favourite, Product, ProductImage, ProductOption

# One UPDATE for a batch of products: title and motif names weigh most, then technique and shop
# name, then the description. The "simple" configuration: Indonesian has no stemmer in PostgreSQL,
# and prefix matching (`word:*`) at query time covers most word forms.
_REFRESH_SQL = """
UPDATE catalog_product AS p SET search_vector =
    setweight(to_tsvector('simple', coalesce(p.title, '')), 'A')
    || setweight(to_tsvector('simple', coalesce((
        SELECT string_agg(m.name, ' ')
        FROM catalog_product_motifs pm JOIN catalog_motif m ON m.id = pm.motif_id
        WHERE pm.product_id = p.id), '')), 'A')
    || setweight(to_tsvector('simple', coalesce(t.name, '')), 'B')
    || setweight(to_tsvector('simple', coalesce(s.name, '')), 'B')
    || setweight(to_tsvector('simple', coalesce(p.description, '')), 'C')
FROM catalog_technique AS t, artisans_shop AS s
WHERE t.id = p.technique_id AND s.id = p.shop_id AND p.id = ANY(%s)
"""


def refresh_search_vector(*, product_ids: Iterable[int]) -> int:
    """Recompute the stored search vector of these products; returns how many were updated.

    A no-op on databases without full-text search (SQLite), where search falls back to icontains.
    """
    ids = sorted({int(pk) for pk in product_ids})
    if not ids or connection.vendor != "postgresql":
        return 0
    updated = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(ids), 5000):
            cursor.execute(_REFRESH_SQL, [ids[start : start + 5000]])
            updated += cursor.rowcount
    return updated


def rebuild_search_index(*, batch_size: int = 5000) -> int:
    """Refresh the search vector of every product, in batches; returns the number updated."""
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    total = 0
    for start in range(0, len(ids), batch_size):
        total += refresh_search_vector(product_ids=ids[start : start + batch_size])
    return total


@transaction.atomic
def refresh_shops(*, shop_ids: Iterable[int]) -> None:
    """A shop changed (name, status, vacation...): its products' search terms and cached pages."""
    product_ids = Product.objects.filter(shop_id__in=list(shop_ids)).values_list("pk", flat=True)
    refresh_search_vector(product_ids=list(product_ids))
    bump_catalog_version()


def toggle_favourite(*, user, product: Product) -> bool:
    """Save the product to the user's wishlist, or remove it; returns True when now saved.

    Keeps `Product.favourite_count` in step, in the same transaction, for the popular sort.
    """
    deleted, _ = Favourite.objects.filter(user=user, product=product).delete()
    if deleted:
        Product.objects.filter(pk=product.pk, favourite_count__gt=0).update(
            favourite_count=F("favourite_count") - 1
        )
        return False
    _favourite, created = Favourite.objects.get_or_create(user=user, product=product)
    if created:
        Product.objects.filter(pk=product.pk).update(favourite_count=F("favourite_count") + 1)
    return True


def recount_favourites() -> int:
    """Set every product's `favourite_count` from its wishlist rows (after admin deletions)."""
    counted = Favourite.objects.filter(product=OuterRef("pk")).order_by().values("product")
    return Product.objects.update(
        favourite_count=Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), Value(0))
    )


# --- product writes ----------------------------------------------------------------------

SLUG_MAX_LENGTH = 150
PRODUCT_FIELDS = (
    "title",
    "description",
    "technique",
    "fabric",
    "product_type",
    "length_cm",
    "width_cm",
    "price",
    "is_made_to_order",
    "lead_time_days",
)
PRODUCT_M2M_FIELDS = ("motifs", "colours")


def _after_product_change(product: Product) -> None:
    """What must follow every write to a product: fresh search terms, and stale cached pages."""
    refresh_search_vector(product_ids=[product.pk])
    transaction.on_commit(bump_catalog_version)


# --- checks --------------------------------------------------------------------------------


def _check_shop(product: Product, shop: Shop) -> None:
    if product.shop_id != shop.pk:
        raise PermissionDenied("This product belongs to another shop.")


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:SLUG_MAX_LENGTH].strip("-") or "batik"
    taken = set(
        Product.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = f"{base[: SLUG_MAX_LENGTH - len(suffix)]}{suffix}"
        if candidate not in taken:
            return candidate
        number += 1


def _clean_options(product_price: int, options: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Validate options as a whole: at least one, names unique, named when there are several."""
    if not options:
        raise ValidationError(_("Add at least one option (a product without sizes has one)."))
    cleaned = []
    seen: set[str] = set()
    for option in options:
        name = (option.get("name") or "").strip()
        stock = int(option.get("stock") or 0)
        price_delta = int(option.get("price_delta") or 0)
        if stock < 0:
            raise ValidationError(_("Stock cannot be below zero."))
        if len(options) > 1 and not name:
            raise ValidationError(
                _("Give every option a name (for example S, M, L) when there are several.")
            )
        if name.casefold() in seen:
            raise ValidationError(_("The option “%(name)s” appears twice."), params={"name": name})
        if product_price + price_delta < 1:
            raise ValidationError(
                _(
                    "The option “%(name)s” would cost less than nothing: lower its price difference."
                ),
                params={"name": name or gettext("(no name)")},
            )
        seen.add(name.casefold())
        cleaned.append(
            {"id": option.get("id"), "name": name, "price_delta": price_delta, "stock": stock}
        )
    return cleaned


def _clean_product_data(data: dict[str, Any]) -> dict[str, Any]:
    price = data.get("price")
    if not isinstance(price, int) or isinstance(price, bool) or price < 1:
        raise ValidationError(_("Enter the price in whole rupiah, above zero."))
    if data.get("is_made_to_order"):
        if not data.get("lead_time_days"):
            raise ValidationError(_("Say how many days you need to make a made-to-order piece."))
    else:
        data = {**data, "lead_time_days": None}
    if data["technique"].slug in NOT_BATIK_TECHNIQUES:
        raise ValidationError(_("Printed textile is not batik and cannot be sold here."))
    return data


# Printed "batik-patterned" cloth is not batik; even if such a term were added, it is refused.
NOT_BATIK_TECHNIQUES = frozenset({"printing", "print", "cetak", "sablon"})


def _save_options(product: Product, options: list[dict[str, Any]]) -> None:
    existing = set(product.options.values_list("pk", flat=True))
    keep = {option["id"] for option in options if option["id"] in existing}
    # Delete removed options first, so a new option may take a removed one's name.
    product.options.exclude(pk__in=keep).delete()
    if len(keep) > 1:
        # Park kept names on a unique placeholder first, so swapping two names cannot collide.
        for option_id in keep:
            ProductOption.objects.filter(pk=option_id).update(name=f"~{option_id}")
    for position, option in enumerate(options):
        values = {
            "name": option["name"],
            "price_delta": option["price_delta"],
            # Made-to-order pieces are sewn when ordered: they keep no stock.
            "stock": 0 if product.is_made_to_order else option["stock"],
            "position": position,
        }
        if option["id"] in keep:
            ProductOption.objects.filter(pk=option["id"]).update(**values)
        else:
            ProductOption.objects.create(product=product, **values)


# --- products ------------------------------------------------------------------------------


@transaction.atomic
def create_product(
    *, shop: Shop, data: dict[str, Any], options: Sequence[dict[str, Any]]
) -> Product:
    """Create a draft listing with its options; `data` holds the form's cleaned fields."""
    data = _clean_product_data(data)
    cleaned_options = _clean_options(data["price"], options)
    product = Product(shop=shop, status=Product.Status.DRAFT)
    for name in PRODUCT_FIELDS:
        setattr(product, name, data.get(name))
    product.slug = _unique_slug(product.title)
    _save_with_unique_slug(product)
    for name in PRODUCT_M2M_FIELDS:
        getattr(product, name).set(data.get(name) or [])
    _save_options(product, [{**option, "id": None} for option in cleaned_options])
    _after_product_change(product)
    return product


def _save_with_unique_slug(product: Product) -> None:
    """Save, taking the next free slug if another listing took this one meanwhile."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                product.save()
            return
        except IntegrityError:
            if not Product.objects.filter(slug=product.slug).exclude(pk=product.pk).exists():
                raise
            product.slug = _unique_slug(product.title, exclude_pk=product.pk)
    raise ValidationError(_("Could not save the listing; please try again."))


@transaction.atomic
def update_product(
    *, shop: Shop, product: Product, data: dict[str, Any], options: Sequence[dict[str, Any]]
) -> Product:
    """Change a listing's details and options; the slug (and so its address) stays."""
    _check_shop(product, shop)
    data = _clean_product_data(data)
    cleaned_options = _clean_options(data["price"], options)
    for name in PRODUCT_FIELDS:
        setattr(product, name, data.get(name))
    product.save()
    for name in PRODUCT_M2M_FIELDS:
        getattr(product, name).set(data.get(name) or [])
    _save_options(product, cleaned_options)
    _after_product_change(product)
    return product


@transaction.atomic
def duplicate_product(*, shop: Shop, product: Product) -> Product:
    """A new draft copy of a listing, with its options (stock 0) and its own copies of the photos."""
    _check_shop(product, shop)
    copy = Product(shop=shop, status=Product.Status.DRAFT)
    for name in PRODUCT_FIELDS:
        setattr(copy, name, getattr(product, name))
    copy.title = gettext("%(title)s (copy)") % {"title": product.title}
    copy.title = copy.title[: Product._meta.get_field("title").max_length]
    copy.slug = _unique_slug(copy.title)
    _save_with_unique_slug(copy)
    copy.motifs.set(product.motifs.all())
    copy.colours.set(product.colours.all())
    # Stock starts at zero: a hand-drawn piece is unique, the copy is a new piece to count.
    ProductOption.objects.bulk_create(
        ProductOption(
            product=copy,
            name=option.name,
            price_delta=option.price_delta,
            stock=0,
            position=option.position,
        )
        for option in product.options.all()
    )
    saved: list[str] = []
    try:
        for image in product.images.all():
            saved_names = _copy_stored_files(image)
            saved.extend(saved_names.values())
            ProductImage.objects.create(
                product=copy,
                image=saved_names["image"],
                width=image.width,
                height=image.height,
                alt_text=image.alt_text,
                position=image.position,
                is_primary=image.is_primary,
                thumbnails={key: saved_names[key] for key in image.thumbnails},
            )
    except Exception:
        images.delete_stored(saved)
        raise
    _after_product_change(copy)
    return copy


def _copy_stored_files(image: ProductImage) -> dict[str, str]:
    """Copy a photo's files to new names, so deleting one listing never breaks the other."""
    names = {"image": image.image.name, **image.thumbnails}
    copies: dict[str, str] = {}
    try:
        for key, name in names.items():
            with default_storage.open(name, "rb") as handle:
                copies[key] = default_storage.save(name, ContentFile(handle.read()))
    except Exception:
        images.delete_stored(copies.values())
        raise
    return copies


def _change_status(product: Product, to: str) -> None:
    updated = Product.objects.filter(pk=product.pk, status=product.status).update(status=to)
    if not updated:
        raise ValidationError(
            _("This listing was changed meanwhile; reload the page and try again.")
        )
    product.status = to


@transaction.atomic
def publish_product(*, shop: Shop, product: Product) -> Product:
    """Put a draft (or an archived listing) on sale; it needs a photo and an option."""
    _check_shop(product, shop)
    if product.status == Product.Status.ACTIVE:
        return product
    missing = []
    if not product.images.exists():
        missing.append(gettext("at least one photo"))
    if not product.options.exists():
        missing.append(gettext("at least one option"))
    if missing:
        raise ValidationError(
            _("Before it can be published, this listing needs %(missing)s."),
            params={"missing": gettext(" and ").join(missing)},
            code="incomplete",
        )
    _change_status(product, Product.Status.ACTIVE)
    _after_product_change(product)
    return product


@transaction.atomic
def archive_product(*, shop: Shop, product: Product) -> Product:
    """Take a listing off sale; it stays in the dashboard and can be published again."""
    _check_shop(product, shop)
    if product.status != Product.Status.ARCHIVED:
        _change_status(product, Product.Status.ARCHIVED)
        _after_product_change(product)
    return product


@transaction.atomic
def delete_draft(*, shop: Shop, product: Product) -> None:
    """Delete a listing that was never published; listings buyers have seen are archived instead."""
    _check_shop(product, shop)
    if product.status != Product.Status.DRAFT:
        raise ValidationError(
            _("Only drafts can be deleted. Archive this listing to take it off sale.")
        )
    names = [name for image in product.images.all() for name in _stored_names(image)]
    deleted, _counts = Product.objects.filter(pk=product.pk, status=Product.Status.DRAFT).delete()
    if not deleted:
        raise ValidationError(
            _("This listing was changed meanwhile; reload the page and try again.")
        )
    transaction.on_commit(lambda: images.delete_stored(names))
    _after_product_change(product)


# --- stock ---------------------------------------------------------------------------------


def set_option_stock(*, shop: Shop, option: ProductOption, stock: int) -> ProductOption:
    """Set how many pieces of an option are in stock; never below zero."""
    _check_shop(option.product, shop)
    if not isinstance(stock, int) or isinstance(stock, bool) or stock < 0:
        raise ValidationError(_("Stock cannot be below zero."))
    ProductOption.objects.filter(pk=option.pk).update(stock=stock)
    option.stock = stock
    _after_product_change(option.product)
    return option


# --- images --------------------------------------------------------------------------------


def _stored_names(image: ProductImage) -> list[str]:
    return [image.image.name, *image.thumbnails.values()]


@transaction.atomic
def add_product_images(
    *, shop: Shop, product: Product, files: Iterable, alt_text: str = ""
) -> list[ProductImage]:
    """Check, re-encode and store photos of a listing, with thumbnails.

    All or nothing: if any file is refused, a ValidationError names it and nothing is stored.
    """
    _check_shop(product, shop)
    files = list(files)
    processed = []
    errors = []
    for uploaded in files:
        try:
            processed.append(images.process_image(uploaded))
        except ValidationError as error:
            name = getattr(uploaded, "name", "") or gettext("photo")
            errors.extend(
                ValidationError(
                    _("%(file)s: %(message)s"), params={"file": name, "message": message}
                )
                for message in error.messages
            )
    if errors:
        raise ValidationError(errors)
    Product.objects.select_for_update().filter(pk=product.pk).first()  # serialise positions
    last = product.images.order_by("-position").values_list("position", flat=True).first()
    has_primary = product.images.filter(is_primary=True).exists()
    next_position = 0 if last is None else last + 1
    created: list[ProductImage] = []
    stored: list[images.StoredImage] = []
    try:
        for offset, picture in enumerate(processed):
            saved = images.store_image(picture)
            stored.append(saved)
            created.append(
                ProductImage.objects.create(
                    product=product,
                    image=saved.name,
                    width=saved.width,
                    height=saved.height,
                    thumbnails=saved.thumbnails,
                    alt_text=alt_text,
                    position=next_position + offset,
                    is_primary=not has_primary and offset == 0,
                )
            )
    except Exception:
        images.delete_stored(name for saved in stored for name in saved.all_names)
        raise
    _after_product_change(product)
    return created


def _image_of(shop: Shop, product: Product, image: ProductImage) -> None:
    _check_shop(product, shop)
    if image.product_id != product.pk:
        raise PermissionDenied("This photo belongs to another listing.")


@transaction.atomic
def reorder_images(*, shop: Shop, product: Product, image_ids: Sequence[int]) -> None:
    """Put a listing's photos in the given order; the first one becomes the primary photo."""
    _check_shop(product, shop)
    current = list(ProductImage.objects.select_for_update().filter(product=product).order_by("pk"))
    if sorted(image_ids) != sorted(image.pk for image in current) or not current:
        raise ValidationError(_("The photos changed meanwhile; reload the page and try again."))
    by_pk = {image.pk: image for image in current}
    ProductImage.objects.filter(product=product, is_primary=True).update(is_primary=False)
    for position, image_id in enumerate(image_ids):
        image = by_pk[image_id]
        image.position = position
        image.is_primary = position == 0
    ProductImage.objects.bulk_update(current, ["position", "is_primary"])
    _after_product_change(product)


def set_primary_image(*, shop: Shop, product: Product, image: ProductImage) -> None:
    """Make a photo the primary one (shown on cards) by moving it to the front."""
    _image_of(shop, product, image)
    order = list(
        product.images.order_by("position", "pk").exclude(pk=image.pk).values_list("pk", flat=True)
    )
    reorder_images(shop=shop, product=product, image_ids=[image.pk, *order])


def move_image(*, shop: Shop, product: Product, image: ProductImage, offset: int) -> None:
    """Move a photo one place earlier (-1) or later (+1)."""
    _image_of(shop, product, image)
    order = list(product.images.order_by("position", "pk").values_list("pk", flat=True))
    index = order.index(image.pk)
    target = min(max(index + offset, 0), len(order) - 1)
    order.insert(target, order.pop(index))
    reorder_images(shop=shop, product=product, image_ids=order)


def update_image_alt_text(
    *, shop: Shop, product: Product, image: ProductImage, alt_text: str
) -> None:
    """Describe a photo for buyers who cannot see it."""
    _image_of(shop, product, image)
    image.alt_text = alt_text.strip()[:200]
    image.save(update_fields=["alt_text"])
    _after_product_change(product)


@transaction.atomic
def delete_image(*, shop: Shop, product: Product, image: ProductImage) -> None:
    """Remove a photo and its files; the next photo becomes primary if this one was."""
    _image_of(shop, product, image)
    names = _stored_names(image)
    image.delete()
    remaining = list(product.images.order_by("position", "pk").values_list("pk", flat=True))
    if remaining:
        reorder_images(shop=shop, product=product, image_ids=remaining)
    transaction.on_commit(lambda: images.delete_stored(names))
    _after_product_change(product)


# --- the cooperative's curation ------------------------------------------------------------


@transaction.atomic
def hide_product(*, product: Product, by, reason: str) -> bool:
    """Take a listing off every public page with a reason the artisan reads; False if hidden.

    The artisan is told on the site and by email through the worker, after the commit.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the artisan a reason for hiding the listing."))
    updated = Product.objects.filter(pk=product.pk, is_hidden=False).update(
        is_hidden=True, hidden_reason=reason, hidden_at=timezone.now(), hidden_by=by
    )
    if not updated:
        return False
    product.refresh_from_db(fields=["is_hidden", "hidden_reason", "hidden_at", "hidden_by"])
    from .tasks import notify_product_hidden_task

    notify_product_hidden_task.delay_on_commit(product.pk)
    transaction.on_commit(bump_catalog_version)
    return True


@transaction.atomic
def unhide_product(*, product: Product, by) -> bool:
    """Put a hidden listing back on the public pages; False when it was not hidden.

    The artisan is told on the site and by email through the worker, after the commit.
    """
    updated = Product.objects.filter(pk=product.pk, is_hidden=True).update(
        is_hidden=False, hidden_reason="", hidden_at=None, hidden_by=None
    )
    if updated:
        product.is_hidden, product.hidden_reason = False, ""
        product.hidden_at = product.hidden_by = None
        from .tasks import notify_product_shown_task

        # The moment names this showing, so a retried task sends one message for it.
        notify_product_shown_task.delay_on_commit(product.pk, time.time_ns() // 1000)
        transaction.on_commit(bump_catalog_version)
    return bool(updated)


def set_featured(*, product_ids: Iterable[int], is_featured: bool) -> int:
    """Mark or unmark products as featured work on the home page; returns how many changed."""
    changed = (
        Product.objects.filter(pk__in=list(product_ids))
        .exclude(is_featured=is_featured)
        .update(is_featured=is_featured)
    )
    if changed:
        transaction.on_commit(bump_catalog_version)
    return changed
