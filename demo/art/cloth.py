"""Batik cloth drawn from a motif: a seamless half-drop field with isen-isen, and the pinggiran.

`draw_batik` gives a flat piece of cloth (with or without its border band), `medallion` a single
motif in a ring, as on a maker's stamp; both deterministic for a motif, palette and seed.
"""

from __future__ import annotations

import functools
import math
import random

from PIL import Image, ImageDraw

from .motifs import MOTIF_SLUGS, MOTIFS, Colours, Prim, filler, render

# (background, motif, accent): soga brown, indigo, maroon, and bright Kalimantan colourways.
# Their order follows the demo colours (cokelat soga, biru indigo, merah marun, hijau, ungu,
# oranye), so a product's colour picks its palette.
PALETTES: tuple[tuple[str, str, str], ...] = (
    ("#5a3519", "#c98f45", "#f4e4c1"),
    ("#1c2a4a", "#5d86c4", "#f1e8d2"),
    ("#6a1a1f", "#d9a03f", "#f7e7c6"),
    ("#0d5c4a", "#f2b134", "#fff3d6"),
    ("#4b2477", "#f0803c", "#fde9c9"),
    ("#8a2b12", "#f2c14e", "#1f1a17"),
)

# Supersampling factor: tiles are drawn larger then downscaled, which gives smooth wax-like edges.
_SS = 2


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """Parse a '#rrggbb' string into an RGB tuple."""
    value = hex_colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"invalid hex colour: {hex_colour!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    """Blend two RGB colours linearly, t=0 gives a and t=1 gives b."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def colours_for(palette: tuple[str, str, str]) -> Colours:
    """The named colours a drawing uses, derived from a palette's three dyes."""
    bg, fg, accent = (rgb(c) for c in palette)
    return {
        "bg": bg,
        "motif": fg,
        "accent": accent,
        "mid": mix(fg, bg, 0.45),
        "soft": mix(bg, accent, 0.4),
        "crackle": mix(bg, accent, 0.18),
        "deep": mix(bg, (0, 0, 0), 0.35),
        "fruit": mix(fg, (170, 30, 20), 0.45),
    }


def _field_unit(prims: list[Prim], cell: int, colours: Colours, rng: random.Random) -> Image.Image:
    """Draw one seamless half-drop repeat unit (two cells wide, one cell tall)."""
    big = cell * _SS
    uw, uh = 2 * big, big
    unit = Image.new("RGB", (uw, uh), colours["bg"])
    draw = ImageDraw.Draw(unit)
    shifts = [(dx, dy) for dx in (-uw, 0, uw) for dy in (-uh, 0, uh)]
    # Remukan: faint crackle veins where the wax broke and dye seeped in, wrapped to stay seamless.
    for _ in range(6):
        x, y = rng.uniform(0, uw), rng.uniform(0, uh)
        pts = [(x, y)]
        for _ in range(5):
            x += rng.uniform(-0.12, 0.12) * big
            y += rng.uniform(-0.12, 0.12) * big
            pts.append((x, y))
        for dx, dy in shifts:
            draw.line([(px + dx, py + dy) for px, py in pts], fill=colours["crackle"], width=1)
    # Isen-isen cecek: a staggered dot grid filling the ground between motifs.
    step = big / 8
    r = max(1.0, big * 0.008)
    for j in range(8):
        for i in range(-1, 17):
            cx = (i + 0.5 + 0.5 * (j % 2)) * step
            cy = (j + 0.5) * step
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colours["soft"])
    scale = big * 0.96
    fill = filler()
    # Half-drop: the second column is shifted by half a cell (and mirrored), so it wraps vertically.
    placements = [
        (big * 0.5, big * 0.5, prims, False),
        (big * 1.5, 0.0, prims, True),
        (0.0, big * 0.25, fill, False),
        (big * 1.0, big * 0.75, fill, False),
    ]
    reach = 0.6 * scale
    for cx, cy, items, mirror in placements:
        for dx, dy in shifts:
            x, y = cx + dx, cy + dy
            # Only copies that can touch the unit are drawn; the rest would be clipped anyway.
            if -reach < x < uw + reach and -reach < y < uh + reach:
                render(draw, items, (x, y), scale, colours, mirror)
    # Pad with wrapped copies before downscaling so the filter sees neighbours, not hard edges.
    pad = 4 * _SS
    padded = Image.new("RGB", (uw + 2 * pad, uh + 2 * pad))
    for dx, dy in shifts:
        padded.paste(unit, (pad + dx, pad + dy))
    small = padded.resize((2 * cell + 8, cell + 8), Image.Resampling.LANCZOS)
    return small.crop((4, 4, 4 + 2 * cell, 4 + cell))


