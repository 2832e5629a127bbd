"""Search forgives typos on SQLite as on PostgreSQL, and says what it searched for instead."""

import html
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from artisans.models import District
from catalog.cache import bump_catalog_version
from catalog.models import Colour, Fabric, Motif, Product, ProductType, Technique
from catalog.services import rebuild_search_index
from demo.catalog import COLOURS, FABRICS, MAKERS, MOTIFS, PRODUCT_KINDS, PRODUCT_TYPES, TECHNIQUES
from tests.factories import make_product, make_shop

pytestmark = pytest.mark.django_db


def titles(response) -> set[str]:
    return set(re.findall(r"<h3>([^<]+)</h3>", response.content.decode()))


def suggestion(response) -> tuple[str, str] | None:
    """The "Maksud Anda" link of a page: (its words, its address), or None."""
    found = re.search(
        r'<p class="[^"]*did-you-mean[^"]*"[^>]*>.*?<a href="([^"]+)">([^<]+)</a>',
        response.content.decode(),
    )
    return (found[2], html.unescape(found[1])) if found else None


@pytest.fixture
def demo_catalog() -> list[Product]:
    """The demo's makers, motifs and taxonomy, a few listings each, titled as the demo titles them."""
    motifs = {
        slug: Motif.objects.create(slug=slug, name=name, story=story)
        for slug, name, story in MOTIFS
    }
    techniques = [Technique.objects.create(slug=s, name=n) for s, n, _ in TECHNIQUES]
    fabrics = [Fabric.objects.create(slug=s, name=n) for s, n in FABRICS]
    types = {s: ProductType.objects.create(slug=s, name=n) for s, n in PRODUCT_TYPES}
    colours = [Colour.objects.create(slug=s, name=n, hex=h) for s, n, h in COLOURS]
    products = []
    for maker in MAKERS:
        shop = make_shop(name=maker.shop, district=maker.district)
        for index in range(4):
            motif = motifs[maker.motifs[index % len(maker.motifs)]]
            type_slug, word, *_ = PRODUCT_KINDS[index % len(PRODUCT_KINDS)]
            technique = techniques[(index + len(maker.shop)) % 3]
            fabric = fabrics[index % len(fabrics)]
            colour = colours[(index + len(maker.email)) % len(colours)]
            product = make_product(
                shop=shop,
                motif=motif.slug,
                title=f"{word} Batik {technique.name} Motif {motif.name} {colour.name}",
                description=f"{motif.story}\n\nBatik {technique.name.lower()} di atas "
                f"{fabric.name.lower()}, dibuat di {shop.get_district_display()}, Kutai Timur.",
                technique=technique,
                fabric=fabric,
                product_type=types[type_slug],
            )
            product.colours.add(colour)
            products.append(product)
    rebuild_search_index()
    return products


def _titles_of(products) -> set[str]:
    return {product.title for product in products}


def _with_motif(products, slug: str) -> set[str]:
    return _titles_of(p for p in products if p.motifs.filter(slug=slug).exists())


def test_each_demo_typo_finds_what_the_right_words_find(client, demo_catalog):
    paku = _with_motif(demo_catalog, "paku")
    telapak = _with_motif(demo_catalog, "telapak-tangan")
    # The motif, or the shop's name ("Wakaroros Muara Wahau" also makes paku).
    wakaroros = _with_motif(demo_catalog, "wakaroros") | _titles_of(
        p for p in demo_catalog if "Wakaroros" in p.shop.name
    )
    sangatta_shops = _titles_of(
        p for p in demo_catalog if p.shop.district == District.SANGATTA_UTARA
    )
    assert titles(client.get("/batik/?q=pakku")) == paku
    assert titles(client.get("/batik/?q=telapak tangn")) == telapak
    assert titles(client.get("/batik/?q=wakaroro")) == wakaroros
    found = titles(client.get("/batik/?q=sangata"))
    assert sangatta_shops <= found
    assert found == titles(client.get("/batik/?q=sangatta"))


