"""The catalog list: each filter, sorting, pages and the state kept in the URL."""

import re

import pytest

from artisans.models import District
from catalog.models import Colour, Fabric, Favourite, ProductType, Technique
from catalog.services import recount_favourites, toggle_favourite
from tests.catalog.conftest import add_image
from tests.factories import make_product, make_shop, make_user

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return re.findall(r"<h3>([^<]+)</h3>", response.content.decode())


def listed(client, query: str) -> set[str]:
    return set(titles(client.get(f"/en/batik/?{query}")))


def test_motif_filter(client):
    paku = make_product(motif="paku", title="Paku cloth")
    make_product(motif="sawit", title="Sawit cloth")
    assert listed(client, "motif=paku") == {paku.title}


def test_two_motifs_show_either(client):
    make_product(motif="paku", title="Paku cloth")
    make_product(motif="sawit", title="Sawit cloth")
    make_product(motif="wakaroros", title="Wakaroros cloth")
    assert listed(client, "motif=paku&motif=sawit") == {"Paku cloth", "Sawit cloth"}


def test_technique_filter(client):
    cap = Technique.objects.create(name="Cap", slug="cap")
    make_product(title="Tulis cloth")
    make_product(title="Cap cloth", technique=cap)
    assert listed(client, "technique=cap") == {"Cap cloth"}


def test_fabric_filter(client):
    sutra = Fabric.objects.create(name="Sutra", slug="sutra")
    make_product(title="Cotton cloth")
    make_product(title="Silk cloth", fabric=sutra)
    assert listed(client, "fabric=sutra") == {"Silk cloth"}


def test_type_filter(client):
    kemeja = ProductType.objects.create(name="Kemeja", slug="kemeja")
    make_product(title="A kain")
    make_product(title="A shirt", product_type=kemeja)
    assert listed(client, "type=kemeja") == {"A shirt"}


def test_colour_filter(client):
    indigo = Colour.objects.create(name="Biru indigo", slug="biru-indigo", hex="#1c2a4a")
    blue = make_product(title="Blue cloth")
    blue.colours.add(indigo)
    make_product(title="Brown cloth")
    assert listed(client, "colour=biru-indigo") == {"Blue cloth"}


def test_district_filter(client):
    make_product(title="From Sangatta")
    make_product(title="From Rantau Pulung", shop=make_shop(district=District.RANTAU_PULUNG))
    assert listed(client, "district=rantau-pulung") == {"From Rantau Pulung"}


def test_price_range_filter(client):
    make_product(title="Cheap", price=150_000)
    make_product(title="Middle", price=350_000)
    make_product(title="Dear", price=1_200_000)
    assert listed(client, "price_min=200000&price_max=500000") == {"Middle"}
    assert listed(client, "price_min=200.000") == {"Middle", "Dear"}


def test_in_stock_and_made_to_order_filters(client):
    make_product(title="In stock", stock=3)
    make_product(title="Sold out", stock=0)
    make_product(title="Made for you", stock=0, is_made_to_order=True, lead_time_days=14)
    assert listed(client, "availability=in-stock") == {"In stock"}
    assert listed(client, "availability=made-to-order") == {"Made for you"}


def test_verified_makers_filter(client):
    make_product(title="Verified", shop=make_shop(is_verified=True))
    make_product(title="Not yet verified")
    assert listed(client, "verified=1") == {"Verified"}


def test_filters_combine(client):
    make_product(title="Paku cheap", motif="paku", price=100_000)
    make_product(title="Paku dear", motif="paku", price=900_000)
    make_product(title="Sawit cheap", motif="sawit", price=100_000)
    assert listed(client, "motif=paku&price_max=200000") == {"Paku cheap"}


def test_sorting_by_price_and_newest(client):
    make_product(title="Middle", price=350_000)
    make_product(title="Cheap", price=150_000)
    make_product(title="Dear", price=900_000)
    assert titles(client.get("/en/batik/?sort=price-asc")) == ["Cheap", "Middle", "Dear"]
    assert titles(client.get("/en/batik/?sort=price-desc")) == ["Dear", "Middle", "Cheap"]
    assert titles(client.get("/en/batik/")) == ["Dear", "Cheap", "Middle"]


