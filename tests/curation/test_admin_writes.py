"""The admin writes through the catalog's services: what buyers see changes at once.

Each test warms the public page a buyer reads, changes something through the admin's own views,
and reads the page again as a first-time visitor (the most cached kind of visit).
"""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import ExifTags, Image

from catalog.models import (
    Product,
)
from tests.catalog.conftest import add_image, requires_postgres
from tests.catalog.imagefiles import gif_bytes, stored_files, upload
from tests.curation.admin_pages import make_listing, save_change_form, seen, visit, warm
from tests.curation.conftest import change_form_data, post_action

pytestmark = pytest.mark.django_db

PRODUCTS = "/en/admin/catalog/product/"


# --- products ------------------------------------------------------------------------------


def test_deleting_selected_products_takes_them_off_the_catalog_and_search_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    # given two listings on the cached catalog, its search and their pages
    gone = make_listing("Kain Ulap Doyo Biru")
    other = make_listing("Kain Ulap Doyo Merah")
    warm("/batik/", "/batik/?q=doyo", gone)
    assert gone.title in seen("/batik/") and gone.title in seen("/batik/?q=doyo")

    # when the cooperative deletes one with "delete selected"
    with django_capture_on_commit_callbacks(execute=True):
        response = post_action(admin_client, PRODUCTS, "delete_selected", [gone], post="yes")
    assert response.status_code == 200

    # then it is gone from every public page at once, and the other stays
    assert not Product.objects.filter(pk=gone.pk).exists()
    for url in ("/batik/", "/batik/?q=doyo"):
        page = seen(url)
        assert gone.title not in page
        assert other.title in page
    assert visit(gone)[0] == 404


def test_deleting_selected_products_removes_their_photo_files(
    admin_client, django_capture_on_commit_callbacks
):
    product = make_listing("Kain Doyo")
    names = [image.image.name for image in product.images.all()]
    assert names and all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        post_action(admin_client, PRODUCTS, "delete_selected", [product], post="yes")

    assert not any(default_storage.exists(name) for name in names)


