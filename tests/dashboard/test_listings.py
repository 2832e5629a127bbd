"""The artisan's listings pages: who may use them, uploads through the browser, stock, queries."""

import pytest
from django.urls import reverse
from django.utils import translation

from catalog import services
from catalog.models import Product, ProductImage, ProductOption, Technique
from tests.catalog.imagefiles import (
    BAD_FILES,
    gps_exif_jpeg_bytes,
    jpeg_bytes,
    stored_files,
    upload,
)
from tests.factories import PASSWORD, make_product, make_shop, make_user

pytestmark = pytest.mark.django_db


def _en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(f"dashboard:{name}", kwargs=kwargs)


def _login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


@pytest.fixture
def victim():
    """Another shop's draft with a photo: the object strangers try to reach."""
    product = make_product(status=Product.Status.DRAFT, options=[("S", 0, 4), ("M", 0, 2)])
    services.add_product_images(
        shop=product.shop, product=product, files=[upload("a.jpg", jpeg_bytes(400, 300))]
    )
    return product


def _snapshot(product: Product):
    product.refresh_from_db()
    return (
        product.status,
        product.title,
        list(product.options.values_list("pk", "name", "stock")),
        list(product.images.values_list("pk", "position", "is_primary", "alt_text")),
        Product.objects.count(),
    )


# (url name, method, which kwargs); every view in dashboard/listings.py is here.
OWN_PAGES = [
    ("listing-list", "get", None),
    ("product-create", "get", None),
    ("product-create", "post", None),
]
OBJECT_VIEWS = [
    ("product-edit", "get", "product"),
    ("product-edit", "post", "product"),
    ("product-duplicate", "post", "product"),
    ("product-publish", "post", "product"),
    ("product-archive", "post", "product"),
    ("product-delete", "get", "product"),
    ("product-delete", "post", "product"),
    ("option-stock", "post", "option"),
    ("product-images", "get", "product"),
    ("product-images", "post", "product"),
    ("product-image-upload", "post", "product"),
    ("product-image-reorder", "post", "product"),
    ("product-image-move", "post", "image"),
    ("product-image-primary", "post", "image"),
    ("product-image-alt", "post", "image"),
    ("product-image-delete", "post", "image"),
]


def _kwargs(kind, product):
    if kind == "product":
        return {"pk": product.pk}
    if kind == "option":
        return {"pk": product.options.first().pk}
    if kind == "image":
        return {"pk": product.pk, "image_pk": product.images.get().pk}
    return {}


def _payload(product):
    return {
        "stock": "0",
        "alt_text": "stolen",
        "direction": "down",
        "order": [str(pk) for pk in product.images.values_list("pk", flat=True)],
        "image": upload("x.jpg", jpeg_bytes(300, 300)),
        "images": upload("y.jpg", jpeg_bytes(300, 300)),
    }


def test_every_listing_view_is_covered_by_the_access_tests():
    from dashboard import urls

    # Only the listing views: the other dashboard pages have access tests of their own.
    names = {
        pattern.name
        for pattern in urls.urlpatterns
        if pattern.callback.__module__ == "dashboard.listings"
    }
    assert names == {name for name, _m, _k in OWN_PAGES + OBJECT_VIEWS}


@pytest.mark.parametrize(("name", "method", "kind"), OBJECT_VIEWS)
def test_another_artisan_gets_404_for_every_object_of_another_shop(
    client, victim, media_root, name, method, kind
):
    intruder = make_shop().owner
    _login(client, intruder)
    before, files_before = _snapshot(victim), stored_files(media_root)
    url = _en(name, **_kwargs(kind, victim))
    response = getattr(client, method)(url, _payload(victim) if method == "post" else None)
    assert response.status_code == 404
    assert _snapshot(victim) == before
    assert stored_files(media_root) == files_before


@pytest.mark.parametrize(("name", "method", "kind"), OWN_PAGES + OBJECT_VIEWS)
def test_anonymous_visitors_are_sent_to_log_in(client, victim, name, method, kind):
    before = _snapshot(victim)
    url = _en(name, **_kwargs(kind, victim))
    response = getattr(client, method)(url, _payload(victim) if method == "post" else None)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/akun/login/")
    assert _snapshot(victim) == before


