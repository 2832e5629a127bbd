"""The "Koperasi staff" group's limits, the orders admin, and constant changelist query counts."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from artisans.models import District, Shop
from catalog.models import Collection, CollectionItem
from cooperative.staff import STAFF_GROUP, sync_staff_group
from orders import placement
from orders.models import Order, Payment, PaymentMethod, SubOrder, SubOrderEvent
from orders.payments.transfer import confirm_transfer
from tests.curation.conftest import change_form_data, post_action
from tests.curation.factories import paid_order
from tests.factories import ADDRESS, make_product, make_shop, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = make_user(is_staff=True)
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    client.force_login(user)
    return client


def _transfer_order(product, email="siti@gmail.com") -> Order:
    return placement.place_order(
        buyer=None,
        email=email,
        quantities={product.options.get().pk: 1},
        address=dict(ADDRESS),
        payment_method=PaymentMethod.BANK_TRANSFER,
    )


def test_the_group_exists_with_no_auth_permission():
    group = Group.objects.get(name=STAFF_GROUP)
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("artisans", "change_shop") in codenames
    assert ("catalog", "change_collection") in codenames
    assert ("orders", "change_payment") in codenames
    assert not [c for c in codenames if c[0] in {"auth", "accounts", "sites", "contenttypes"}]
    assert ("catalog", "delete_product") not in codenames
    # Running the sync again changes nothing.
    before = set(group.permissions.all())
    sync_staff_group()
    assert set(Group.objects.get(name=STAFF_GROUP).permissions.all()) == before


def test_staff_can_open_shops_and_approve(staff_client):
    shop = make_shop(status=Shop.Status.PENDING)
    assert staff_client.get("/en/admin/artisans/shop/").status_code == 200
    post_action(staff_client, "/en/admin/artisans/shop/", "approve_selected", [shop])
    shop.refresh_from_db()
    assert shop.status == Shop.Status.APPROVED


def test_staff_can_confirm_a_transfer(staff_client):
    order = _transfer_order(make_product())
    response = staff_client.post(f"/en/admin/orders/order/{order.pk}/confirm-transfer/")
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.CONFIRMED and order.paid_at is not None
    assert order.payments.get().status == Payment.Status.PAID


def test_staff_can_curate_collections_and_hide_listings(staff_client):
    product = make_product()
    assert staff_client.get("/en/admin/catalog/collection/add/").status_code == 200
    assert staff_client.get("/en/admin/catalog/motif/").status_code == 200
    post_action(
        staff_client, "/en/admin/catalog/product/", "hide_selected", [product], reason="Duplikat."
    )
    product.refresh_from_db()
    assert product.is_hidden


def test_staff_can_moderate_reviews_and_open_the_payout_queue(staff_client):
    assert staff_client.get("/en/admin/reviews/productreview/").status_code == 200
    assert staff_client.get("/en/admin/reviews/shopreview/").status_code == 200
    assert staff_client.get("/en/admin/ledger/payout/").status_code == 200
    assert staff_client.get("/en/admin/ledger/ledgerentry/").status_code == 200
    # The ledger is append-only, for staff as for everyone.
    assert staff_client.get("/en/admin/ledger/ledgerentry/add/").status_code == 403


def test_staff_cannot_touch_users_groups_or_sites(staff_client):
    other = make_user()
    group = Group.objects.get(name=STAFF_GROUP)
    assert staff_client.get(f"/en/admin/accounts/user/{other.pk}/change/").status_code == 403
    assert staff_client.get("/en/admin/accounts/user/").status_code == 403
    assert staff_client.get("/en/admin/auth/group/").status_code == 403
    assert staff_client.get(f"/en/admin/auth/group/{group.pk}/change/").status_code == 403
    assert staff_client.get("/en/admin/sites/site/").status_code == 403
    before = set(group.permissions.all())
    staff_client.post(
        f"/en/admin/auth/group/{group.pk}/change/",
        {"name": STAFF_GROUP, "permissions": list(Permission.objects.values_list("pk", flat=True))},
    )
    assert set(group.permissions.all()) == before


def test_order_admin_filters_and_detail(admin_client):
    rantau = make_shop(district=District.RANTAU_PULUNG)
    near = paid_order([(make_product(shop=rantau), 1)], email="a@gmail.com", paid_at=timezone.now())
    far = _transfer_order(make_product(shop=make_shop(district=District.BENGALON)))
    suborder = near.suborders.get()
    SubOrderEvent.objects.create(
        suborder=suborder, from_status=SubOrder.Status.NEW, to_status=SubOrder.Status.ACCEPTED,
        note="Siap 3 hari.",
    )  # fmt: skip

    listing = admin_client.get("/en/admin/orders/order/?district=rantau-pulung").content.decode()
    assert near.reference in listing and far.reference not in listing
    for query in (
        "status__exact=confirmed",
        "payment_method__exact=bank_transfer",
        # Aware, as the admin's own date filter links are: "+08:00" encoded for the query string.
        "created_at__gte="
        + quote((timezone.localtime() - timedelta(days=7)).isoformat(timespec="seconds")),
    ):
        assert admin_client.get(f"/en/admin/orders/order/?{query}").status_code == 200

    detail = admin_client.get(f"/en/admin/orders/order/{near.pk}/change/").content.decode()
    assert suborder.shop_name in detail
    line = suborder.lines.get()
    assert line.product_title in detail
    assert "Siap 3 hari." in detail
    assert "Bank transfer" in detail


def _orders(count: int) -> None:
    shops = [make_shop(district=d) for d in (District.BENGALON, District.KONGBENG)]
    products = [make_product(shop=shop, stock=1000) for shop in shops]
    for index in range(count):
        order = _transfer_order(products[index % 2], email=f"buyer{index}@gmail.com")
        if index % 3 == 0:
            confirm_transfer(payment=order.payments.get(), by=None)


def _products(count: int) -> None:
    shops = [make_shop() for _ in range(3)]
    for index in range(count):
        make_product(shop=shops[index % 3])


@pytest.mark.parametrize("count", [5, 30])
@pytest.mark.parametrize(
    ("url", "build"),
    [
        ("/en/admin/artisans/shop/", lambda n: [make_shop() for _ in range(n)]),
        ("/en/admin/catalog/product/", _products),
        ("/en/admin/orders/order/", _orders),
        ("/en/admin/catalog/collection/", None),
    ],
)
def test_changelist_query_counts_stay_constant(
    admin_client, django_assert_max_num_queries, url, build, count
):
    if build is None:
        products = [make_product() for _ in range(3)]
        for index in range(count):
            collection = Collection.objects.create(title=f"Koleksi {index}", slug=f"k-{index}")
            for product in products:
                CollectionItem.objects.create(collection=collection, product=product)
    else:
        build(count)
    admin_client.get(url)  # warm the session and the content-type cache
    with django_assert_max_num_queries(12):
        response = admin_client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/en/admin/artisans/shop/", "/en/admin/catalog/product/", "/en/admin/orders/order/",
     "/en/admin/catalog/collection/"],
)  # fmt: skip
def test_changelist_query_count_is_the_same_for_5_and_30_rows(admin_client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (5, 30):
        Order.objects.all().delete()
        Collection.objects.all().delete()
        products = [make_product() for _ in range(2)]
        while Shop.objects.count() < size:
            make_shop()
        while len(products) < size:
            products.append(make_product(shop=Shop.objects.first()))
        for index in range(size):
            collection = Collection.objects.create(title=f"K {index}", slug=f"k-{size}-{index}")
            CollectionItem.objects.create(collection=collection, product=products[index])
            _transfer_order(products[index], email=f"b{size}-{index}@gmail.com")
        admin_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url + "?all=").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_staff_serve_the_regency_offices_from_the_admin(staff_client):
    from procurement import services as procurement
    from procurement.models import Invitation
    from tests.procurement.test_requests import SIZES, _institution, _request

    # The cooperative's staff check a new office and let it send requests...
    institution, officer = _institution(verified=False)
    post_action(staff_client, "/en/admin/procurement/institution/", "verify", [institution])
    institution.refresh_from_db()
    assert institution.verified_at is not None

    # ...see what it asks for, and invite the makers who can make it.
    request = _request(institution, officer)
    procurement.set_sizes(request=request, counts=SIZES)
    procurement.submit_request(request=request, by=officer)
    maker = make_shop(is_verified=True)
    assert staff_client.get("/en/admin/procurement/procurementrequest/").status_code == 200
    invite = f"/en/admin/procurement/procurementrequest/{request.pk}/undang/"
    assert staff_client.post(invite, {"shops": [maker.pk]}).status_code == 302
    assert Invitation.objects.filter(request=request, shop=maker).exists()
    for page in ("quote", "document", "offer"):
        assert staff_client.get(f"/en/admin/procurement/{page}/").status_code == 200
    # The split among the offers and the quote: their pages open for the staff.
    for step in ("pembagian", "penawaran"):
        page = f"/en/admin/procurement/procurementrequest/{request.pk}/{step}/"
        assert staff_client.get(page).status_code == 200


def test_staff_verify_an_office_but_only_a_superuser_changes_its_email_domain(staff_client):
    from procurement.models import Institution
    from tests.procurement.test_requests import _institution

    institution, _officer = _institution(verified=False)
    url = f"/en/admin/procurement/institution/{institution.pk}/change/"
    data = change_form_data(staff_client.get(url), email_domain="gmail.com", name="Kantor Lain")
    assert staff_client.post(url, data).status_code == 302
    assert Institution.objects.values_list("name", "email_domain").get() == (
        "Dinas Koperasi dan UKM Kabupaten Kutai Timur",
        "kutaitimurkab.go.id",
    )
