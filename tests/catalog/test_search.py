"""Search: full-text on PostgreSQL, a simple match on SQLite, typo-tolerant on both."""

import re

import pytest
from django.core.management import call_command

from catalog.models import Motif, Product
from catalog.services import rebuild_search_index, refresh_search_vector
from tests.catalog.conftest import requires_postgres
from tests.factories import make_product, make_shop

pytestmark = pytest.mark.django_db


def titles(response) -> set[str]:
    return set(re.findall(r"<h3>([^<]+)</h3>", response.content.decode()))


@pytest.fixture
def catalog():
    products = {
        "singkong": make_product(title="Kain Hijau Rantau", motif="daun-singkong"),
        "telapak": make_product(title="Kemeja Cokelat", motif="telapak-tangan"),
        "paku": make_product(title="Selendang Biru", motif="paku", price=200_000),
        "paku_dear": make_product(title="Kain Sutra Biru", motif="paku", price=900_000),
    }
    rebuild_search_index()
    return products


def test_search_finds_a_motif_by_name(client, catalog):
    assert titles(client.get("/en/batik/?q=daun singkong")) == {"Kain Hijau Rantau"}
    assert titles(client.get("/en/batik/?q=paku")) == {"Selendang Biru", "Kain Sutra Biru"}


def test_search_finds_title_shop_and_description_words(client, catalog):
    make_product(title="Sarung Ungu", shop=make_shop(name="Wakaroros Muara Wahau"))
    make_product(title="Taplak", description="Dibuat dengan pewarna alam dari kulit manggis.")
    rebuild_search_index()
    assert titles(client.get("/en/batik/?q=kemeja")) == {"Kemeja Cokelat"}
    assert titles(client.get("/en/batik/?q=Muara Wahau")) == {"Sarung Ungu"}
    assert titles(client.get("/en/batik/?q=manggis")) == {"Taplak"}


def test_filters_combine_with_search(client, catalog):
    assert titles(client.get("/en/batik/?q=paku&price_max=300000")) == {"Selendang Biru"}


def test_search_ignores_drafts(client, catalog):
    make_product(title="Paku Draft", motif="paku", status="draft")
    rebuild_search_index()
    assert "Paku Draft" not in titles(client.get("/en/batik/?q=paku"))


def test_one_letter_off_still_finds_the_motif(client, catalog):
    response = client.get("/en/batik/?q=pakk")
    assert titles(response) == {"Selendang Biru", "Kain Sutra Biru"}
    assert "Showing batik for “paku”" in response.content.decode()
    assert titles(client.get("/en/batik/?q=singkomg")) == {"Kain Hijau Rantau"}
    assert titles(client.get("/en/batik/?q=telapak tangn")) == {"Kemeja Cokelat"}


def test_typo_search_combines_with_filters(client, catalog):
    assert titles(client.get("/en/batik/?q=pako&price_min=500000")) == {"Kain Sutra Biru"}


def test_title_and_motif_words_rank_above_description(client):
    make_product(title="Kain Biasa", description="mirip motif sawit", motif="paku")
    make_product(title="Kain Sawit Merah", motif="sawit")
    rebuild_search_index()
    found = re.findall(r"<h3>([^<]+)</h3>", client.get("/en/batik/?q=sawit").content.decode())
    assert found == ["Kain Sawit Merah", "Kain Biasa"]


@requires_postgres
def test_search_vector_follows_a_renamed_motif(client, catalog):
    Motif.objects.filter(slug="paku").update(name="Pakis")
    refresh_search_vector(product_ids=Product.objects.values_list("pk", flat=True))
    assert titles(client.get("/en/batik/?q=pakis")) == {"Selendang Biru", "Kain Sutra Biru"}


@requires_postgres
def test_rebuild_search_index_command(catalog):
    import io

    Product.objects.update(search_vector=None)
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "4 products" in out.getvalue()
    assert not Product.objects.filter(search_vector=None).exists()


def found_in_order(response) -> list[str]:
    return re.findall(r"<h3>([^<]+)</h3>", response.content.decode())


def test_search_results_follow_the_chosen_sort_across_pages(client):
    for price in (300_000, 100_000, 500_000, 200_000, 400_000):
        make_product(title=f"Kain Paku {price // 1000}", motif="paku", price=price)
    rebuild_search_index()
    cheap_first = found_in_order(client.get("/en/batik/?q=paku&sort=price-asc"))
    assert cheap_first == [f"Kain Paku {p}" for p in (100, 200, 300, 400, 500)]
    dear_first = found_in_order(client.get("/en/batik/?q=paku&sort=price-desc"))
    assert dear_first == list(reversed(cheap_first))
    newest = found_in_order(client.get("/en/batik/?q=paku&sort=newest"))
    assert newest == [f"Kain Paku {p}" for p in (400, 200, 500, 100, 300)]
    # Page 2 of 24 holds nothing; the count still says five.
    response = client.get("/en/batik/?q=paku&sort=price-asc&page=2")
    assert found_in_order(response) == cheap_first
    assert "5 batik" in response.content.decode()


def test_a_repeated_search_finds_what_changed_since(client, settings, catalog):
    """Matches and cards are read on every search, not kept from an earlier one."""
    settings.CATALOG_PAGE_CACHE = False
    assert titles(client.get("/en/batik/?q=paku")) == {"Selendang Biru", "Kain Sutra Biru"}
    new = make_product(title="Sarung Paku Baru", motif="paku")
    refresh_search_vector(product_ids=[new.pk])
    Product.objects.filter(pk=catalog["paku_dear"].pk).update(title="Kain Sutra Nila")
    assert titles(client.get("/en/batik/?q=paku")) == {
        "Selendang Biru",
        "Kain Sutra Nila",
        "Sarung Paku Baru",
    }


def test_search_finds_a_listing_by_its_english_words_on_either_language_page(client, catalog):
    make_product(
        title="Kemeja Tulis Lengan Panjang",
        title_en="Long-sleeved Hand-drawn Shirt",
        description_en="Coloured with mangosteen rind.",
        motif="paku",
    )
    Motif.objects.filter(slug="daun-singkong").update(name_en="Cassava leaf")
    rebuild_search_index()

    assert titles(client.get("/en/batik/?q=shirt")) == {"Long-sleeved Hand-drawn Shirt"}
    assert titles(client.get("/batik/?q=shirt")) == {"Kemeja Tulis Lengan Panjang"}
    assert titles(client.get("/en/batik/?q=mangosteen")) == {"Long-sleeved Hand-drawn Shirt"}
    assert titles(client.get("/en/batik/?q=cassava")) == {"Kain Hijau Rantau"}


def test_a_misspelt_english_word_is_corrected(client, catalog):
    make_product(title="Kemeja Tulis", title_en="Hand-drawn Shirt")
    rebuild_search_index()

    response = client.get("/en/batik/?q=shrit")
    assert titles(response) == {"Hand-drawn Shirt"}
    assert "Showing batik for “shirt”" in response.content.decode()