@pytest.mark.parametrize(("name", "method", "kind"), OWN_PAGES + OBJECT_VIEWS)
def test_a_buyer_without_a_shop_sees_nothing_and_changes_nothing(
    client, victim, name, method, kind
):
    _login(client, make_user())
    before = _snapshot(victim)
    url = _en(name, **_kwargs(kind, victim))
    response = getattr(client, method)(url, _payload(victim) if method == "post" else None)
    # The dashboard sends accounts without a shop to the application form, whatever they asked.
    assert response.status_code == 302
    assert response["Location"] == "/en/toko/buka-toko/"
    assert _snapshot(victim) == before


def test_the_other_shops_draft_never_shows_on_my_listings_page(client, victim):
    mine = make_product(title="Selendang Wakaroros")
    _login(client, mine.shop.owner)
    response = client.get(_en("listing-list"))
    assert response.status_code == 200
    assert "Selendang Wakaroros" in response.text
    assert victim.title not in response.text


# --- listings page ---------------------------------------------------------------------------


def _shop_with_products(count: int):
    shop = make_shop()
    for index in range(count):
        product = make_product(
            shop=shop,
            status=[Product.Status.DRAFT, Product.Status.ACTIVE, Product.Status.ARCHIVED][
                index % 3
            ],
            options=[("S", 0, index % 4), ("M", 5_000, 3)],
        )
        ProductImage.objects.create(
            product=product, image=f"products/p{index}.jpg", width=10, height=10, is_primary=True,
            thumbnails={"320": f"products/thumbs/p{index}-320.webp"},
        )  # fmt: skip
    return shop


@pytest.mark.parametrize("count", [5, 30])
def test_listings_page_query_count_is_the_same_for_5_and_30_products(
    client, count, django_assert_num_queries
):
    shop = _shop_with_products(count)
    _login(client, shop.owner)
    # user (with the header's unread notices and cart count), shop, status counts, page count,
    # products, options, primary images (the session comes from the cache): exactly seven
    # whatever the number of products.
    with django_assert_num_queries(7):
        response = client.get(_en("listing-list"))
    assert response.status_code == 200
    assert response.text.count('data-testid="listing"') == count


def test_status_tabs_filter_the_list(client):
    shop = make_shop()
    make_product(shop=shop, title="Draft piece", status=Product.Status.DRAFT)
    make_product(shop=shop, title="Active piece", status=Product.Status.ACTIVE)
    _login(client, shop.owner)
    page = client.get(_en("listing-list") + "?status=draft").text
    assert "Draft piece" in page and "Active piece" not in page
    page = client.get(_en("listing-list")).text
    assert "Draft piece" in page and "Active piece" in page


def test_low_stock_is_highlighted(client):
    shop = make_shop()
    make_product(shop=shop, options=[("S", 0, 1), ("M", 0, 9)])
    _login(client, shop.owner)
    page = client.get(_en("listing-list")).text
    assert page.count('class="is-low-stock"') == 1
    assert "Low stock" in page


def test_stock_is_edited_inline_and_never_goes_below_zero(client):
    product = make_product(stock=3)
    option = product.options.get()
    _login(client, product.shop.owner)

    response = client.post(_en("option-stock", pk=option.pk), {"stock": "7"}, follow=True)
    assert "Stock saved." in response.text
    option.refresh_from_db()
    assert option.stock == 7

    response = client.post(_en("option-stock", pk=option.pk), {"stock": "-2"}, follow=True)
    assert "Stock cannot be below zero." in response.text
    option.refresh_from_db()
    assert option.stock == 7


def test_publish_without_a_photo_is_refused_with_a_message(client):
    product = make_product(status=Product.Status.DRAFT)
    _login(client, product.shop.owner)
    response = client.post(_en("product-publish", pk=product.pk), follow=True)
    assert "needs at least one photo" in response.text
    assert Product.objects.get(pk=product.pk).status == Product.Status.DRAFT


def test_publish_archive_duplicate_and_delete_from_the_page(client, victim):
    shop, product = victim.shop, victim
    _login(client, shop.owner)
    client.post(_en("product-publish", pk=product.pk))
    assert Product.objects.get(pk=product.pk).status == Product.Status.ACTIVE

    response = client.post(_en("product-delete", pk=product.pk), follow=True)
    assert "Only drafts can be deleted" in response.text
    assert Product.objects.filter(pk=product.pk).exists()

    client.post(_en("product-archive", pk=product.pk))
    assert Product.objects.get(pk=product.pk).status == Product.Status.ARCHIVED

    response = client.post(_en("product-duplicate", pk=product.pk))
    copy = Product.objects.exclude(pk=product.pk).get()
    assert response["Location"] == _en("product-edit", pk=copy.pk)
    assert copy.status == Product.Status.DRAFT

    assert client.get(_en("product-delete", pk=copy.pk)).status_code == 200
    client.post(_en("product-delete", pk=copy.pk))
    assert not Product.objects.filter(pk=copy.pk).exists()