def test_popular_sort_puts_most_saved_first(client):
    loved = make_product(title="Loved")
    make_product(title="Newer but unloved")
    for _ in range(2):
        toggle_favourite(user=make_user(), product=loved)
    assert titles(client.get("/en/batik/?sort=popular"))[0] == "Loved"


def test_popular_sort_follows_a_removed_favourite(client):
    # A heart click does not make every cached page stale; the pages are read fresh here.
    from django.core.cache import cache

    first = make_product(title="First")
    second = make_product(title="Second")
    buyer, other = make_user(), make_user()
    toggle_favourite(user=buyer, product=first)
    toggle_favourite(user=other, product=second)
    toggle_favourite(user=buyer, product=second)
    assert titles(client.get("/en/batik/?sort=popular"))[:2] == ["Second", "First"]
    toggle_favourite(user=buyer, product=second)
    toggle_favourite(user=other, product=second)
    cache.clear()
    assert titles(client.get("/en/batik/?sort=popular"))[:2] == ["First", "Second"]
    Favourite.objects.create(user=other, product=second)
    Favourite.objects.create(user=make_user(), product=second)
    recount_favourites()
    cache.clear()
    assert titles(client.get("/en/batik/?sort=popular"))[:2] == ["Second", "First"]


def test_pagination_keeps_filters_and_per_page(client):
    for number in range(30):
        make_product(title=f"Paku {number}", motif="paku")
    make_product(title="Sawit", motif="sawit")

    first = client.get("/en/batik/?motif=paku")
    html = first.content.decode()
    assert len(titles(first)) == 24
    assert 'href="?motif=paku&amp;page=2"' in html

    second = client.get("/en/batik/?motif=paku&page=2")
    assert len(titles(second)) == 6
    assert "Sawit" not in titles(second)

    everything = client.get("/en/batik/?motif=paku&per_page=96")
    assert len(titles(everything)) == 30
    # An unknown page size falls back to the default.
    assert len(titles(client.get("/en/batik/?motif=paku&per_page=1000"))) == 24


def test_filter_form_and_chips_show_the_state(client):
    make_product(motif="paku")
    html = client.get("/en/batik/?motif=paku&verified=1&price_max=500000").content.decode()
    assert 'name="motif" value="paku" checked' in html
    assert 'name="verified" value="1" checked' in html
    assert 'value="500000"' in html
    # Each chip removes only its own filter.
    assert 'href="/en/batik/?motif=paku&amp;price_max=500000"' in html
    assert 'href="/en/batik/?price_max=500000&amp;verified=1"' in html
    assert '<details id="filters" class="filter-drawer" data-open-wide>' in html


def test_unpublished_products_and_unapproved_shops_are_not_listed(client):
    make_product(title="Public")
    make_product(title="Draft", status="draft")
    make_product(title="Archived", status="archived")
    make_product(title="Pending shop", shop=make_shop(status="pending"))
    make_product(title="Suspended shop", shop=make_shop(status="suspended"))
    assert set(titles(client.get("/en/batik/"))) == {"Public"}
    home = client.get("/en/").content.decode()
    assert "Public" in home
    assert not any(hidden in home for hidden in ("Draft", "Archived", "Pending shop", "Suspended"))


def test_home_shows_featured_motifs_makers_and_followed_shops(client):
    from artisans.models import ShopFollow

    followed = make_shop(name="Batik Paku Sangatta")
    make_product(title="Featured piece", is_featured=True)
    make_product(title="From a followed shop", shop=followed)
    make_shop(name="Still pending", status="pending")
    buyer = make_user()
    ShopFollow.objects.create(user=buyer, shop=followed)

    html = client.get("/en/").content.decode()
    assert "Featured work" in html
    assert 'href="/en/batik/?motif=paku"' in html
    assert "Batik Paku Sangatta" in html
    assert "Still pending" not in html
    assert "New from shops you follow" not in html

    client.force_login(buyer)
    html = client.get("/en/").content.decode()
    assert "New from shops you follow" in html