@pytest.mark.parametrize(
    ("typo", "words"),
    [("pakku", "paku"), ("telapak tangn", "telapak tangan"), ("sangata", "sangatta")],
)
def test_a_corrected_search_says_maksud_anda_and_links_to_the_right_words(
    client, demo_catalog, typo, words
):
    response = client.get(f"/batik/?q={typo}&sort=price-asc")
    assert "Maksud Anda:" in response.content.decode()
    assert suggestion(response) == (words, f"/batik/?q={words.replace(' ', '+')}&sort=price-asc")
    linked = client.get(suggestion(response)[1])
    assert titles(linked) == titles(response)
    assert suggestion(linked) is None


def test_the_suggestion_in_english_keeps_the_filters(client, demo_catalog):
    response = client.get("/en/batik/?q=pakku&price_max=600000")
    assert "Did you mean:" in response.content.decode()
    assert "Maksud Anda" not in response.content.decode()
    assert suggestion(response) == ("paku", "/en/batik/?q=paku&price_max=600000")
    assert titles(response) == titles(client.get("/en/batik/?q=paku&price_max=600000"))


def test_no_suggestion_for_words_that_are_found(client, demo_catalog):
    for words in ("paku", "telapak tangan", "kain sutra", "wakaroro", "sangatta utara"):
        response = client.get(f"/batik/?q={words}")
        assert titles(response), words
        assert suggestion(response) is None, words
        assert "Maksud Anda" not in response.content.decode()


def test_an_exact_match_wins_over_a_correction(client, demo_catalog):
    """A listing that really holds the typed word is found, and nothing else is suggested."""
    make_product(title="Selendang Pakku Merah", motif="sawit")
    rebuild_search_index()
    bump_catalog_version()
    response = client.get("/batik/?q=pakku")
    assert titles(response) == {"Selendang Pakku Merah"}
    assert suggestion(response) is None


def test_a_search_that_finds_little_suggests_without_replacing(client, demo_catalog):
    """One listing mentions the misspelt word: it is shown, and the correction offered beside it."""
    make_product(title="Taplak Meja", description="Bukan motif pakku yang asli.", motif="sawit")
    rebuild_search_index()
    bump_catalog_version()
    response = client.get("/batik/?q=pakku")
    assert titles(response) == {"Taplak Meja"}
    assert suggestion(response) == ("paku", "/batik/?q=paku")


def test_words_far_from_any_listing_find_nothing_and_suggest_nothing(client, demo_catalog):
    response = client.get("/batik/?q=xylofon")
    assert titles(response) == set()
    assert suggestion(response) is None
    assert "tidak ditemukan" in response.content.decode()


def test_a_new_listing_word_is_corrected_after_the_catalog_changes(client, demo_catalog):
    """The vocabulary is kept per catalog version: a listing edit makes it fresh."""
    client.get("/batik/?q=doyoo")
    make_product(title="Kain Tenun Doyo", motif="sawit")
    rebuild_search_index()
    bump_catalog_version()
    response = client.get("/batik/?q=doyoo")
    assert titles(response) == {"Kain Tenun Doyo"}
    assert suggestion(response) == ("doyo", "/batik/?q=doyo")


def test_a_typo_page_costs_at_most_two_queries_more_than_the_right_words(client, demo_catalog):
    """The vocabulary (once per catalog version) and the corrected count; warm, nothing more."""

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    cache.clear()
    right = queries("/batik/?q=paku&per_page=48")
    cache.clear()
    typo = queries("/batik/?q=pakku&per_page=48")
    assert typo <= right + 2
    assert queries("/batik/?q=pakku&per_page=48") <= right


def test_a_shop_search_with_a_typo_links_to_the_shops_own_right_words(client, demo_catalog):
    """A shop shows only what its typed words find, and offers the corrected words."""
    shop = next(p.shop for p in demo_catalog if p.shop.name == "Batik Paku Sangatta")
    response = client.get(f"/toko/{shop.slug}/?q=pakku")
    assert titles(response) == set()
    assert suggestion(response) == ("paku", "?q=paku#shop-products")
    linked = client.get(f"/toko/{shop.slug}/?q=paku")
    assert titles(linked) == _titles_of(p for p in demo_catalog if p.shop == shop)
    assert suggestion(linked) is None