def test_preview_link_points_to_the_product_page_in_preview_mode(client, victim):
    _login(client, victim.shop.owner)
    page = client.get(_en("listing-list")).text
    with translation.override("en"):
        assert f"{reverse('catalog:product-detail', args=[victim.slug])}?preview=1" in page


# --- product form ----------------------------------------------------------------------------


def _form_data(**changes):
    technique = Technique.objects.get_or_create(slug="tulis", defaults={"name": "Tulis"})[0]
    make_product()  # creates the kain type, fabric and paku motif
    from catalog.models import Motif, ProductType

    data = {
        "title": "Kemeja Batik Cap Motif Paku",
        "description": "Cotton shirt.",
        "motifs": [Motif.objects.get(slug="paku").pk],
        "technique": technique.pk,
        "product_type": ProductType.objects.get(slug="kain").pk,
        "price": "275.000",
        "options-TOTAL_FORMS": "2",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
        "options-0-name": "M",
        "options-0-price_delta": "0",
        "options-0-stock": "4",
        "options-1-name": "XL",
        "options-1-price_delta": "15000",
        "options-1-stock": "2",
    }
    data.update(changes)
    return data


def test_create_a_listing_through_the_form(client):
    shop = make_shop()
    _login(client, shop.owner)
    response = client.post(_en("product-create"), _form_data())
    product = Product.objects.get(shop=shop)
    assert response["Location"] == _en("product-images", pk=product.pk)
    assert product.price == 275_000
    assert product.status == Product.Status.DRAFT
    assert product.slug == "kemeja-batik-cap-motif-paku"
    assert list(product.options.values_list("name", "price_delta", "stock")) == [
        ("M", 0, 4),
        ("XL", 15_000, 2),
    ]


def test_the_create_form_starts_with_one_unnamed_option(client):
    shop = make_shop()
    _login(client, shop.owner)
    page = client.get(_en("product-create")).text
    assert 'name="options-INITIAL_FORMS" value="1"' in page


@pytest.mark.parametrize(
    ("price", "message"),
    [
        ("350000.50", "Rupiah have no cents"),
        ("350000,5", "Rupiah have no cents"),
        ("-350000", "The price cannot be negative."),
        ("tiga ratus", "Enter the price in whole rupiah"),
        ("0", "more than Rp 0"),
    ],
)
def test_price_must_be_whole_positive_rupiah(client, price, message):
    shop = make_shop()
    _login(client, shop.owner)
    response = client.post(_en("product-create"), _form_data(price=price))
    assert response.status_code == 200
    assert message in response.text
    assert not Product.objects.filter(shop=shop).exists()


def test_made_to_order_requires_a_lead_time(client):
    shop = make_shop()
    _login(client, shop.owner)
    response = client.post(_en("product-create"), _form_data(is_made_to_order="on"))
    assert "Made-to-order listings need a lead time" in response.text
    client.post(_en("product-create"), _form_data(is_made_to_order="on", lead_time_days="14"))
    product = Product.objects.get(shop=shop)
    assert product.lead_time_days == 14
    assert set(product.options.values_list("stock", flat=True)) == {0}


def test_printed_textile_is_not_offered_as_a_technique(client):
    printed = Technique.objects.create(slug="printing", name="Printing")
    shop = make_shop()
    _login(client, shop.owner)
    assert "Printing" not in client.get(_en("product-create")).text
    response = client.post(_en("product-create"), _form_data(technique=str(printed.pk)))
    assert response.status_code == 200
    assert not Product.objects.filter(shop=shop).exists()


def test_edit_keeps_the_slug_and_updates_options(client):
    product = make_product(options=[("S", 0, 1)])
    option = product.options.get()
    _login(client, product.shop.owner)
    assert client.get(_en("product-edit", pk=product.pk)).status_code == 200
    data = _form_data(
        title="Renamed",
        **{
            "options-TOTAL_FORMS": "1",
            "options-INITIAL_FORMS": "1",
            "options-0-id": str(option.pk),
            "options-0-name": "S",
            "options-0-stock": "6",
        },
    )
    data.pop("options-1-name")
    response = client.post(_en("product-edit", pk=product.pk), data)
    assert response.status_code == 302
    old_slug = product.slug
    product.refresh_from_db()
    assert product.title == "Renamed" and product.slug == old_slug
    assert list(product.options.values_list("pk", "stock")) == [(option.pk, 6)]


