"""The institution's and the maker's pages: who sees what, and a request drafted from a CSV."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalog.models import ProductType
from procurement import services
from procurement.models import Institution, InstitutionMember, ProcurementRequest
from tests.factories import make_shop, make_user
from tests.procurement.test_requests import SIZES, _institution, _request, _staff_csv

pytestmark = pytest.mark.django_db


def _kemeja():
    return ProductType.objects.get_or_create(slug="kemeja", defaults={"name": "Kemeja"})[0]


def test_an_officer_drafts_a_request_from_a_staff_list_and_sends_it(client):
    institution, officer = _institution()
    client.force_login(officer)
    response = client.post(
        "/en/instansi/permintaan/baru/",
        {
            "title": "Seragam batik 2027",
            "product_type": _kemeja().pk,
            "budget_per_piece": 350000,
            "needed_by": (timezone.localdate() + timedelta(days=60)).isoformat(),
            "delivery_address": "Kantor Dinas, Sangatta",
            "staff_list": _staff_csv(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = ProcurementRequest.objects.get()
    assert {row.size: row.quantity for row in draft.sizes.all()} == SIZES
    page = client.get(f"/en/instansi/permintaan/{draft.pk}/").content.decode()
    assert 'data-testid="request-total">120<' in page
    client.post(f"/en/instansi/permintaan/{draft.pk}/kirim/")
    draft.refresh_from_db()
    assert draft.status == ProcurementRequest.Status.SUBMITTED


def test_a_bad_staff_list_is_shown_on_the_form_by_row(client):
    _institution_, officer = _institution()
    client.force_login(officer)
    bad = SimpleUploadedFile("x.csv", b"Nama,Ukuran\nSiti,M\nBudi,Jumbo\n", "text/csv")
    response = client.post(
        "/en/instansi/permintaan/baru/",
        {
            "title": "Seragam", "product_type": _kemeja().pk, "budget_per_piece": 1,
            "needed_by": (timezone.localdate() + timedelta(days=9)).isoformat(),
            "delivery_address": "x", "staff_list": bad,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "Row 3" in response.content.decode() and not ProcurementRequest.objects.exists()


def test_staff_of_one_institution_cannot_see_anothers_requests(client):
    institution, officer = _institution()
    request = _request(institution, officer)
    other = Institution.objects.create(name="SMA Negeri 1 Sangatta", kind="school", address="x")
    stranger = make_user()
    InstitutionMember.objects.create(institution=other, user=stranger)
    client.force_login(stranger)
    assert client.get(f"/en/instansi/permintaan/{request.pk}/").status_code == 404
    assert client.post(f"/en/instansi/permintaan/{request.pk}/tarik/").status_code == 404
    client.force_login(make_user())  # no institution at all
    assert client.get("/en/instansi/").status_code == 404


def test_a_maker_sees_only_their_own_offer(client):
    institution, officer = _institution()
    request = _request(institution, officer)
    services.set_sizes(request=request, counts=SIZES)
    services.submit_request(request=request, by=officer)
    mine, theirs = make_shop(is_verified=True), make_shop(is_verified=True)
    services.invite_makers(request=request, shops=[mine, theirs], by=make_user(is_staff=True))
    services.submit_offer(
        request=request, shop=theirs, by=theirs.owner, price_per_piece=287_654,
        delivery_date=request.needed_by, sizes={"M": 40},
    )  # fmt: skip

    client.force_login(mine.owner)
    page = client.get(f"/en/dasbor/permintaan-instansi/{request.pk}/").content.decode()
    assert "287.654" not in page and "287654" not in page
    client.post(
        f"/en/dasbor/permintaan-instansi/{request.pk}/",
        {"price_per_piece": 300000, "delivery_date": request.needed_by.isoformat(),
         "size_S": 10, "size_M": 20},
    )  # fmt: skip
    assert request.offers.get(shop=mine).sizes.count() == 2
    listing = client.get("/en/dasbor/permintaan-instansi/").content.decode()
    assert "Rp 300.000" in listing and "287.654" not in listing

    client.force_login(make_shop().owner)  # not invited
    assert client.get(f"/en/dasbor/permintaan-instansi/{request.pk}/").status_code == 404
    # and the institution never sees a maker's price
    client.force_login(officer)
    assert "287.654" not in client.get(f"/en/instansi/permintaan/{request.pk}/").content.decode()


def test_the_cooperative_saves_the_proposed_split_or_is_told_what_is_wrong(admin_client):
    from procurement.models import Allocation
    from tests.procurement.test_requests import _offers

    institution, officer = _institution()
    request = _request(institution, officer)
    services.set_sizes(request=request, counts=SIZES)
    services.submit_request(request=request, by=officer)
    first, second, third = _offers(request, [50, 50, 40])
    url = f"/admin/procurement/procurementrequest/{request.pk}/pembagian/"

    page = admin_client.get(url).content.decode()
    assert page.count('data-testid="allocation-row"') == 3
    assert 'data-testid="allocation-total">120<' in page  # the proposal fills the request

    # the proposal as shown, saved
    values = {}
    for offer in (first, second, third):
        for size in SIZES:
            marker = f'name="q-{offer.pk}-{size}" value="'
            values[f"q-{offer.pk}-{size}"] = page.split(marker)[1].split('"')[0]
    admin_client.post(url, values)
    assert sum(row.quantity for row in Allocation.objects.all()) == 120

    # a split short of the request is refused with the reason
    short = {**values, f"q-{first.pk}-M": "0"}
    response = admin_client.post(url, short, follow=True)
    assert "requested" in response.content.decode() or "diminta" in response.content.decode()
    assert sum(row.quantity for row in Allocation.objects.all()) == 120
