"""The admin writes through the catalog's services: what buyers see changes at once.

Each test warms the public page a buyer reads, changes something through the admin's own views,
and reads the page again as a first-time visitor (the most cached kind of visit).
"""

import io

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import translation
from PIL import ExifTags, Image

from artisans.models import Shop
from catalog.models import (
    Collection,
    CollectionItem,
    Colour,
    Fabric,
    Motif,
    Product,
    ProductType,
    Technique,
)
from tests.catalog.conftest import add_image, requires_postgres
from tests.catalog.imagefiles import gif_bytes, stored_files, upload
from tests.curation.conftest import change_form_data, post_action
from tests.factories import make_product, make_shop

pytestmark = pytest.mark.django_db

PRODUCTS = "/en/admin/catalog/product/"


def _visit(page: str | Product) -> tuple[int, str]:
    """A buyer's first visit: no cookies, so the whole cached response is used when there is one.

    In Indonesian, the site's first language (an admin request leaves English active).
    """
    translation.activate("id")
    url = page.get_absolute_url() if isinstance(page, Product) else page
    response = Client().get(url)
    return response.status_code, response.content.decode()


def _seen(page: str | Product) -> str:
    status, content = _visit(page)
    assert status == 200
    return content


def _warm(*urls: str | Product) -> None:
    for url in urls:
        _seen(url)
        _seen(url)


def _listing(title: str, **extra) -> Product:
    product = make_product(title=title, **extra)
    add_image(product)
    return product