# --- photos ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "make", "content_type", "words"), BAD_FILES)
def test_json_upload_refuses_bad_files_in_english_and_stores_nothing(
    client, media_root, name, make, content_type, words
):
    product = make_product(status=Product.Status.DRAFT)
    _login(client, product.shop.owner)
    response = client.post(
        _en("product-image-upload", pk=product.pk),
        {"image": upload(name, make(), content_type)},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert words in response.json()["error"]
    assert not ProductImage.objects.exists()
    assert stored_files(media_root) == []


def test_form_upload_without_javascript_keeps_good_photos_and_explains_bad_ones(client, media_root):
    product = make_product(status=Product.Status.DRAFT)
    _login(client, product.shop.owner)
    response = client.post(
        _en("product-images", pk=product.pk),
        {
            "images": [
                upload("phone.jpg", gps_exif_jpeg_bytes()),
                upload("logo.svg", BAD_FILES[3][1](), "image/svg+xml"),
            ]
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "logo.svg: Upload a photo in JPEG, PNG or WebP format." in response.text
    assert "Photos added: 1." in response.text
    image = ProductImage.objects.get()
    assert (image.width, image.height) == (200, 400)
    assert image.is_primary
    # Only the accepted photo is stored (at 200 px wide it is below every thumbnail width).
    assert stored_files(media_root) == [image.image.name, *image.thumbnails.values()]


def test_json_upload_accepts_a_photo_and_answers_with_it(client, media_root):
    product = make_product(status=Product.Status.DRAFT)
    _login(client, product.shop.owner)
    response = client.post(
        _en("product-image-upload", pk=product.pk),
        {"image": upload("kain.jpg", jpeg_bytes(1600, 1200))},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["ok"] is True
    assert (body["image"]["width"], body["image"]["height"]) == (1600, 1200)
    assert sorted(body["image"]["thumbnails"], key=int) == ["320", "640", "1024"]


def test_images_page_reorders_sets_primary_edits_alt_and_deletes(client, media_root):
    product = make_product()
    first, second = services.add_product_images(
        shop=product.shop,
        product=product,
        files=[upload("1.jpg", jpeg_bytes(300, 300)), upload("2.jpg", jpeg_bytes(300, 300))],
    )
    _login(client, product.shop.owner)
    page = client.get(_en("product-images", pk=product.pk))
    assert page.status_code == 200
    assert "multiple" in page.text and "js/listings.js" in page.text

    client.post(_en("product-image-move", pk=product.pk, image_pk=second.pk), {"direction": "up"})
    assert list(product.images.values_list("pk", flat=True)) == [second.pk, first.pk]

    client.post(_en("product-image-primary", pk=product.pk, image_pk=first.pk))
    assert product.images.get(is_primary=True).pk == first.pk

    client.post(_en("product-image-reorder", pk=product.pk), {"order": [second.pk, first.pk]})
    assert product.images.get(is_primary=True).pk == second.pk

    client.post(
        _en("product-image-alt", pk=product.pk, image_pk=first.pk),
        {"alt_text": "Kain folded, showing the paku border"},
    )
    first.refresh_from_db()
    assert first.alt_text == "Kain folded, showing the paku border"

    client.post(_en("product-image-delete", pk=product.pk, image_pk=second.pk))
    assert list(product.images.values_list("pk", flat=True)) == [first.pk]
    assert ProductImage.objects.get().is_primary


def test_an_option_of_my_own_shop_cannot_be_reached_through_a_product_of_another(client, victim):
    mine = make_product()
    _login(client, mine.shop.owner)
    foreign_image = victim.images.get()
    # My product id with the other shop's photo id: still a 404.
    url = _en("product-image-delete", pk=mine.pk, image_pk=foreign_image.pk)
    assert client.post(url).status_code == 404
    assert ProductImage.objects.filter(pk=foreign_image.pk).exists()
    assert ProductOption.objects.filter(product=victim).count() == 2


def test_an_empty_tab_invites_a_first_listing_only_to_a_shop_without_any(client):
    shop = make_shop()
    _login(client, shop.owner)
    empty_shop_page = client.get("/dasbor/produk/?status=draft").content.decode()
    assert "Jual batik pertama Anda" in empty_shop_page

    make_product(shop=shop)  # active
    drafts = client.get("/dasbor/produk/?status=draft").content.decode()
    assert "Jual batik pertama Anda" not in drafts
    assert "Belum ada draf." in drafts
    assert 'href="/dasbor/produk/baru/"' in drafts
