"""Pictures the demo shop shows: product photos, the home page's hero, shop banners and avatars.

Each is a garment (or cloth) from `garments` and `cloth` set on a studio ground with soft light,
returned as an RGB image; `jpeg` encodes one for the upload pipeline.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from .cloth import PALETTES, draw_batik, medallion, mix, rgb
from .garments import GARMENTS

Palette = tuple[str, str, str]
# The cloth's own palette for a colour name's hex (the demo colours are the palettes' grounds).
_PALETTE_BY_GROUND = {palette[0]: palette for palette in PALETTES}


def palette_for(hex_colour: str, *, fallback: int = 0) -> Palette:
    """The palette whose ground is this colour, so a "Biru indigo" batik is drawn indigo."""
    return _PALETTE_BY_GROUND.get(hex_colour.lower(), PALETTES[fallback % len(PALETTES)])


def studio(width: int, height: int, *, tone: str = "#efe7db", seed: int = 0) -> Image.Image:
    """A warm paper-white ground lit from the top left, with a little grain (a fresh copy)."""
    return _studio(width, height, tone, seed % 3).copy()


@functools.lru_cache(maxsize=8)
def _studio(width: int, height: int, tone: str, grain_level: int) -> Image.Image:
    base = rgb(tone)
    small = Image.new("RGB", (16, 16), base)
    draw = ImageDraw.Draw(small)
    for y in range(16):
        for x in range(16):
            # Light falls from the top left; the far corner is a little darker.
            fall = (x + y * 1.3) / 35
            draw.point((x, y), fill=mix(base, mix(base, (120, 96, 70), 0.35), fall))
    ground = small.resize((width, height), Image.Resampling.BICUBIC)
    grain = Image.effect_noise((width, height), 6 + grain_level).convert("RGB")
    return ImageChops.overlay(ground, grain.point(lambda value: 128 + (value - 128) // 2))


def product_photo(
    motif: str, garment: str, *, palette: Palette, seed: int = 0, size: int = 640
) -> Image.Image:
    """A garment of this motif on the studio ground: the first photo of a listing."""
    draw = GARMENTS.get(garment, GARMENTS["kain"])
    picture = studio(size, size, seed=seed).convert("RGBA")
    picture.alpha_composite(draw(motif, size=size, palette=palette, seed=seed))
    return picture.convert("RGB")


def detail_photo(motif: str, *, palette: Palette, seed: int = 0, size: int = 640) -> Image.Image:
    """A close look at the cloth and its pinggiran, in soft light: a listing's second photo."""
    cloth = draw_batik(
        motif,
        width=size,
        height=size,
        palette=palette,
        seed=seed,
        cell=size // 3,
        borders=("bottom",),
    )
    light = Image.new("L", (8, 8), 255)
    ImageDraw.Draw(light).rectangle((5, 0, 8, 8), fill=215)
    light = light.resize((size, size), Image.Resampling.BICUBIC).filter(
        ImageFilter.GaussianBlur(size / 10)
    )
    return ImageChops.multiply(cloth, Image.merge("RGB", (light, light, light)))


def scene(
    pieces: Sequence[tuple[str, str, Palette, float, float, float]],
    *,
    width: int,
    height: int,
    seed: int = 0,
) -> Image.Image:
    """Garments laid out together: (garment, motif, palette, x, y, size) as fractions of height."""
    picture = studio(width, height, seed=seed).convert("RGBA")
    for index, (garment, motif, palette, x, y, size) in enumerate(pieces):
        side = round(size * height)
        layer = GARMENTS[garment](motif, size=side, palette=palette, seed=seed + index)
        left, top = round(x * height), round(y * height)
        # A piece may hang over the picture's edge: only its part inside is laid.
        inside = layer.crop((max(0, -left), max(0, -top), side, side))
        picture.alpha_composite(inside, dest=(max(0, left), max(0, top)))
    return picture.convert("RGB")