def _save_change_form(admin_client, capture, url: str, **changes):
    """Open an admin change form and save it with `changes`, as a browser would."""
    data = change_form_data(admin_client.get(url), **changes)
    with capture(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


# --- products ------------------------------------------------------------------------------


def test_deleting_selected_products_takes_them_off_the_catalog_and_search_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    # given two listings on the cached catalog, its search and their pages
    gone = _listing("Kain Ulap Doyo Biru")
    other = _listing("Kain Ulap Doyo Merah")
    _warm("/batik/", "/batik/?q=doyo", gone)
    assert gone.title in _seen("/batik/") and gone.title in _seen("/batik/?q=doyo")

    # when the cooperative deletes one with "delete selected"
    with django_capture_on_commit_callbacks(execute=True):
        response = post_action(admin_client, PRODUCTS, "delete_selected", [gone], post="yes")
    assert response.status_code == 200

    # then it is gone from every public page at once, and the other stays
    assert not Product.objects.filter(pk=gone.pk).exists()
    for url in ("/batik/", "/batik/?q=doyo"):
        page = _seen(url)
        assert gone.title not in page
        assert other.title in page
    assert _visit(gone)[0] == 404


def test_deleting_selected_products_removes_their_photo_files(
    admin_client, django_capture_on_commit_callbacks
):
    product = _listing("Kain Doyo")
    names = [image.image.name for image in product.images.all()]
    assert names and all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        post_action(admin_client, PRODUCTS, "delete_selected", [product], post="yes")

    assert not any(default_storage.exists(name) for name in names)


def test_deleting_one_product_takes_its_page_down_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    product = _listing("Kain Paku Pakis")
    _warm("/batik/", product)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{PRODUCTS}{product.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302

    assert _visit(product)[0] == 404
    assert product.title not in _seen("/batik/")


def test_a_listing_edited_in_the_admin_shows_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    # given a listing whose page and catalog card are cached
    product = _listing("Kain Motif Lama", price=350_000)
    _warm(product, "/batik/")

    # when the cooperative corrects its title and price in the admin
    _save_change_form(
        admin_client,
        django_capture_on_commit_callbacks,
        f"{PRODUCTS}{product.pk}/change/",
        title="Kain Motif Baru",
        price="425000",
    )

    # then buyers see the new title and price on the listing and in the catalog
    page = _seen(product)
    assert "Kain Motif Baru" in page and "Rp 425.000" in page
    listing = _seen("/batik/")
    assert "Kain Motif Baru" in listing and "Kain Motif Lama" not in listing


@requires_postgres
def test_a_title_edited_in_the_admin_is_found_by_search(
    admin_client, django_capture_on_commit_callbacks
):
    product = _listing("Kain Pucuk Rebung")
    _warm("/batik/?q=ketupat")

    _save_change_form(
        admin_client,
        django_capture_on_commit_callbacks,
        f"{PRODUCTS}{product.pk}/change/",
        title="Kain Ketupat",
    )

    assert "Kain Ketupat" in _seen("/batik/?q=ketupat")


def test_a_listing_added_in_the_admin_with_an_option_and_a_photo_shows_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    existing = _listing("Kain Yang Sudah Ada")
    _warm("/batik/")
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
    listing = _seen("/batik/")
    assert "Kain Tambahan Koperasi" in listing and "Rp 275.000" in listing
    assert "Kain Tambahan Koperasi" in _seen(added)


def test_stock_set_to_zero_in_the_admin_shows_sold_out_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    product = _listing("Kain Terakhir", stock=1)
    assert "Stok sedang habis" not in _seen(product)
    _warm(product)

    _save_change_form(
        admin_client,
        django_capture_on_commit_callbacks,
        f"{PRODUCTS}{product.pk}/change/",
        **{"options-0-stock": "0"},
    )

    assert "Stok sedang habis" in _seen(product)


def test_an_option_added_and_one_removed_in_the_admin_show_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    product = _listing("Kemeja Doyo", options=[("Ukuran S", 0, 2), ("Ukuran M", 0, 2)])
    _warm(product)
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

    page = _seen(product)
    assert "Ukuran XL" in page and "Ukuran S" in page
    assert "Ukuran M" not in page


def test_marking_featured_in_the_product_list_shows_on_the_home_page(
    admin_client, django_capture_on_commit_callbacks
):
    product = _listing("Selendang Unggulan")
    _warm("/")
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

    assert "Karya unggulan" in _seen("/")


# --- photos --------------------------------------------------------------------------------


def test_a_photo_deleted_in_the_admin_leaves_the_page_and_the_storage(
    admin_client, django_capture_on_commit_callbacks
):
    product = _listing("Kain Dua Foto")
    second = add_image(product, primary=False, position=1)
    second.alt_text = "Foto kedua yang salah"
    second.save()
    _warm(product)
    assert "Foto kedua yang salah" in _seen(product)

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

    assert "Foto kedua yang salah" not in _seen(product)
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
    product = _listing("Kain Foto Baru")
    _warm(product)
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
    assert added.thumbnail_urls()[0][1] in _seen(product)


def test_a_refused_photo_in_the_admin_is_named_on_the_form_and_nothing_is_stored(
    admin_client, media_root
):
    product = _listing("Kain Tanpa Gif")
    before = stored_files(media_root)
    url = f"{PRODUCTS}{product.pk}/change/"

    data = change_form_data(admin_client.get(url), title="Judul Yang Tidak Disimpan")
    data["new_photos"] = upload("moving.gif", gif_bytes(), "image/gif")
    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "not a photo" in response.content.decode()
    assert product.images.count() == 1
    assert stored_files(media_root) == before
    product.refresh_from_db()
    assert product.title == "Kain Tanpa Gif"


# --- taxonomy ------------------------------------------------------------------------------


def test_a_motif_renamed_in_the_admin_shows_on_its_products_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    product = _listing("Kain Paku", motif="paku")
    motif = Motif.objects.get(slug="paku")
    _warm(product, "/batik/")

    _save_change_form(
        admin_client,
        django_capture_on_commit_callbacks,
        f"/en/admin/catalog/motif/{motif.pk}/change/",
        name="Pakis Hutan",
    )

    assert "Pakis Hutan" in _seen(product)
    assert "Pakis Hutan" in _seen("/batik/")


@requires_postgres
def test_a_motif_renamed_in_the_admin_is_found_by_search(
    admin_client, django_capture_on_commit_callbacks
):
    product = _listing("Kain Biasa", motif="paku")
    motif = Motif.objects.get(slug="paku")
    _warm("/batik/?q=hutan")

    _save_change_form(
        admin_client,
        django_capture_on_commit_callbacks,
        f"/en/admin/catalog/motif/{motif.pk}/change/",
        name="Pakis Hutan",
    )

    assert product.title in _seen("/batik/?q=hutan")


@pytest.mark.parametrize(
    ("model", "slug"),
    [
        (Technique, "tulis"),
        (Fabric, "katun-primisima"),
        (ProductType, "kain"),
        (Colour, "coklat-soga"),
    ],
)
def test_a_term_renamed_in_the_admin_shows_on_its_products_at_once(
    admin_client, django_capture_on_commit_callbacks, model, slug
):
    product = _listing("Kain Istilah")
    product.colours.add(Colour.objects.create(name="Coklat", slug="coklat-soga", hex="#7b3f00"))
    term = model.objects.get(slug=slug)
    _warm(product)
    assert "Nama Baru Istilah" not in _seen(product)

    _save_change_form(
        admin_client,
        django_capture_on_commit_callbacks,
        f"/en/admin/catalog/{model._meta.model_name}/{term.pk}/change/",
        name="Nama Baru Istilah",
    )

    assert "Nama Baru Istilah" in _seen(product)


def test_taxon_positions_edited_in_the_list_change_the_catalog_filters(
    admin_client, django_capture_on_commit_callbacks
):
    _listing("Kain Satu", motif="paku")
    _listing("Kain Dua", motif="ulap-doyo")
    paku, doyo = Motif.objects.get(slug="paku"), Motif.objects.get(slug="ulap-doyo")
    Motif.objects.filter(pk=paku.pk).update(position=1)
    Motif.objects.filter(pk=doyo.pk).update(position=2)
    page = _seen("/batik/")
    assert page.index("Ulap Doyo") > page.index("Paku")
    _warm("/batik/")

    rows = admin_client.get("/en/admin/catalog/motif/").context["cl"].result_list
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, motif in enumerate(rows):
        data[f"form-{index}-id"] = str(motif.pk)
        data[f"form-{index}-position"] = "9" if motif.pk == paku.pk else "0"
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post("/en/admin/catalog/motif/", data).status_code == 302

    page = _seen("/batik/")
    assert page.index("Ulap Doyo") < page.index("Paku")


def test_a_colour_deleted_in_the_admin_leaves_its_products_pages(
    admin_client, django_capture_on_commit_callbacks
):
    product = _listing("Kain Berwarna")
    colour = Colour.objects.create(name="Merah Marun", slug="merah-marun", hex="#800000")
    product.colours.add(colour)
    _warm(product)
    assert "Merah Marun" in _seen(product)

    with django_capture_on_commit_callbacks(execute=True):
        post_action(
            admin_client, "/en/admin/catalog/colour/", "delete_selected", [colour], post="yes"
        )

    assert not Colour.objects.exists()
    assert "Merah Marun" not in _seen(product)


def test_a_motif_deleted_in_the_admin_leaves_its_products_pages(
    admin_client, django_capture_on_commit_callbacks
):
    product = _listing("Kain Bermotif", motif="paku")
    Motif.objects.filter(slug="paku").update(name="Paku Langka")
    _warm(product)
    motif = Motif.objects.get(slug="paku")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/en/admin/catalog/motif/{motif.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302

    assert "Paku Langka" not in _seen(product)


# --- collections ---------------------------------------------------------------------------


def _collection(title: str, products, slug: str) -> Collection:
    collection = Collection.objects.create(title=title, slug=slug, is_published=True)
    for position, product in enumerate(products):
        CollectionItem.objects.create(collection=collection, product=product, position=position)
    return collection


def test_a_collection_edited_in_the_admin_shows_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    first, second = _listing("Kain Pertama"), _listing("Kain Kedua")
    collection = _collection("Seragam Lama", [first], slug="seragam")
    _warm("/", "/koleksi/seragam/")

    url = f"/en/admin/catalog/collection/{collection.pk}/change/"
    data = change_form_data(admin_client.get(url), title="Seragam Kantor")
    # The inline's empty row takes the second product.
    data.update({"items-1-product": str(second.pk), "items-1-position": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302

    page = _seen("/koleksi/seragam/")
    assert "Seragam Kantor" in page and "Kain Kedua" in page
    assert "Seragam Kantor" in _seen("/")


def test_collections_deleted_or_unpublished_in_the_admin_leave_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    product = _listing("Kain Koleksi")
    deleted = _collection("Koleksi Dihapus", [product], slug="dihapus")
    hidden = _collection("Koleksi Disimpan", [product], slug="disimpan")
    _warm("/", "/koleksi/dihapus/", "/koleksi/disimpan/")

    with django_capture_on_commit_callbacks(execute=True):
        post_action(
            admin_client, "/en/admin/catalog/collection/", "delete_selected", [deleted], post="yes"
        )
    assert _visit("/koleksi/dihapus/")[0] == 404
    assert "Koleksi Dihapus" not in _seen("/")

    rows = admin_client.get("/en/admin/catalog/collection/").context["cl"].result_list
    assert [row.pk for row in rows] == [hidden.pk]
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(hidden.pk),
        "form-0-position": "0",
        "_save": "Save",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post("/en/admin/catalog/collection/", data).status_code == 302
    assert _visit("/koleksi/disimpan/")[0] == 404
    assert "Koleksi Disimpan" not in _seen("/")


# --- shops ---------------------------------------------------------------------------------


def test_a_shop_renamed_in_the_admin_shows_on_its_product_pages_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    shop = make_shop(name="Toko Lama")
    product = _listing("Kain Toko", shop=shop)
    _warm(product)

    _save_change_form(
        admin_client,
        django_capture_on_commit_callbacks,
        f"/en/admin/artisans/shop/{shop.pk}/change/",
        name="Sanggar Batik Baru",
    )

    assert "Sanggar Batik Baru" in _seen(product)


def test_shops_deleted_in_the_admin_take_their_products_off_the_catalog(
    admin_client, django_capture_on_commit_callbacks
):
    shop = make_shop()
    product = _listing("Kain Toko Tutup", shop=shop)
    stays = _listing("Kain Toko Buka")
    _warm("/batik/", product)

    with django_capture_on_commit_callbacks(execute=True):
        post_action(admin_client, "/en/admin/artisans/shop/", "delete_selected", [shop], post="yes")

    assert not Shop.objects.filter(pk=shop.pk).exists()
    listing = _seen("/batik/")
    assert product.title not in listing and stays.title in listing
    assert _visit(product)[0] == 404
