"""Product writes: create, edit, duplicate, publish rules, stock, photo order, cache version."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils import translation

from catalog import cache as catalog_cache
from catalog import services
from catalog.models import Colour, Fabric, Motif, Product, ProductImage, ProductType, Technique
from tests.catalog.imagefiles import jpeg_bytes, stored_files, upload
from tests.factories import make_product, make_shop

pytestmark = pytest.mark.django_db


def _data(**changes) -> dict:
    data = {
        "title": "Kain Batik Tulis Motif Paku",
        "description": "Hand-drawn on katun primisima.",
        "technique": Technique.objects.get_or_create(slug="tulis", defaults={"name": "Tulis"})[0],
        "fabric": Fabric.objects.get_or_create(slug="katun", defaults={"name": "Katun"})[0],
        "product_type": ProductType.objects.get_or_create(slug="kain", defaults={"name": "Kain"})[
            0
        ],
        "motifs": [Motif.objects.get_or_create(slug="paku", defaults={"name": "Paku"})[0]],
        "colours": [Colour.objects.get_or_create(slug="soga", defaults={"name": "Soga"})[0]],
        "length_cm": 200,
        "width_cm": 115,
        "price": 350_000,
        "is_made_to_order": False,
        "lead_time_days": None,
    }
    data.update(changes)
    return data


def _with_photo(product: Product) -> Product:
    services.add_product_images(
        shop=product.shop, product=product, files=[upload("a.jpg", jpeg_bytes(400, 300))]
    )
    return product


def test_create_product_makes_a_draft_with_options_and_unique_slugs():
    shop = make_shop()
    first = services.create_product(
        shop=shop, data=_data(), options=[{"name": "", "price_delta": 0, "stock": 3}]
    )
    second = services.create_product(
        shop=shop, data=_data(), options=[{"name": "", "price_delta": 0, "stock": 1}]
    )
    assert first.status == Product.Status.DRAFT
    assert first.slug == "kain-batik-tulis-motif-paku"
    assert second.slug == "kain-batik-tulis-motif-paku-2"
    assert [(o.name, o.stock) for o in first.options.all()] == [("", 3)]
    assert list(first.motifs.values_list("slug", flat=True)) == ["paku"]


def test_a_product_needs_at_least_one_option_and_named_options_when_several():
    shop = make_shop()
    with pytest.raises(ValidationError):
        services.create_product(shop=shop, data=_data(), options=[])
    with pytest.raises(ValidationError):
        services.create_product(
            shop=shop,
            data=_data(),
            options=[{"name": "", "stock": 1}, {"name": "M", "stock": 1}],
        )
    assert not Product.objects.exists()


def test_made_to_order_needs_a_lead_time_and_keeps_no_stock():
    shop = make_shop()
    with pytest.raises(ValidationError):
        services.create_product(
            shop=shop, data=_data(is_made_to_order=True), options=[{"name": "", "stock": 4}]
        )
    product = services.create_product(
        shop=shop,
        data=_data(is_made_to_order=True, lead_time_days=21),
        options=[{"name": "S", "stock": 4}, {"name": "M", "stock": 2}],
    )
    assert product.lead_time_days == 21
    assert set(product.options.values_list("stock", flat=True)) == {0}


def test_update_product_edits_renames_adds_and_removes_options():
    product = make_product(options=[("S", 0, 1), ("M", 0, 2), ("L", 0, 3)])
    small, medium, _large = product.options.all()
    services.update_product(
        shop=product.shop,
        product=product,
        data=_data(title="New title", price=400_000),
        options=[
            # swap names of S and M, drop L, add XL
            {"id": medium.pk, "name": "S", "price_delta": 0, "stock": 9},
            {"id": small.pk, "name": "M", "price_delta": 0, "stock": 8},
            {"id": None, "name": "XL", "price_delta": 25_000, "stock": 1},
        ],
    )
    product.refresh_from_db()
    assert product.title == "New title" and product.price == 400_000
    assert [(o.pk, o.name, o.stock) for o in product.options.all()] == [
        (medium.pk, "S", 9),
        (small.pk, "M", 8),
        (product.options.get(name="XL").pk, "XL", 1),
    ]


def test_publish_needs_a_photo_and_an_option():
    product = make_product(status=Product.Status.DRAFT)
    with translation.override("en"), pytest.raises(ValidationError, match="at least one photo"):
        services.publish_product(shop=product.shop, product=product)
    _with_photo(product)
    product.options.all().delete()
    with translation.override("en"), pytest.raises(ValidationError, match="at least one option"):
        services.publish_product(shop=product.shop, product=product)
    product.refresh_from_db()
    assert product.status == Product.Status.DRAFT


def test_publish_archive_and_publish_again():
    product = _with_photo(make_product(status=Product.Status.DRAFT))
    services.publish_product(shop=product.shop, product=product)
    assert Product.objects.get(pk=product.pk).status == Product.Status.ACTIVE
    services.archive_product(shop=product.shop, product=product)
    assert Product.objects.get(pk=product.pk).status == Product.Status.ARCHIVED
    services.publish_product(shop=product.shop, product=product)
    assert Product.objects.get(pk=product.pk).status == Product.Status.ACTIVE


@pytest.mark.parametrize("status", [Product.Status.ACTIVE, Product.Status.ARCHIVED])
def test_only_drafts_can_be_deleted(status):
    product = make_product(status=status)
    with translation.override("en"), pytest.raises(ValidationError, match="Only drafts"):
        services.delete_draft(shop=product.shop, product=product)
    assert Product.objects.filter(pk=product.pk).exists()


def test_deleting_a_draft_removes_its_photo_files(media_root, django_capture_on_commit_callbacks):
    product = _with_photo(make_product(status=Product.Status.DRAFT))
    assert stored_files(media_root)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_draft(shop=product.shop, product=product)
    assert not Product.objects.filter(pk=product.pk).exists()
    assert stored_files(media_root) == []


def test_stock_is_never_below_zero():
    product = make_product(stock=3)
    option = product.options.get()
    with pytest.raises(ValidationError):
        services.set_option_stock(shop=product.shop, option=option, stock=-1)
    services.set_option_stock(shop=product.shop, option=option, stock=0)
    option.refresh_from_db()
    assert option.stock == 0


def test_every_write_refuses_a_product_of_another_shop():
    product = _with_photo(make_product(status=Product.Status.DRAFT))
    image = product.images.get()
    other = make_shop()
    calls = [
        lambda: services.update_product(shop=other, product=product, data=_data(), options=[{}]),
        lambda: services.duplicate_product(shop=other, product=product),
        lambda: services.publish_product(shop=other, product=product),
        lambda: services.archive_product(shop=other, product=product),
        lambda: services.delete_draft(shop=other, product=product),
        lambda: services.set_option_stock(shop=other, option=product.options.get(), stock=1),
        lambda: services.add_product_images(shop=other, product=product, files=[]),
        lambda: services.reorder_images(shop=other, product=product, image_ids=[image.pk]),
        lambda: services.set_primary_image(shop=other, product=product, image=image),
        lambda: services.delete_image(shop=other, product=product, image=image),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert Product.objects.get(pk=product.pk).status == Product.Status.DRAFT


def test_duplicate_makes_a_draft_copy_with_its_own_photo_files(media_root):
    product = _with_photo(make_product(options=[("S", 0, 4), ("M", 5_000, 2)]))
    with translation.override("en"):
        copy = services.duplicate_product(shop=product.shop, product=product)

    assert copy.pk != product.pk and copy.slug != product.slug
    assert copy.status == Product.Status.DRAFT
    assert copy.title == f"{product.title} (copy)"
    assert [(o.name, o.price_delta, o.stock) for o in copy.options.all()] == [
        ("S", 0, 0),
        ("M", 5_000, 0),
    ]
    original, duplicate = product.images.get(), copy.images.get()
    assert duplicate.is_primary
    assert duplicate.image.name != original.image.name
    assert set(duplicate.thumbnails) == set(original.thumbnails)
    assert not set(duplicate.thumbnails.values()) & set(original.thumbnails.values())
    assert all(default_storage.exists(name) for name in duplicate.thumbnails.values())


def test_reorder_and_primary_keep_the_first_photo_primary():
    product = make_product()
    a, b, c = services.add_product_images(
        shop=product.shop,
        product=product,
        files=[upload(f"{n}.jpg", jpeg_bytes(300, 300)) for n in "abc"],
    )
    assert [a.is_primary, b.is_primary, c.is_primary] == [True, False, False]

    services.reorder_images(shop=product.shop, product=product, image_ids=[c.pk, a.pk, b.pk])
    assert list(product.images.values_list("pk", flat=True)) == [c.pk, a.pk, b.pk]
    assert product.images.get(is_primary=True).pk == c.pk

    services.set_primary_image(shop=product.shop, product=product, image=b)
    assert list(product.images.values_list("pk", flat=True)) == [b.pk, c.pk, a.pk]

    with pytest.raises(ValidationError):
        services.reorder_images(shop=product.shop, product=product, image_ids=[a.pk, b.pk])


def test_deleting_the_primary_photo_makes_the_next_one_primary(
    media_root, django_capture_on_commit_callbacks
):
    product = make_product()
    first, second = services.add_product_images(
        shop=product.shop,
        product=product,
        files=[upload("1.jpg", jpeg_bytes(300, 300)), upload("2.jpg", jpeg_bytes(300, 300))],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_image(shop=product.shop, product=product, image=first)
    assert ProductImage.objects.get().pk == second.pk
    assert ProductImage.objects.get().is_primary
    assert not default_storage.exists(first.image.name)
    assert default_storage.exists(second.image.name)


def test_bump_catalog_version_moves_past_the_version_pages_were_cached_under():
    cache.delete(catalog_cache.CATALOG_VERSION_KEY)
    cached_under = catalog_cache.catalog_version()
    first = catalog_cache.bump_catalog_version()
    assert first > cached_under
    assert catalog_cache.bump_catalog_version() == first + 1
    assert catalog_cache.catalog_version() == first + 1


def test_every_product_write_bumps_the_catalog_version_after_commit(
    django_capture_on_commit_callbacks,
):
    product = make_product(stock=2)
    before = catalog_cache.catalog_version()
    with django_capture_on_commit_callbacks(execute=False) as pending:
        services.set_option_stock(shop=product.shop, option=product.options.get(), stock=5)
    # Not before the commit: a page cached meanwhile would hold the old stock.
    assert catalog_cache.catalog_version() == before
    for callback in pending:
        callback()
    assert catalog_cache.catalog_version() > before