def test_deleting_one_product_takes_its_page_down_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    product = make_listing("Kain Paku Pakis")
    warm("/batik/", product)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{PRODUCTS}{product.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302

    assert visit(product)[0] == 404
    assert product.title not in seen("/batik/")


def test_a_listing_edited_in_the_admin_shows_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    # given a listing whose page and catalog card are cached
    product = make_listing("Kain Motif Lama", price=350_000)
    warm(product, "/batik/")

    # when the cooperative corrects its title and price in the admin
    save_change_form(
        admin_client,
        django_capture_on_commit_callbacks,
        f"{PRODUCTS}{product.pk}/change/",
        title="Kain Motif Baru",
        price="425000",
    )

    # then buyers see the new title and price on the listing and in the catalog
    page = seen(product)
    assert "Kain Motif Baru" in page and "Rp 425.000" in page
    listing = seen("/batik/")
    assert "Kain Motif Baru" in listing and "Kain Motif Lama" not in listing


@requires_postgres
def test_a_title_edited_in_the_admin_is_found_by_search(
    admin_client, django_capture_on_commit_callbacks
):
    product = make_listing("Kain Pucuk Rebung")
    warm("/batik/?q=ketupat")

    save_change_form(
        admin_client,
        django_capture_on_commit_callbacks,
        f"{PRODUCTS}{product.pk}/change/",
        title="Kain Ketupat",
    )

    assert "Kain Ketupat" in seen("/batik/?q=ketupat")


def test_a_listing_added_in_the_admin_with_an_option_and_a_photo_shows_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    existing = make_listing("Kain Yang Sudah Ada")
    warm("/batik/")
    url = f"{PRODUCTS}add/"
    data = change_form_data(
        admin_client.get(url),
        shop=str(existing.shop_id),
        title="Kain Tambahan Koperasi",
        slug="kain-tambahan-koperasi",
        description="Dicatat oleh koperasi.",
        technique=str(existing.technique_id),
        fabric=str(existing.fabric_id),
        product_type=str(existing.product_type_id),
        motifs=[str(pk) for pk in existing.motifs.values_list("pk", flat=True)],
        price="275000",
        status=Product.Status.ACTIVE,
    )
    data.update(
        {
            "options-TOTAL_FORMS": "1",
            "options-0-name": "",
            "options-0-price_delta": "0",
            "options-0-stock": "2",
            "options-0-position": "0",
            "new_photos": upload("kain.jpg", _phone_photo_with_gps()),
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    added = Product.objects.get(slug="kain-tambahan-koperasi")
    assert added.images.get().is_primary
    listing = seen("/batik/")
    assert "Kain Tambahan Koperasi" in listing and "Rp 275.000" in listing
    assert "Kain Tambahan Koperasi" in seen(added)


def test_stock_set_to_zero_in_the_admin_shows_sold_out_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    product = make_listing("Kain Terakhir", stock=1)
    assert "Stok sedang habis" not in seen(product)
    warm(product)

    save_change_form(
        admin_client,
        django_capture_on_commit_callbacks,
        f"{PRODUCTS}{product.pk}/change/",
        **{"options-0-stock": "0"},
    )

    assert "Stok sedang habis" in seen(product)


def test_an_option_added_and_one_removed_in_the_admin_show_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    product = make_listing("Kemeja Doyo", options=[("Ukuran S", 0, 2), ("Ukuran M", 0, 2)])
    warm(product)
    url = f"{PRODUCTS}{product.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data.update(
        {
            "options-TOTAL_FORMS": "3",
            "options-1-DELETE": "on",
            "options-2-name": "Ukuran XL",
            "options-2-price_delta": "25000",
            "options-2-stock": "3",
            "options-2-position": "2",
            "options-2-product": str(product.pk),
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302

    page = seen(product)
    assert "Ukuran XL" in page and "Ukuran S" in page
    assert "Ukuran M" not in page


def test_marking_featured_in_the_product_list_shows_on_the_home_page(
    admin_client, django_capture_on_commit_callbacks
):
    product = make_listing("Selendang Unggulan")
    warm("/")
    changelist = admin_client.get(PRODUCTS)
    formset = changelist.context["cl"].formset
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(product.pk),
        "form-0-is_featured": "on",
        "_save": "Save",
    }
    assert formset.total_form_count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(PRODUCTS, data).status_code == 302

    assert "Karya unggulan" in seen("/")


# --- photos --------------------------------------------------------------------------------


def test_a_photo_deleted_in_the_admin_leaves_the_page_and_the_storage(
    admin_client, django_capture_on_commit_callbacks
):
    product = make_listing("Kain Dua Foto")
    second = add_image(product, primary=False, position=1)
    second.alt_text = "Foto kedua yang salah"
    second.save()
    warm(product)
    assert "Foto kedua yang salah" in seen(product)

    url = f"{PRODUCTS}{product.pk}/change/"
    data = change_form_data(admin_client.get(url))
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith("images-") and key.endswith("-id") and value == str(second.pk)
    )
    data[f"images-{index}-DELETE"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302

    assert "Foto kedua yang salah" not in seen(product)
    assert not default_storage.exists(second.image.name)
    assert product.images.count() == 1


def _phone_photo_with_gps() -> bytes:
    """An 800x600 photo whose EXIF holds the maker's GPS position and "turn it upright"."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (0.0, 30.0, 12.5)
    out = io.BytesIO()
    Image.new("RGB", (800, 600), "maroon").save(out, "JPEG", exif=exif)
    assert b"PhoneMaker" in out.getvalue()
    return out.getvalue()


def test_a_photo_uploaded_in_the_admin_goes_through_the_pipeline(
    admin_client, django_capture_on_commit_callbacks
):
    # given a listing with one photo, its page cached
    product = make_listing("Kain Foto Baru")
    warm(product)
    url = f"{PRODUCTS}{product.pk}/change/"

    # when the cooperative adds a phone photo that carries the maker's GPS position
    data = change_form_data(admin_client.get(url))
    data["new_photos"] = upload("phone.jpg", _phone_photo_with_gps())
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302

    # then it is stored re-encoded, upright, without EXIF, with thumbnails, and shown at once
    added = product.images.order_by("-pk").first()
    assert added.position == 1 and not added.is_primary
    with default_storage.open(added.image.name, "rb") as handle:
        stored = handle.read()
    assert b"PhoneMaker" not in stored
    with Image.open(io.BytesIO(stored)) as picture:
        assert picture.size == (600, 800)
        assert not picture.getexif().get(ExifTags.Base.Make)
        assert not picture.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "exif" not in picture.info
    assert added.thumbnails and all(default_storage.exists(n) for n in added.thumbnails.values())
    assert added.thumbnail_urls[0][1] in seen(product)


def test_a_refused_photo_in_the_admin_is_named_on_the_form_and_nothing_is_stored(
    admin_client, media_root
):
    product = make_listing("Kain Tanpa Gif")
    before = stored_files(media_root)
    url = f"{PRODUCTS}{product.pk}/change/"

    data = change_form_data(admin_client.get(url), title="Judul Yang Tidak Disimpan")
    data["new_photos"] = upload("moving.gif", gif_bytes(), "image/gif")
    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "This file is not one of those" in response.content.decode()
    assert product.images.count() == 1
    assert stored_files(media_root) == before
    product.refresh_from_db()
    assert product.title == "Kain Tanpa Gif"
