"""Writes to listings by a shop's members: products, their options and stock.

Every product write takes the shop the request acts for and refuses a product of another shop, so
a view that forgets to scope its lookup still cannot touch someone else's listing. Every write that
changes what buyers see ends in `after_product_change()`: fresh search terms, stale cached pages.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from artisans.models import Shop

from .. import images
from ..cache import bump_stock_version
from ..models import Product, ProductImage, ProductOption
from .search_index import products_changed

# --- product writes ----------------------------------------------------------------------

SLUG_MAX_LENGTH = 150
PRODUCT_FIELDS = (
    "title",
    "title_en",
    "description",
    "description_en",
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


def after_product_change(product: Product) -> None:
    """What must follow every write to a product: fresh search terms, and stale cached pages."""
    products_changed(product_ids=[product.pk])


# --- checks --------------------------------------------------------------------------------


def check_shop(product: Product, shop: Shop) -> None:
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
    # The English versions are optional: none given is none shown.
    data = {**data, **{name: data.get(name) or "" for name in ("title_en", "description_en")}}
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
    after_product_change(product)
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
    check_shop(product, shop)
    data = _clean_product_data(data)
    cleaned_options = _clean_options(data["price"], options)
    for name in PRODUCT_FIELDS:
        setattr(product, name, data.get(name))
    product.save()
    for name in PRODUCT_M2M_FIELDS:
        getattr(product, name).set(data.get(name) or [])
    _save_options(product, cleaned_options)
    after_product_change(product)
    return product


@transaction.atomic
def duplicate_product(*, shop: Shop, product: Product) -> Product:
    """A new draft copy of a listing, with its options (stock 0) and its own copies of the photos."""
    check_shop(product, shop)
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
    after_product_change(copy)
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
    check_shop(product, shop)
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
    after_product_change(product)
    return product


@transaction.atomic
def archive_product(*, shop: Shop, product: Product) -> Product:
    """Take a listing off sale; it stays in the dashboard and can be published again."""
    check_shop(product, shop)
    if product.status != Product.Status.ARCHIVED:
        _change_status(product, Product.Status.ARCHIVED)
        after_product_change(product)
    return product


@transaction.atomic
def delete_draft(*, shop: Shop, product: Product) -> None:
    """Delete a listing that was never published; listings buyers have seen are archived instead."""
    check_shop(product, shop)
    if product.status != Product.Status.DRAFT:
        raise ValidationError(
            _("Only drafts can be deleted. Archive this listing to take it off sale.")
        )
    names = [name for image in product.images.all() for name in stored_names(image)]
    deleted, _counts = Product.objects.filter(pk=product.pk, status=Product.Status.DRAFT).delete()
    if not deleted:
        raise ValidationError(
            _("This listing was changed meanwhile; reload the page and try again.")
        )
    transaction.on_commit(lambda: images.delete_stored(names))
    after_product_change(product)


# --- stock ---------------------------------------------------------------------------------


def set_option_stock(*, shop: Shop, option: ProductOption, stock: int) -> ProductOption:
    """Set how many pieces of an option are in stock; never below zero."""
    check_shop(option.product, shop)
    if not isinstance(stock, int) or isinstance(stock, bool) or stock < 0:
        raise ValidationError(_("Stock cannot be below zero."))
    ProductOption.objects.filter(pk=option.pk).update(stock=stock)
    option.stock = stock
    after_product_change(option.product)
    return option


def take_stock(pieces: Iterable[tuple[int, int]]) -> int | None:
    """Take an order's pieces, (option id, quantity) each; the first option with fewer left,
    None when every piece was taken (stock never goes below zero, whoever takes at the same
    time; the caller's transaction undoes what was taken before). Pages that show stock are
    stale after the commit."""
    pieces = list(pieces)
    for option_id, quantity in pieces:
        taken = ProductOption.objects.filter(pk=option_id, stock__gte=quantity).update(
            stock=F("stock") - quantity
        )
        if not taken:
            return option_id
    if pieces:
        transaction.on_commit(bump_stock_version)
    return None


def put_back_stock(pieces: Iterable[tuple[int, int]]) -> None:
    """Give an order's pieces back, (option id, quantity) each (a cancelled or declined order)."""
    pieces = list(pieces)
    for option_id, quantity in pieces:
        ProductOption.objects.filter(pk=option_id).update(stock=F("stock") + quantity)
    if pieces:
        transaction.on_commit(bump_stock_version)


def stored_names(image: ProductImage) -> list[str]:
    """The names of a photo's files in storage: the photo and its thumbnails."""
    return [image.image.name, *image.thumbnails.values()]


# --- the cooperative's corrections (the admin) ---------------------------------------------


@transaction.atomic
def save_product(
    *, product: Product, motifs: Iterable | None = None, colours: Iterable | None = None
) -> Product:
    """Save a listing as the cooperative corrected it, with its motifs and colours when given.

    The admin's form has checked the fields; this keeps search and the cached pages in step.
    """
    product.save()
    if motifs is not None:
        product.motifs.set(motifs)
    if colours is not None:
        product.colours.set(colours)
    after_product_change(product)
    return product


@transaction.atomic
def delete_products(*, product_ids: Iterable[int]) -> int:
    """Delete listings and, after the commit, their photo files; returns how many were deleted."""
    ids = sorted({int(pk) for pk in product_ids})
    doomed = ProductImage.objects.filter(product_id__in=ids)
    names = [name for image in doomed for name in stored_names(image)]
    deleted = Product.objects.filter(pk__in=ids).count()
    Product.objects.filter(pk__in=ids).delete()
    transaction.on_commit(lambda: images.delete_stored(names))
    products_changed(product_ids=ids)
    return deleted


@transaction.atomic
def save_option(*, option: ProductOption) -> ProductOption:
    """Save an option (its name, price difference, stock) as the cooperative corrected it."""
    if option.stock < 0:
        raise ValidationError(_("Stock cannot be below zero."))
    option.save()
    after_product_change(option.product)
    return option


@transaction.atomic
def delete_option(*, option: ProductOption) -> None:
    """Remove an option from its listing."""
    product = option.product
    option.delete()
    after_product_change(product)
