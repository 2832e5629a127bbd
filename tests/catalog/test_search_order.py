"""Sorted search shows the true first rows of ALL matches, not a sorted sample of them."""

import itertools
import re
from datetime import timedelta

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db.models import (
    Case,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils import timezone

from catalog.models import Motif, Product, ProductType, Technique
from catalog.search import SEARCH_LIMIT, search_products
from catalog.services import rebuild_search_index
from tests.catalog.conftest import requires_postgres
from tests.factories import make_shop

pytestmark = pytest.mark.django_db

PRODUCTS = 10_000
PAGE = 24
# The order of each sort, spelt out on its own: what a buyer expects to see first.
ORDER_BY = {
    "newest": ("-created_at", "-pk"),
    "price-asc": ("price", "pk"),
    "price-desc": ("-price", "-pk"),
    "popular": ("-favourite_count", "-created_at", "-pk"),
}


def build_catalog() -> None:
    """10k listings: "batik" and "halus" in every description, "batik" in a third of the titles
    and "halus" in a few (so that few match by title), "sawit" in ~300 listings.

    Prices, saves and dates repeat, so that every tie-breaker has ties to break.
    """
    shops = [make_shop(name=f"Pembatik {n}") for n in range(5)]
    technique = Technique.objects.create(slug="cap", name="Cap")
    kind = ProductType.objects.create(slug="kain", name="Kain")
    paku = Motif.objects.create(slug="paku", name="Paku")
    sawit = Motif.objects.create(slug="sawit", name="Sawit")
    rows = []
    for i in range(PRODUCTS):
        title = f"Kain {'Batik ' if i % 3 == 0 else ''}{'Halus ' if i % 41 == 0 else ''}Nomor {i}"
        if i % 331 == 0:
            title += " Sawit"
        description = "kain tenun batik halus" + (" sawit" if i % 97 == 0 else "")
        rows.append(
            Product(
                shop=shops[i % 5], title=title, slug=f"kain-{i}", description=description,
                technique=technique, product_type=kind, price=100_000 + (i * 7919 % 40) * 25_000,
                status=Product.Status.ACTIVE, favourite_count=i * 31 % 9,
            )
        )  # fmt: skip
    products = Product.objects.bulk_create(rows, batch_size=1000)
    # Listed over ten hours, many in the same minute.
    minute = ExpressionWrapper(Value(timedelta(minutes=1)), output_field=DurationField())
    Product.objects.update(
        created_at=Value(timezone.now() - timedelta(days=30)) + F("pk") * 7333 % 600 * minute
    )
    Product.motifs.through.objects.bulk_create(
        Product.motifs.through(product_id=p.pk, motif_id=(sawit if i % 53 == 0 else paku).pk)
        for i, p in enumerate(products)
    )
    rebuild_search_index()


def every_match(word: str):
    """All published listings holding `word` anywhere, without a cap."""
    words = SearchQuery(f"{word}:*", search_type="raw", config="simple")
    return Product.objects.published().filter(search_vector=words)


def best_match_first(matches, word: str):
    """Title or motif matches first, then the others, each newest first."""
    motif = Product.motifs.through.objects.filter(
        product=OuterRef("pk"), motif__name__icontains=word
    )
    in_title_or_motif = Q(title__icontains=word) | Q(Exists(motif))
    tier = Case(When(in_title_or_motif, then=Value(1)), default=Value(0))
    return matches.annotate(tier=tier).order_by("-tier", "-created_at", "-pk")


def ids(queryset, start=0, stop=PAGE) -> list[int]:
    return list(queryset.values_list("pk", flat=True)[start:stop])


@requires_postgres
def test_each_sort_shows_the_first_of_all_matches():
    # given 10k listings, "batik" and "halus" in all of them and "sawit" in a few hundred
    build_catalog()
    words = ("sawit", "batik", "halus")
    for word, sort in itertools.product(words, ("relevance", *ORDER_BY)):
        matches = every_match(word)
        total = matches.count()
        assert (50 < total < SEARCH_LIMIT) if word == "sawit" else (total == PRODUCTS)

        # when the buyer searches with that sort
        result = search_products(Product.objects.published(), q=word, sort=sort)
        found = result.products

        # then the first page, and the last one the list reaches, are those of every match
        expected = (
            best_match_first(matches, word)
            if sort == "relevance"
            else matches.order_by(*ORDER_BY[sort])
        )
        listed = min(total, SEARCH_LIMIT)
        assert len(ids(found, 0, SEARCH_LIMIT)) == listed
        assert ids(found) == ids(expected), (word, sort)
        last_page = (listed - PAGE, listed)
        assert ids(found, *last_page) == ids(expected, *last_page), (word, sort)
        # a ranked search of a few hundred matches holds every id in order, and pages cut it
        if word == "sawit" and sort == "relevance":
            assert result.ordered_ids == ids(expected, 0, listed)


@requires_postgres
def test_a_ranked_searchs_pages_show_its_matches_in_order(client):
    build_catalog()
    expected = ids(best_match_first(every_match("sawit"), "sawit"), 0, 3 * PAGE)
    slugs = dict(Product.objects.filter(pk__in=expected).values_list("pk", "slug"))
    for number in (1, 3):
        html = client.get(f"/en/batik/?q=sawit&page={number}").content.decode()
        shown = re.findall(r'class="card-link" href="/en/batik/([-\w]+)/"', html)
        wanted = expected[(number - 1) * PAGE : number * PAGE]
        assert shown == [slugs[pk] for pk in wanted], number
