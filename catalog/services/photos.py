"""A listing's photos: checked, re-encoded and stored with thumbnails; ordered; removed."""

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from artisans.models import Shop

from .. import images
from ..models import Product, ProductImage
from .products import after_product_change, check_shop, stored_names


@transaction.atomic
def add_product_images(
    *, shop: Shop, product: Product, files: Iterable, alt_text: str = ""
) -> list[ProductImage]:
    """Check, re-encode and store photos of a listing, with thumbnails.

    All or nothing: if any file is refused, a ValidationError names it and nothing is stored.
    """
    check_shop(product, shop)
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
    after_product_change(product)
    return created


def _image_of(shop: Shop, product: Product, image: ProductImage) -> None:
    check_shop(product, shop)
    if image.product_id != product.pk:
        raise PermissionDenied("This photo belongs to another listing.")


@transaction.atomic
def reorder_images(*, shop: Shop, product: Product, image_ids: Sequence[int]) -> None:
    """Put a listing's photos in the given order; the first one becomes the primary photo."""
    check_shop(product, shop)
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
    after_product_change(product)


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
    after_product_change(product)


@transaction.atomic
def delete_image(*, shop: Shop, product: Product, image: ProductImage) -> None:
    """Remove a photo and its files; the next photo becomes primary if this one was."""
    _image_of(shop, product, image)
    names = stored_names(image)
    image.delete()
    remaining = list(product.images.order_by("position", "pk").values_list("pk", flat=True))
    if remaining:
        reorder_images(shop=shop, product=product, image_ids=remaining)
    transaction.on_commit(lambda: images.delete_stored(names))
    after_product_change(product)
