"""The site's own words in the reader's language: selects, the search box, address hints and
the impact report's period."""

import pytest
from django.urls import reverse
from django.utils import translation

from catalog.models import Fabric
from tests.factories import PASSWORD, make_product, make_shop

pytestmark = pytest.mark.django_db


def _url(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def test_the_listing_forms_selects_speak_the_pages_language(client):
    shop = make_shop()
    make_product(shop=shop)
    Fabric.objects.filter(slug="katun-primisima").update(name_en="Primisima cotton")
    client.login(email=shop.owner.email, password=PASSWORD)

    indonesian = client.get(_url("id", "dashboard:product-create")).content.decode()
    english = client.get(_url("en", "dashboard:product-create")).content.decode()

    assert "- Pilih salah satu -" in indonesian
    assert "Select an option" not in indonesian and "---------" not in indonesian
    assert "- Select an option -" in english
    assert ">Primisima cotton</option>" in english
    assert ">Katun Primisima</option>" in indonesian


def test_the_english_search_box_suggests_english_words(client):
    english = client.get(_url("en", "catalog:home")).content.decode()
    assert 'placeholder="Search motif, maker, shirt…"' in english


def test_address_terms_stay_indonesian_with_english_hints_on_english_pages(client):
    product = make_product()
    client.post(reverse("orders:cart-add"), {"option": product.options.get().pk, "quantity": 1})

    english = client.get(_url("en", "orders:checkout")).content.decode()
    indonesian = client.get(_url("id", "orders:checkout")).content.decode()

    assert "Kelurahan / desa" in english and "Kecamatan" in english
    assert "The village (desa) or urban ward (kelurahan)." in english
    assert "The regency (kabupaten) or city (kota)." in english
    assert "Desa atau kelurahan." not in indonesian
    assert "The village" not in indonesian


def test_the_impact_reports_period_reads_dari_and_sampai(admin_client):
    indonesian = admin_client.get("/admin/laporan-dampak/").content.decode()
    english = admin_client.get("/en/admin/laporan-dampak/").content.decode()
    assert ">Dari:</label>" in indonesian and ">Sampai:</label>" in indonesian
    assert "menjadi" not in indonesian
    assert ">From:</label>" in english and ">To:</label>" in english