def _border_unit(band: int, colours: Colours) -> Image.Image:
    """Draw one repeat of the pinggiran band: stripes framing a row of tumpal triangles."""
    big = band * _SS
    w, h = big, big
    unit = Image.new("RGB", (w, h), colours["deep"])
    draw = ImageDraw.Draw(unit)
    stripe = h * 0.07
    # Thin wax-line stripes on both edges of the band, like a printed selvedge.
    for y0 in (0.0, h - stripe):
        draw.rectangle((0, y0, w, y0 + stripe), fill=colours["motif"])
    for y0 in (stripe * 1.4, h - stripe * 1.8):
        draw.rectangle((0, y0, w, y0 + stripe * 0.4), fill=colours["accent"])
    top, bottom = stripe * 2.3, h - stripe * 2.3
    # Tumpal (bamboo-shoot triangle) is the classic batik border ornament.
    tri = [(w * 0.08, bottom), (w * 0.5, top), (w * 0.92, bottom)]
    draw.polygon(tri, fill=colours["accent"])
    inner = [
        (w * 0.18, bottom - stripe * 0.5),
        (w * 0.5, top + stripe * 1.3),
        (w * 0.82, bottom - stripe * 0.5),
    ]
    draw.polygon(inner, fill=colours["motif"])
    core = [
        (w * 0.36, bottom - stripe * 1.0),
        (w * 0.5, top + stripe * 4.5),
        (w * 0.64, bottom - stripe * 1.0),
    ]
    draw.polygon(core, fill=colours["accent"])
    r = h * 0.035
    for cx, cy in (
        (0.0, top + stripe * 1.5),
        (w, top + stripe * 1.5),
        (0.0, bottom - stripe * 1.2),
        (w, bottom - stripe * 1.2),
    ):
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colours["accent"])
    rr = r * 0.7
    draw.ellipse(
        (w * 0.5 - rr, bottom - stripe - rr * 2.8, w * 0.5 + rr, bottom - stripe - rr * 0.8),
        fill=colours["deep"],
    )
    return unit.resize((band, band), Image.Resampling.LANCZOS)


def draw_batik(
    motif: str,
    *,
    width: int = 800,
    height: int = 800,
    palette: tuple[str, str, str] | None = None,
    seed: int = 0,
    cell: int | None = None,
    borders: tuple[str, ...] = ("top", "bottom"),
) -> Image.Image:
    """Render a deterministic batik cloth of the given motif as an RGB Pillow image.

    `cell` is the motif's repeat in pixels (a quarter of the short side by default); `borders`
    names the edges that carry the pinggiran band ("top", "bottom"), none for a cut piece.
    """
    if motif not in MOTIFS:
        raise ValueError(f"unknown motif {motif!r}; expected one of {', '.join(MOTIF_SLUGS)}")
    if width < 16 or height < 16:
        raise ValueError("width and height must be at least 16 pixels")
    if palette is None:
        palette = PALETTES[seed % len(PALETTES)]
    short = min(width, height)
    cell = cell or max(8, round(short / 4))
    unit = repeat_unit(motif, palette=palette, seed=seed, cell=cell)
    # A seed-dependent phase keeps several images of one motif from looking identical.
    phase = random.Random(f"{motif}:{seed}:phase")
    image = tiled(unit, width, height, origin=(phase.randrange(2 * cell), phase.randrange(cell)))
    band = max(6, round(min(short, 8 * cell) * 0.09))
    border = border_unit(palette, band)
    flipped = border.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    # The pinggiran runs along the selvedges, mirrored at the top so the tumpal point inward.
    offset = -(width % band) // 2
    for x in range(offset, width, band):
        if "top" in borders:
            image.paste(flipped, (x, 0))
        if "bottom" in borders:
            image.paste(border, (x, height - band))
    return image


@functools.lru_cache(maxsize=64)
def repeat_unit(motif: str, *, palette: tuple[str, str, str], seed: int, cell: int) -> Image.Image:
    """One seamless repeat of the cloth (two cells wide, one tall); shared, so never drawn on."""
    if motif not in MOTIFS:
        raise ValueError(f"unknown motif {motif!r}; expected one of {', '.join(MOTIF_SLUGS)}")
    rng = random.Random(f"{motif}:{seed}")
    return _field_unit(MOTIFS[motif](rng), cell, colours_for(palette), rng)


def tiled(
    unit: Image.Image, width: int, height: int, *, origin: tuple[int, int] = (0, 0)
) -> Image.Image:
    """The repeat laid edge to edge over width x height, shifted so `origin` starts a repeat."""
    image = Image.new("RGB", (width, height))
    ox = -(origin[0] % unit.width)
    oy = -(origin[1] % unit.height)
    for y in range(oy, height, unit.height):
        for x in range(ox, width, unit.width):
            image.paste(unit, (x, y))
    return image


def border_unit(palette: tuple[str, str, str], band: int) -> Image.Image:
    """One square repeat of the pinggiran band, its tumpal pointing up."""
    return _border_unit(band, colours_for(palette))


def medallion(
    motif: str, *, size: int, palette: tuple[str, str, str], seed: int = 0
) -> Image.Image:
    """One motif large in a dotted ring on its ground, as on a maker's stamp (RGB, square)."""
    if motif not in MOTIFS:
        raise ValueError(f"unknown motif {motif!r}; expected one of {', '.join(MOTIF_SLUGS)}")
    colours = colours_for(palette)
    big = size * _SS
    image = Image.new("RGB", (big, big), colours["bg"])
    draw = ImageDraw.Draw(image)
    centre = big / 2
    # Cecek dots on the ground, then a ring of the accent colour framing the motif.
    step = big / 14
    for j in range(15):
        for i in range(15):
            x, y = (i + 0.5 * (j % 2)) * step, j * step
            draw.ellipse(
                (x - big * 0.006, y - big * 0.006, x + big * 0.006, y + big * 0.006),
                fill=colours["soft"],
            )
    ring = big * 0.47
    draw.ellipse((centre - ring, centre - ring, centre + ring, centre + ring), fill=colours["deep"])
    inner = big * 0.43
    draw.ellipse(
        (centre - inner, centre - inner, centre + inner, centre + inner), fill=colours["bg"]
    )
    for k in range(36):
        angle = k * 6.283185307 / 36
        x, y = centre + big * 0.45 * math.cos(angle), centre + big * 0.45 * math.sin(angle)
        r = big * 0.011
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colours["accent"])
    render(
        draw, MOTIFS[motif](random.Random(f"{motif}:{seed}")), (centre, centre), big * 0.78, colours
    )
    return image.resize((size, size), Image.Resampling.LANCZOS)
