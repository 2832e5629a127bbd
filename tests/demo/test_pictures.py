"""The demo looks like a real shop: each batik drawn in its colour, shops with their own pictures."""

import io

import pytest
from django.core.management import call_command
from PIL import Image

from artisans.models import Shop
from catalog.models import Collection, Colour, Motif, Product

pytestmark = pytest.mark.django_db


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _distance(a, b) -> int:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True))


def _colour_seen(picture: Image.Image, colours: dict[str, tuple[int, int, int]]) -> str:
    """The demo colour nearest to one of the main colours in the middle of the picture."""
    width, height = picture.size
    middle = picture.convert("RGB").crop(
        (width * 3 // 10, height * 35 // 100, width * 7 // 10, height * 65 // 100)
    )
    reduced = middle.quantize(8)
    palette = reduced.getpalette()
    main = [
        tuple(palette[i * 3 : i * 3 + 3]) for _, i in sorted(reduced.getcolors(), reverse=True)[:4]
    ]
    return min((_distance(colours[slug], seen), slug) for slug in colours for seen in main)[1]


def _open(field) -> Image.Image:
    with field.open("rb") as handle:
        picture = Image.open(handle)
        picture.load()
    return picture


def test_the_demo_draws_each_batik_in_its_colour_and_gives_shops_their_own_pictures(client):
    # given a fresh demo
    call_command("seed_demo", stdout=io.StringIO())
    colours = {colour.slug: _rgb(colour.hex) for colour in Colour.objects.all()}

    # then each listing's first photo shows the colour its title names ("... Biru indigo" is blue)
    for product in Product.objects.prefetch_related("images", "colours"):
        first = min(product.images.all(), key=lambda image: image.position)
        assert _colour_seen(_open(first.image), colours) == product.colours.get().slug, (
            product.title
        )

    # and every shop has a round photo and a wide banner, re-encoded without camera data
    shops = list(Shop.objects.all())
    for shop in shops:
        photo, banner = _open(shop.photo), _open(shop.banner)
        assert photo.format == banner.format == "JPEG"
        assert photo.width == photo.height
        assert banner.width >= banner.height * 2.5
        assert not banner.getexif()
    assert len({shop.photo.name for shop in shops}) == len(shops)

    # and the motifs' cards and the collections have pictures; the first heads the home page
    assert not Motif.objects.filter(image="").exists()
    assert not Collection.objects.filter(image="").exists()
    hero = Collection.objects.order_by("position").first()
    assert f'src="{hero.image.url}"' in client.get("/").content.decode()

    # when the demo is seeded again, nothing is drawn again
    before = {shop.pk: (shop.photo.name, shop.banner.name) for shop in shops}
    call_command("seed_demo", stdout=io.StringIO())
    assert {shop.pk: (shop.photo.name, shop.banner.name) for shop in Shop.objects.all()} == before
    assert Collection.objects.get(pk=hero.pk).image.name == hero.image.name
