"""The taxonomy a buyer filters by (motifs, techniques, fabrics, types, colours)."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import F, Value

from core.translated import pick

from . import cache as catalog_cache
from .browse import TAXON_FILTERS
from .models import Colour, Fabric, Motif, ProductType, Technique


@dataclass
class Facets:
    """The taxonomy, term dicts (id, slug, name, hex) by kind."""

    by_kind: dict[str, list[dict]]

    def name(self, kind: str, slug: str) -> str:
        for term in self.by_kind.get(kind, []):
            if term["slug"] == slug:
                return term["name"]
        return slug


def taxonomy_facets() -> Facets:
    """Every motif, technique, fabric, type and colour, in ONE query (a UNION ALL)."""
    parts = []
    for kind, model in (
        ("motif", Motif),
        ("technique", Technique),
        ("fabric", Fabric),
        ("type", ProductType),
        ("colour", Colour),
    ):
        colour_hex = F("hex") if model is Colour else Value("")
        parts.append(
            model.objects.order_by()
            .annotate(kind=Value(kind), colour_hex=colour_hex)
            .values_list("kind", "id", "slug", "name", "name_en", "position", "colour_hex")
        )
    union = parts[0].union(*parts[1:], all=True)
    by_kind: dict[str, list[dict]] = {kind: [] for kind in TAXON_FILTERS.values()}
    rows = sorted(union, key=lambda row: (row[0], row[5], row[3].lower()))
    for kind, pk, slug, name, name_en, _position, colour_hex in rows:
        by_kind[kind].append(
            {"id": pk, "slug": slug, "name": name, "name_en": name_en, "hex": colour_hex}
        )
    return Facets(by_kind=by_kind)


def _in_active_language(by_kind: dict[str, list[dict]]) -> Facets:
    """The terms with their names in the active language (the cache holds both languages)."""
    return Facets(
        by_kind={
            kind: [{**term, "name": pick(term, "name")} for term in terms]
            for kind, terms in by_kind.items()
        }
    )


def current_taxonomy_facets(version: int) -> Facets:
    """taxonomy_facets() of this catalog version, from the cache (taxonomy edits bump it)."""
    if not catalog_cache.is_enabled():
        return _in_active_language(taxonomy_facets().by_kind)
    key = catalog_cache.facets_key(version)
    by_kind = cache.get(key)
    if by_kind is None:
        by_kind = taxonomy_facets().by_kind
        cache.set(key, by_kind, catalog_cache.CACHE_SECONDS)
    return _in_active_language(by_kind)
