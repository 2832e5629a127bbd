"""Curated collections and featured work: edited in admin, shown on the home page."""

import pytest
from django.utils import translation

from catalog.models import Collection, CollectionItem, Product
from demo.catalog import _collections
from tests.catalog.conftest import add_image
from tests.curation.conftest import post_action
from tests.factories import make_product, make_shop

pytestmark = pytest.mark.django_db


def _collection(title, products, *, slug=None, published=True, position=0):
    collection = Collection.objects.create(
        title=title, slug=slug or title.lower().replace(" ", "-"), is_published=published,
        position=position,
    )  # fmt: skip
    for index, product in enumerate(products):
        CollectionItem.objects.create(collection=collection, product=product, position=index)
    return collection


def _catalog(count: int) -> list[Product]:
    shops = [make_shop() for _ in range(3)]
    products = []
    for index in range(count):
        product = make_product(shop=shops[index % 3])
        add_image(product)
        products.append(product)
    return products


def test_collections_appear_on_home_in_curated_order(client):
    first, second, third = (
        make_product(title=f"Kain Urut {n}", slug=f"kain-urut-{n}") for n in "abc"
    )
    _collection("Motif Paku", [third, first, second], position=1)
    _collection("Seragam kantor", [first], position=0)
    _collection("Draf", [first], published=False)

    html = client.get("/en/").content.decode()

    assert html.index("Seragam kantor") < html.index("Motif Paku")
    assert "Draf" not in html
    paku = html[html.index("Motif Paku") :]
    assert paku.index("Kain Urut c") < paku.index("Kain Urut a") < paku.index("Kain Urut b")


@pytest.mark.parametrize("size", [5, 30])
def test_home_query_count_stays_constant_with_collections(
    client, django_assert_max_num_queries, size
):
    products = _catalog(size)
    Product.objects.update(is_featured=True)
    _collection("Motif Paku", products[: size // 2], position=0)
    _collection("Seragam kantor", products[size // 2 :], position=1)
    with django_assert_max_num_queries(6):
        response = client.get("/")
    assert response.status_code == 200
    assert response.content.count(b'class="collection"') == 2


def test_the_collection_page_lists_public_products_in_order(client, django_assert_max_num_queries):
    products = _catalog(12)
    hidden, draft = products[0], products[1]
    Product.objects.filter(pk=hidden.pk).update(is_hidden=True, hidden_reason="x")
    Product.objects.filter(pk=draft.pk).update(status=Product.Status.DRAFT)
    collection = _collection("Motif Paku", list(reversed(products)), slug="motif-paku")

    with django_assert_max_num_queries(5):
        response = client.get("/en/koleksi/motif-paku/")

    html = response.content.decode()
    assert response.status_code == 200
    assert hidden.title not in html and draft.title not in html
    assert html.index(products[11].title) < html.index(products[2].title)
    with translation.override("id"):
        assert collection.get_absolute_url() == "/koleksi/motif-paku/"


def test_an_unpublished_collection_is_not_found(client):
    _collection("Rahasia", [make_product()], slug="rahasia", published=False)
    assert client.get("/koleksi/rahasia/").status_code == 404
    assert client.get("/koleksi/tidak-ada/").status_code == 404


def test_admin_orders_items_with_the_inline(admin_client):
    first, second = make_product(), make_product()
    response = admin_client.post(
        "/en/admin/catalog/collection/add/",
        {
            "title": "Seragam kantor", "slug": "seragam-kantor", "description": "",
            "is_published": "on", "position": 0,
            "items-TOTAL_FORMS": 2, "items-INITIAL_FORMS": 0,
            "items-MIN_NUM_FORMS": 0, "items-MAX_NUM_FORMS": 1000,
            "items-0-product": second.pk, "items-0-position": 0,
            "items-1-product": first.pk, "items-1-position": 1,
        },
    )  # fmt: skip
    assert response.status_code == 302
    collection = Collection.objects.get(slug="seragam-kantor")
    assert [item.product for item in collection.items.all()] == [second, first]
    page = admin_client.get(f"/en/admin/catalog/collection/{collection.pk}/change/")
    assert b"autocomplete" in page.content
    assert (
        admin_client.get(
            "/en/admin/autocomplete/?app_label=catalog&model_name=collectionitem&field_name=product"
            f"&term={first.title[:10]}"
        ).status_code
        == 200
    )


def test_the_same_product_twice_in_a_collection_is_refused():
    from django.db import IntegrityError, transaction

    product = make_product()
    collection = _collection("Motif Paku", [product])
    with pytest.raises(IntegrityError), transaction.atomic():
        CollectionItem.objects.create(collection=collection, product=product, position=1)


def test_mark_and_unmark_featured_from_the_product_changelist(admin_client, client):
    product = make_product(title="Kemeja Unggulan", slug="kemeja-unggulan")
    post_action(admin_client, "/en/admin/catalog/product/", "mark_featured", [product])
    product.refresh_from_db()
    assert product.is_featured
    assert b"Featured work" in client.get("/en/").content

    post_action(admin_client, "/en/admin/catalog/product/", "unmark_featured", [product])
    product.refresh_from_db()
    assert not product.is_featured


def test_the_demo_collections_are_seeded_once():
    make_product(motif="paku")
    from catalog.models import ProductType
    from tests.factories import _taxon

    make_product(product_type=_taxon(ProductType, "kemeja", "Kemeja"))
    _collections()
    first = list(CollectionItem.objects.values_list("collection__slug", "product_id"))
    _collections()
    assert list(CollectionItem.objects.values_list("collection__slug", "product_id")) == first
    assert set(Collection.objects.values_list("title", flat=True)) == {
        "Motif Paku",
        "Seragam kantor",
    }
    assert Collection.objects.filter(is_published=True).count() == 2
