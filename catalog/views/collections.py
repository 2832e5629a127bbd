"""A collection curated by the cooperative."""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from .. import cache as catalog_cache
from .. import selectors
from ..models import Collection
from .browse import first_photo
from .pagecache import cached_for_visitors


@cached_for_visitors
def collection_detail(request, slug: str):
    """A collection curated by the cooperative, its batik in the curated order."""
    collection = get_object_or_404(Collection.objects.published(), slug=slug)
    selectors.collections_with_products(collection=collection)
    context = {
        "collection": collection,
        "products": collection.cards,
        "share_image": collection.image.url if collection.image else first_photo(collection.cards),
        **catalog_cache.fragment_context(),
    }
    return TemplateResponse(request, "catalog/collection_detail.html", context)
