"""The cooperative's taxonomy (motifs, techniques, fabrics, types, colours) and collections."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from ..cache import bump_catalog_version
from ..models import Collection, Taxon
from .search_index import products_changed


def _product_ids(taxa: QuerySet) -> list[int]:
    return [pk for pk in taxa.values_list("products", flat=True) if pk is not None]


@transaction.atomic
def save_taxon(*, taxon: Taxon) -> Taxon:
    """Save a motif, technique, fabric, type or colour; its products' pages and search follow."""
    taxon.save()
    # A renamed motif or technique changes what search finds for its products.
    products_changed(product_ids=_product_ids(type(taxon).objects.filter(pk=taxon.pk)))
    return taxon


@transaction.atomic
def delete_taxa(*, taxa: QuerySet) -> int:
    """Delete taxonomy terms of one kind; returns how many (a term a listing needs is protected)."""
    product_ids = _product_ids(taxa)
    deleted = taxa.count()
    taxa.delete()
    products_changed(product_ids=product_ids)
    return deleted


@transaction.atomic
def save_collection(*, collection: Collection) -> Collection:
    """Save a curated collection; its page and the home page show it after the commit.

    Its items, saved in the same transaction, are covered by the same after-commit bump.
    """
    collection.save()
    transaction.on_commit(bump_catalog_version)
    return collection


@transaction.atomic
def delete_collections(*, collection_ids: Iterable[int]) -> int:
    """Delete curated collections (their items go with them); returns how many."""
    collections = Collection.objects.filter(pk__in=list(collection_ids))
    deleted = collections.count()
    collections.delete()
    transaction.on_commit(bump_catalog_version)
    return deleted
