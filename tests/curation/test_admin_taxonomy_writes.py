"""The admin writes taxonomy, collections and shops through the services: buyers see it at once.

As in test_admin_writes.py: warm the public page, change it in the admin, read it again as a
first-time visitor.
"""

import pytest

from artisans.models import Shop
from catalog.models import (
    Collection,
    CollectionItem,
    Colour,
    Fabric,
    Motif,
    ProductType,
    Technique,
)
from tests.catalog.conftest import requires_postgres
from tests.curation.admin_pages import make_listing, save_change_form, seen, visit, warm
from tests.curation.conftest import change_form_data, post_action
from tests.factories import make_shop

pytestmark = pytest.mark.django_db

PRODUCTS = "/en/admin/catalog/product/"


# --- taxonomy ------------------------------------------------------------------------------


def test_a_motif_renamed_in_the_admin_shows_on_its_products_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    product = make_listing("Kain Paku", motif="paku")
    motif = Motif.objects.get(slug="paku")
    warm(product, "/batik/")

    save_change_form(
        admin_client,
        django_capture_on_commit_callbacks,
        f"/en/admin/catalog/motif/{motif.pk}/change/",
        name="Pakis Hutan",
    )

    assert "Pakis Hutan" in seen(product)
    assert "Pakis Hutan" in seen("/batik/")


@requires_postgres
def test_a_motif_renamed_in_the_admin_is_found_by_search(
    admin_client, django_capture_on_commit_callbacks
):
    product = make_listing("Kain Biasa", motif="paku")
    motif = Motif.objects.get(slug="paku")
    warm("/batik/?q=hutan")

    save_change_form(
        admin_client,
        django_capture_on_commit_callbacks,
        f"/en/admin/catalog/motif/{motif.pk}/change/",
        name="Pakis Hutan",
    )

    assert product.title in seen("/batik/?q=hutan")


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
    product = make_listing("Kain Istilah")
    product.colours.add(Colour.objects.create(name="Coklat", slug="coklat-soga", hex="#7b3f00"))
    term = model.objects.get(slug=slug)
    warm(product)
    assert "Nama Baru Istilah" not in seen(product)

    save_change_form(
        admin_client,
        django_capture_on_commit_callbacks,
        f"/en/admin/catalog/{model._meta.model_name}/{term.pk}/change/",
        name="Nama Baru Istilah",
    )

    assert "Nama Baru Istilah" in seen(product)


def test_taxon_positions_edited_in_the_list_change_the_catalog_filters(
    admin_client, django_capture_on_commit_callbacks
):
    make_listing("Kain Satu", motif="paku")
    make_listing("Kain Dua", motif="ulap-doyo")
    paku, doyo = Motif.objects.get(slug="paku"), Motif.objects.get(slug="ulap-doyo")
    Motif.objects.filter(pk=paku.pk).update(position=1)
    Motif.objects.filter(pk=doyo.pk).update(position=2)
    page = seen("/batik/")
    assert page.index("Ulap Doyo") > page.index("Paku")
    warm("/batik/")

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

    page = seen("/batik/")
    assert page.index("Ulap Doyo") < page.index("Paku")


def test_a_colour_deleted_in_the_admin_leaves_its_products_pages(
    admin_client, django_capture_on_commit_callbacks
):
    product = make_listing("Kain Berwarna")
    colour = Colour.objects.create(name="Merah Marun", slug="merah-marun", hex="#800000")
    product.colours.add(colour)
    warm(product)
    assert "Merah Marun" in seen(product)

    with django_capture_on_commit_callbacks(execute=True):
        post_action(
            admin_client, "/en/admin/catalog/colour/", "delete_selected", [colour], post="yes"
        )

    assert not Colour.objects.exists()
    assert "Merah Marun" not in seen(product)


def test_a_motif_deleted_in_the_admin_leaves_its_products_pages(
    admin_client, django_capture_on_commit_callbacks
):
    product = make_listing("Kain Bermotif", motif="paku")
    Motif.objects.filter(slug="paku").update(name="Paku Langka")
    warm(product)
    motif = Motif.objects.get(slug="paku")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/en/admin/catalog/motif/{motif.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302

    assert "Paku Langka" not in seen(product)


# --- collections ---------------------------------------------------------------------------


def _collection(title: str, products, slug: str) -> Collection:
    collection = Collection.objects.create(title=title, slug=slug, is_published=True)
    for position, product in enumerate(products):
        CollectionItem.objects.create(collection=collection, product=product, position=position)
    return collection


def test_a_collection_edited_in_the_admin_shows_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    first, second = make_listing("Kain Pertama"), make_listing("Kain Kedua")
    collection = _collection("Seragam Lama", [first], slug="seragam")
    warm("/", "/koleksi/seragam/")

    url = f"/en/admin/catalog/collection/{collection.pk}/change/"
    data = change_form_data(admin_client.get(url), title="Seragam Kantor")
    # The inline's empty row takes the second product.
    data.update({"items-1-product": str(second.pk), "items-1-position": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302

    page = seen("/koleksi/seragam/")
    assert "Seragam Kantor" in page and "Kain Kedua" in page
    assert "Seragam Kantor" in seen("/")


def test_collections_deleted_or_unpublished_in_the_admin_leave_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    product = make_listing("Kain Koleksi")
    deleted = _collection("Koleksi Dihapus", [product], slug="dihapus")
    hidden = _collection("Koleksi Disimpan", [product], slug="disimpan")
    warm("/", "/koleksi/dihapus/", "/koleksi/disimpan/")

    with django_capture_on_commit_callbacks(execute=True):
        post_action(
            admin_client, "/en/admin/catalog/collection/", "delete_selected", [deleted], post="yes"
        )
    assert visit("/koleksi/dihapus/")[0] == 404
    assert "Koleksi Dihapus" not in seen("/")

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
    assert visit("/koleksi/disimpan/")[0] == 404
    assert "Koleksi Disimpan" not in seen("/")


# --- shops ---------------------------------------------------------------------------------


def test_a_shop_renamed_in_the_admin_shows_on_its_product_pages_at_once(
    admin_client, django_capture_on_commit_callbacks
):
    shop = make_shop(name="Toko Lama")
    product = make_listing("Kain Toko", shop=shop)
    warm(product)

    save_change_form(
        admin_client,
        django_capture_on_commit_callbacks,
        f"/en/admin/artisans/shop/{shop.pk}/change/",
        name="Sanggar Batik Baru",
    )

    assert "Sanggar Batik Baru" in seen(product)


def test_shops_deleted_in_the_admin_take_their_products_off_the_catalog(
    admin_client, django_capture_on_commit_callbacks
):
    shop = make_shop()
    product = make_listing("Kain Toko Tutup", shop=shop)
    stays = make_listing("Kain Toko Buka")
    warm("/batik/", product)

    with django_capture_on_commit_callbacks(execute=True):
        post_action(admin_client, "/en/admin/artisans/shop/", "delete_selected", [shop], post="yes")

    assert not Shop.objects.filter(pk=shop.pk).exists()
    listing = seen("/batik/")
    assert product.title not in listing and stays.title in listing
    assert visit(product)[0] == 404