def hero(motifs: Sequence[str], *, width: int = 1200, height: int = 600) -> Image.Image:
    """The home page's picture: a kemeja, a selendang and folded kain of the makers' motifs."""
    first, second, third, fourth = (motifs[i % len(motifs)] for i in range(4))
    return scene(
        [
            ("selendang", second, PALETTES[1], 0.62, -0.03, 1.0),
            ("kemeja", first, PALETTES[0], -0.04, 0.02, 1.0),
            ("kain", third, PALETTES[2], 1.1, 0.06, 0.86),
            ("kain", fourth, PALETTES[3], 1.0, 0.36, 0.74),
        ],
        width=width,
        height=height,
    )


def uniforms(motifs: Sequence[str], *, width: int = 1200, height: int = 600) -> Image.Image:
    """Kemeja side by side in several motifs and colours, as a regency office would order them."""
    # Three shirts of 0.86 of the height, each drawn 0.12 inside its layer, evenly spaced.
    return scene(
        [
            (
                "kemeja",
                motifs[i % len(motifs)],
                PALETTES[(i * 2 + 1) % len(PALETTES)],
                i * 0.666 - 0.087,
                0.06,
                0.86,
            )
            for i in range(3)
        ],
        width=width,
        height=height,
    )


def banner(
    motif: str, *, palette: Palette, seed: int = 0, width: int = 1500, height: int = 500
) -> Image.Image:
    """A shop's banner: its motif's cloth spread wide, a folded kain and a kemeja on the right."""
    cloth = draw_batik(
        motif, width=width, height=height, palette=palette, seed=seed, cell=height // 3
    )
    light = Image.new("L", (12, 4), 255)
    # Darker at the bottom left, where the shop's name and photo sit over the banner.
    ImageDraw.Draw(light).rectangle((0, 2, 6, 4), fill=150)
    light = light.resize((width, height), Image.Resampling.BICUBIC).filter(
        ImageFilter.GaussianBlur(height / 6)
    )
    picture = ImageChops.multiply(cloth, Image.merge("RGB", (light, light, light))).convert("RGBA")
    # Kept to the middle band: pages crop a wide banner's top and bottom on large screens.
    side = round(height * 0.84)
    top = (height - side) // 2
    # The garments in other colourways of the motif, so they stand out from the cloth behind.
    index = PALETTES.index(palette) if palette in PALETTES else 0
    kain = GARMENTS["kain"](motif, size=side, palette=PALETTES[(index + 3) % 6], seed=seed + 1)
    picture.alpha_composite(kain, dest=(width - round(side * 1.85), top + side // 10))
    kemeja = GARMENTS["kemeja"](motif, size=side, palette=PALETTES[(index + 1) % 6], seed=seed)
    picture.alpha_composite(kemeja, dest=(width - round(side * 1.05), top))
    return picture.convert("RGB")


def avatar(motif: str, *, palette: Palette, seed: int = 0, size: int = 400) -> Image.Image:
    """A shop's profile picture: its motif as a stamp in a ring."""
    return medallion(motif, size=size, palette=palette, seed=seed)


def motif_picture(
    motif: str, *, palette: Palette, width: int = 640, height: int = 320
) -> Image.Image:
    """A motif's card picture: its stamp over a strip of its cloth, wide like the card."""
    picture = draw_batik(motif, width=width, height=height, palette=palette, cell=height // 2)
    shade = Image.new("RGB", picture.size, (170, 160, 150))
    picture = ImageChops.multiply(picture, shade)
    side = round(height * 0.86)
    stamp = medallion(motif, size=side, palette=palette)
    ring = Image.new("L", (side * 3, side * 3), 0)
    ImageDraw.Draw(ring).ellipse((0, 0, side * 3 - 1, side * 3 - 1), fill=255)
    picture.paste(
        stamp,
        ((width - side) // 2, (height - side) // 2),
        ring.resize((side, side), Image.Resampling.BOX),
    )
    return picture


def jpeg(image: Image.Image, *, quality: int = 92) -> bytes:
    """The picture as a JPEG file's bytes, as a camera would hand it to the upload form."""
    output = io.BytesIO()
    image.convert("RGB").save(output, format="JPEG", quality=quality)
    return output.getvalue()
