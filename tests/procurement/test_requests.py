"""An institution's request: the staff list it comes from, the makers' offers, and the split."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalog.models import ProductType
from procurement import allocation, services
from procurement.models import Allocation, Institution, InstitutionMember, ProcurementRequest
from procurement.numbering import next_document_number
from procurement.staff_list import parse_staff_list
from tests.concurrency import all_at_once, requires_row_locks
from tests.factories import make_shop, make_user

pytestmark = pytest.mark.django_db

SIZES = {"S": 20, "M": 40, "L": 40, "XL": 20}


def _csv(text: str, name: str = "pegawai.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), "text/csv")


def _staff_csv(counts=SIZES) -> SimpleUploadedFile:
    lines = ["Nama;Unit kerja;Ukuran"]
    number = 0
    for size, count in counts.items():
        for _ in range(count):
            number += 1
            lines.append(f"Pegawai {number};Bidang {number % 4};{size.lower()}")
    lines += ["", ";;"]  # the empty rows a spreadsheet leaves at its end
    return _csv("\n".join(lines))


def _institution(*, verified=True):
    institution = Institution.objects.create(
        name="Dinas Koperasi dan UKM Kabupaten Kutai Timur",
        kind=Institution.Kind.GOVERNMENT,
        address="Jl. Soekarno Hatta, Sangatta",
        tax_number="001234567891000",
        email_domain="kutaitimurkab.go.id",
    )
    if verified:
        services.verify_institution(institution=institution, by=make_user(is_staff=True))
    officer = make_user(email="pengadaan@kutaitimurkab.go.id")
    InstitutionMember.objects.create(
        institution=institution, user=officer, role=InstitutionMember.Role.OFFICER
    )
    return institution, officer


def _request(institution, officer) -> ProcurementRequest:
    shirt, _created = ProductType.objects.get_or_create(slug="kemeja", defaults={"name": "Kemeja"})
    return ProcurementRequest.objects.create(
        institution=institution,
        created_by=officer,
        title="Seragam batik pegawai 2027",
        product_type=shirt,
        budget_per_piece=350_000,
        needed_by=timezone.localdate() + timedelta(days=60),
        delivery_address="Kantor Dinas Koperasi, Sangatta",
    )


def test_a_staff_list_gives_the_counts_per_size_and_keeps_who_gets_what():
    staff = parse_staff_list(_staff_csv())
    assert staff.counts == SIZES
    assert len(staff.rows) == 120
    assert staff.rows[0].name == "Pegawai 1" and staff.rows[0].row == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Nama,Ukuran\nSiti,M\nBudi,Jumbo\n", "Baris 3: “Jumbo” bukan ukuran yang dikenal"),
        ("Nama,Ukuran\n,M\n", "Baris 2: nama belum diisi."),
        ("Siti,M\n", "Baris 1 harus berisi judul kolom"),
        ("", "Daftar pegawai kosong."),
    ],
)
def test_a_bad_staff_list_says_which_row_is_wrong(content, message):
    # in the uploader's language (Indonesian here)
    with pytest.raises(ValidationError) as error:
        parse_staff_list(_csv(content))
    assert any(message in text for text in error.value.messages), error.value.messages


def test_a_staff_list_in_another_encoding_names_the_row():
    data = "Nama,Ukuran\nSiti,M\nJos\xe9,L\n".encode("cp1252")
    with pytest.raises(ValidationError) as error:
        parse_staff_list(SimpleUploadedFile("x.csv", data, "text/csv"))
    assert "Baris 3" in error.value.messages[0]


def test_a_staff_list_over_a_megabyte_is_refused():
    big = SimpleUploadedFile("x.csv", b"Nama,Ukuran\n" + b"Siti,M\n" * 200_000, "text/csv")
    with pytest.raises(ValidationError) as error:
        parse_staff_list(big)
    assert "1 MB" in error.value.messages[0]


def test_only_a_verified_institutions_member_submits():
    institution, officer = _institution(verified=False)
    request = _request(institution, officer)
    services.set_sizes(request=request, counts={}, staff=parse_staff_list(_staff_csv()))
    with pytest.raises(ValidationError, match="belum memverifikasi"):
        services.submit_request(request=request, by=officer)
    services.verify_institution(institution=institution, by=make_user(is_staff=True))
    with pytest.raises(ValidationError):
        services.submit_request(request=request, by=make_user())  # someone of no institution
    services.submit_request(request=request, by=officer)
    assert request.status == ProcurementRequest.Status.SUBMITTED
    assert request.staff.count() == 120


def _offers(request, quantities):
    """Three invited makers offering `quantities` pieces each, spread over the sizes."""
    shops = [make_shop(is_verified=True) for _ in quantities]
    services.invite_makers(request=request, shops=shops, by=make_user(is_staff=True))
    offers = []
    for index, (shop, total) in enumerate(zip(shops, quantities, strict=True)):
        share = {size: round(total * count / 120) for size, count in SIZES.items()}
        share["M"] += total - sum(share.values())
        offers.append(
            services.submit_offer(
                request=request,
                shop=shop,
                by=shop.owner,
                price_per_piece=300_000 + index,
                delivery_date=request.needed_by - timedelta(days=10 - index),
                sizes=share,
            )  # fmt: skip
        )
    return offers


def test_the_proposed_split_fills_the_request_within_each_offer_and_spreads_the_work():
    institution, officer = _institution()
    request = _request(institution, officer)
    services.set_sizes(request=request, counts=SIZES)
    services.submit_request(request=request, by=officer)
    offers = _offers(request, [50, 50, 40])

    split = allocation.propose_split(
        requested=allocation.requested_of(request),
        offers=allocation.terms_of(request),
        budget_per_piece=request.budget_per_piece,
    )

    for size, wanted in SIZES.items():
        assert sum(sizes.get(size, 0) for sizes in split.values()) == wanted
    for offer in offers:
        offered = {row.size: row.quantity for row in offer.sizes.all()}
        assert all(split[offer.pk][size] <= offered[size] for size in split[offer.pk])
    totals = sorted(sum(sizes.values()) for sizes in split.values())
    assert sum(totals) == 120 and totals[-1] - totals[0] <= 10  # fairly spread
    allocation.save_split(request=request, split=split)
    assert sum(row.quantity for row in Allocation.objects.all()) == 120


def test_a_split_over_an_offer_or_short_of_the_request_is_refused():
    institution, officer = _institution()
    request = _request(institution, officer)
    services.set_sizes(request=request, counts=SIZES)
    services.submit_request(request=request, by=officer)
    first, second, third = _offers(request, [50, 50, 40])
    over = {first.pk: {"S": 20, "M": 40, "L": 40, "XL": 20}}
    with pytest.raises(ValidationError) as error:
        allocation.save_split(request=request, split=over)
    assert any("menawarkan" in text for text in error.value.messages)
    short = {first.pk: {"M": 10}}
    with pytest.raises(ValidationError) as error:
        allocation.save_split(request=request, split=short)
    assert any("diminta" in text for text in error.value.messages)
    assert not Allocation.objects.exists()


def test_a_maker_not_invited_cannot_offer():
    institution, officer = _institution()
    request = _request(institution, officer)
    services.set_sizes(request=request, counts=SIZES)
    services.submit_request(request=request, by=officer)
    services.invite_makers(
        request=request, shops=[make_shop(is_verified=True)], by=make_user(is_staff=True)
    )
    stranger = make_shop()
    with pytest.raises(ValidationError, match="tidak mengundang"):
        services.submit_offer(
            request=request, shop=stranger, by=stranger.owner, price_per_piece=1,
            delivery_date=request.needed_by, sizes={"M": 1},
        )  # fmt: skip


def test_document_numbers_count_per_kind_and_year_in_the_letter_style():
    first, second = next_document_number("SPH"), next_document_number("SPH")
    other = next_document_number("INV")
    year = timezone.localdate().year
    assert first.startswith("001/KBK/SPH/") and first.endswith(f"/{year}")
    assert second.startswith("002/") and other.startswith("001/KBK/INV/")


@requires_row_locks
@pytest.mark.django_db(transaction=True)
def test_document_numbers_never_repeat_when_issued_at_once():
    numbers = all_at_once(8, lambda index: next_document_number("KWT"))
    assert len(set(numbers)) == 8, numbers
