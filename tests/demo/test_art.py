"""The demo's drawn garments read as what they are: a shirt's outline, a folded cloth, a shawl."""

import pytest
from PIL import Image, ImageChops

from demo.art import scenes
from demo.art.cloth import PALETTES

SIZE = 320


def _cloth_mask(photo: Image.Image) -> Image.Image:
    """Where the photo is not the pale studio ground (the cloth is dyed dark)."""
    return photo.convert("L").point(lambda value: 255 if value < 170 else 0)


def _span(mask: Image.Image, *, row: float) -> int:
    """How wide the cloth is across one row (fraction of the height), in pixels."""
    y = round(row * (mask.height - 1))
    line = mask.crop((0, y, mask.width, y + 1))
    box = line.getbbox()
    return 0 if box is None else box[2] - box[0]


def _photo(garment: str, motif: str = "paku") -> Image.Image:
    return scenes.product_photo(motif, garment, palette=PALETTES[1], seed=3, size=SIZE)


def test_a_kemeja_has_sleeves_wider_than_its_body_and_a_collar_above():
    mask = _cloth_mask(_photo("kemeja"))
    sleeves, body, collar = _span(mask, row=0.32), _span(mask, row=0.7), _span(mask, row=0.14)
    assert sleeves > body * 1.4
    assert 0 < collar < body * 0.6


def test_a_kain_lies_folded_wider_than_tall():
    left, top, right, bottom = _cloth_mask(_photo("kain")).getbbox()
    assert right - left > (bottom - top) * 1.2


def test_a_selendang_hangs_long_and_narrow_below_its_rod():
    mask = _cloth_mask(_photo("selendang"))
    left, top, right, bottom = mask.getbbox()
    cloth_width = _span(mask, row=0.6)
    assert bottom - top > cloth_width * 1.8
    assert _span(mask, row=top / SIZE + 0.005) > cloth_width  # the rod reaches past the cloth


@pytest.mark.parametrize("garment", ["kemeja", "kain", "selendang"])
def test_each_garment_sits_on_the_ground_with_room_around_it(garment):
    photo = _photo(garment)
    corners = [
        photo.getpixel(xy) for xy in ((2, 2), (SIZE - 3, 2), (2, SIZE - 3), (SIZE - 3, SIZE - 3))
    ]
    assert all(sum(pixel) / 3 > 150 for pixel in corners)


def test_each_motif_and_colour_draws_a_different_picture():
    one = scenes.product_photo("paku", "kemeja", palette=PALETTES[0], seed=1, size=SIZE)
    other_motif = scenes.product_photo("sawit", "kemeja", palette=PALETTES[0], seed=1, size=SIZE)
    other_colour = scenes.product_photo("paku", "kemeja", palette=PALETTES[2], seed=1, size=SIZE)
    assert ImageChops.difference(one, other_motif).getbbox()
    assert ImageChops.difference(one, other_colour).getbbox()
    assert (
        ImageChops.difference(
            one, scenes.product_photo("paku", "kemeja", palette=PALETTES[0], seed=1, size=SIZE)
        ).getbbox()
        is None
    )