def test_home_lists_a_few_makers_per_district_and_links_to_the_rest(client, monkeypatch):
    # given more makers in one district than the home page lists (the cap made small)
    monkeypatch.setattr("catalog.selectors.HOME_MAKERS_PER_DISTRICT", 2)
    make_shop(name="Batik Cempaka")
    make_shop(name="Batik Anggrek", is_verified=True)
    make_shop(name="Batik Bakung")
    make_shop(name="Batik Dahlia", district=District.BENGALON)

    html = client.get("/en/").content.decode()

    # the verified maker first, then by name; the district's others a link away
    assert "Batik Anggrek" in html and "Batik Bakung" in html
    assert "Batik Cempaka" not in html
    assert 'href="/en/batik/?district=sangatta-utara"' in html
    assert "See batik from all 3 makers" in html
    # a district within the cap lists everybody, with no link to more
    assert "Batik Dahlia" in html
    assert 'href="/en/batik/?district=bengalon"' not in html


def test_empty_results_suggest_motifs_and_makers(client):
    make_product(motif="paku", shop=make_shop(name="Rumah Batik Telapak"))
    html = client.get("/en/batik/?q=qqqqqqqq").content.decode()
    assert "No batik found for “qqqqqqqq”" in html
    assert 'href="/en/batik/?motif=paku"' in html
    assert "Rumah Batik Telapak" in html


def test_cards_escape_what_artisans_type(client):
    shop = make_shop(name='Batik "Sisik" & <Naga>')
    product = make_product(shop=shop, title="Kain <b>Paku</b> 'Tua'")
    add_image(product)
    html = client.get("/batik/").content.decode()
    assert "<b>Paku</b>" not in html
    assert "<h3>Kain &lt;b&gt;Paku&lt;/b&gt; &#x27;Tua&#x27;</h3>" in html
    assert "Batik &quot;Sisik&quot; &amp; &lt;Naga&gt; ·" in html
    assert 'alt="Kain &lt;b&gt;Paku&lt;/b&gt; &#x27;Tua&#x27;"' in html


def test_a_list_goes_only_so_deep_and_says_how_to_see_the_rest(client, monkeypatch):
    # given more batik than a list shows (the depth made small for the test)
    monkeypatch.setattr("catalog.browse.BROWSE_DEPTH", 30)
    for number in range(35):
        make_product(title=f"Kain {number}")

    # when the buyer pages to the end, or follows an old link past it
    first = client.get("/en/batik/").content.decode()
    last = client.get("/en/batik/?page=2")
    past = client.get("/en/batik/?page=40")

    # then the count says there are more, the last page holds the rest up to the depth,
    # and it tells the buyer to narrow the list
    assert "30+ batik" in first
    assert len(titles(last)) == 6
    assert "Only the first 30 batik of this list are shown" in last.content.decode()
    assert 'href="#filters"' in last.content.decode()
    assert titles(past) == titles(last)
    assert "Only the first" not in first


def test_a_narrow_filter_counts_every_match(client, monkeypatch):
    monkeypatch.setattr("catalog.browse.BROWSE_DEPTH", 30)
    for number in range(35):
        make_product(title=f"Kain {number}", motif="paku" if number < 5 else "sawit")
    html = client.get("/en/batik/?motif=paku").content.decode()
    assert "5 batik" in html
    assert "Only the first" not in html


@pytest.mark.parametrize(
    "address",
    ["/en/batik/?motif=tidak-ada&page=3", "/en/batik/?q=tidakadasamasekali&page=3"],
)
def test_a_stale_link_past_the_end_of_an_empty_list_shows_the_empty_first_page(client, address):
    make_product(title="Kain Paku")
    page = client.get(address)
    assert page.status_code == 200
    html = page.content.decode()
    assert "0 batik" in html and 'rel="prev"' not in html


def test_a_shops_search_past_the_end_shows_its_empty_first_page(client):
    product = make_product(title="Kain Paku")
    page = client.get(f"/en/toko/{product.shop.slug}/?q=pakku&page=3")  # corrected words
    assert page.status_code == 200
    assert 'rel="prev"' not in page.content.decode()
