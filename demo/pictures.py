"""The demo's pictures, drawn by `demo.art` and stored through the upload pipeline like a maker's.

Product photos go through `catalog.services.add_product_images`; shop photos and banners,
motif and collection pictures through `core.images` (checked, re-encoded, shrunk to the size
the upload forms allow). Each is drawn once: what already has a picture is left alone.
"""

from collections.abc import Iterable

from django.core.files.base import ContentFile

from artisans.forms import BANNER_MAX_SIDE, PHOTO_MAX_SIDE
from artisans.models import Shop
from catalog.models import Collection, Motif
from catalog.services import save_collection, save_taxon
from core.images import fit_within, validate_and_reencode

from .art import scenes
from .art.cloth import PALETTES

# The collection whose picture heads the home page comes first; the uniforms' second.
COLLECTION_PICTURES = {
    "motif-paku": lambda: scenes.hero(["paku"] * 4, width=960, height=480),
    "seragam-kantor": lambda: scenes.uniforms(
        ["paku", "telapak-tangan", "daun-singkong"], width=960, height=480
    ),
}


def product_photos(
    *, motif: str, product_type: str, colour_hex: str, seed: int, name: str
) -> list[ContentFile]:
    """A listing's two photos: the garment of its type and colour, then a close look at the cloth."""
    palette = scenes.palette_for(colour_hex, fallback=seed)
    photos = (
        scenes.product_photo(motif, product_type, palette=palette, seed=seed),
        scenes.detail_photo(motif, palette=palette, seed=seed + 1),
    )
    return [
        ContentFile(scenes.jpeg(photo), name=f"{name}-{position}.jpg")
        for position, photo in enumerate(photos)
    ]


def _upload(image, *, name: str, max_side: int) -> ContentFile:
    """A drawn picture as the upload forms would store it: checked, re-encoded, shrunk."""
    return fit_within(
        validate_and_reencode(ContentFile(scenes.jpeg(image), name=f"{name}.jpg")),
        max_side=max_side,
    )


def shop_pictures(*, shop: Shop, motifs: Iterable[str], index: int) -> None:
    """A shop's profile photo and banner from its first motif, in a colourway of its own."""
    if shop.photo and shop.banner:
        return
    motif = next(iter(motifs))
    palette = PALETTES[index % len(PALETTES)]
    if not shop.photo:
        picture = scenes.avatar(motif, palette=palette, seed=index)
        shop.photo = _upload(picture, name=f"{shop.slug}-photo", max_side=PHOTO_MAX_SIDE)
    if not shop.banner:
        picture = scenes.banner(motif, palette=palette, seed=index)
        shop.banner = _upload(picture, name=f"{shop.slug}-banner", max_side=BANNER_MAX_SIDE)
    shop.save(update_fields=["photo", "banner", "updated_at"])


def motif_pictures() -> None:
    """Each motif's stamp for its card on the home page."""
    for index, motif in enumerate(Motif.objects.filter(image="")):
        picture = scenes.motif_picture(motif.slug, palette=PALETTES[index % len(PALETTES)])
        motif.image = _upload(picture, name=motif.slug, max_side=PHOTO_MAX_SIDE)
        save_taxon(taxon=motif)


def collection_pictures() -> None:
    """The collections' pictures; the first collection's heads the home page."""
    for collection in Collection.objects.filter(slug__in=COLLECTION_PICTURES, image=""):
        picture = COLLECTION_PICTURES[collection.slug]()
        collection.image = _upload(picture, name=collection.slug, max_side=BANNER_MAX_SIDE)
        save_collection(collection=collection)
