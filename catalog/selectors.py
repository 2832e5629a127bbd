"""Reads for the public catalog that span shops and collections: makers, collections.

Browsing (the URL's filters, sorting, pages) lives in `catalog.browse`, search in
`catalog.search`, the taxonomy facets in `catalog.facets`.
"""

from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber

from artisans.models import Shop

from .models import Collection, CollectionItem, Product

# Makers the home page lists per district, verified first; the district's batik list shows all.
HOME_MAKERS_PER_DISTRICT = 6


def makers_by_district():
    """The first approved shops of each district (verified, then by name), for the home page.

    Each carries `district_makers`, how many approved shops the district has, so that the page
    stays the same size however many makers join.
    """
    in_district = {"partition_by": F("district"), "order_by": (F("is_verified").desc(), "name")}
    return (
        Shop.objects.approved()
        .only("name", "slug", "district", "is_verified", "photo")
        .annotate(
            place=Window(RowNumber(), **in_district),
            district_makers=Window(Count("pk"), partition_by=F("district")),
        )
        .filter(place__lte=HOME_MAKERS_PER_DISTRICT)
        .order_by("district", "place")
    )


def collections_with_products(
    *, per_collection: int | None = None, collection: Collection | None = None
) -> list[Collection]:
    """Published collections (or just `collection`) with their public products, in ONE query.

    Each collection gets `cards`: products with_card_data(), in the curated order.
    Without `collection`, the collections are read from the same rows, so those left with no
    public product do not appear.
    """
    position = CollectionItem.objects.filter(
        collection=OuterRef("in_collection"), product=OuterRef("pk")
    ).values("position")[:1]
    in_collections = (
        {"collections": collection}
        if collection is not None
        else {"collections__is_published": True}
    )
    products = (
        Product.objects.published()
        .with_card_data()
        .filter(**in_collections)
        .annotate(
            in_collection=F("collections"),
            collection_title=F("collections__title"),
            collection_title_en=F("collections__title_en"),
            collection_slug=F("collections__slug"),
            collection_description=F("collections__description"),
            collection_description_en=F("collections__description_en"),
            collection_image=F("collections__image"),
            collection_position=F("collections__position"),
            item_position=Subquery(position),
        )
        .order_by("collection_position", "collection_title", "in_collection", "item_position", "pk")
    )
    collections: dict[int, Collection] = {}
    if collection is not None:
        collection.cards = []
        collections[collection.pk] = collection
    for product in products:
        found = collections.get(product.in_collection)
        if found is None:
            found = Collection(
                pk=product.in_collection,
                title=product.collection_title,
                title_en=product.collection_title_en,
                slug=product.collection_slug,
                description=product.collection_description,
                description_en=product.collection_description_en,
                image=product.collection_image,
                position=product.collection_position,
            )
            found.cards = []
            collections[found.pk] = found
        if per_collection is None or len(found.cards) < per_collection:
            found.cards.append(product)
    return list(collections.values())
