"""Garments cut from a batik cloth: a kemeja, a folded kain and a selendang draped over a rod.

Each garment is drawn on a transparent square layer (RGBA) with its own light, folds and the
shadow it casts, so a product photo, the home page's hero and a shop's banner can each place it
on their own ground. Shapes are laid out in units of a 1000-unit square.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PIL import Image, ImageDraw

from .cloth import border_unit, colours_for, mix, repeat_unit, tiled
from .layer import Layer, Point, lerp, mirror, painted

Palette = tuple[str, str, str]
Box = tuple[int, int, int, int]


class _Cloth:
    """The garment's cloth: one repeat of the motif, cut straight or on the bias for a box."""

    def __init__(self, motif: str, palette: Palette, seed: int, cell: int) -> None:
        self.unit = repeat_unit(motif, palette=palette, seed=seed, cell=cell)

    def straight(self, shift: Point = (0, 0)) -> Callable[[Box], Image.Image]:
        def cut(box: Box) -> Image.Image:
            x0, y0, x1, y1 = box
            return tiled(
                self.unit, x1 - x0, y1 - y0, origin=(x0 + round(shift[0]), y0 + round(shift[1]))
            )

        return cut

    def turned(self, degrees: float) -> Callable[[Box], Image.Image]:
        def cut(box: Box) -> Image.Image:
            x0, y0, x1, y1 = box
            width, height = x1 - x0, y1 - y0
            side = math.ceil(math.hypot(width, height)) + 2
            square = tiled(self.unit, side, side, origin=(x0, y0))
            turned = square.rotate(degrees, resample=Image.Resampling.BILINEAR)
            left, top = (side - width) // 2, (side - height) // 2
            return turned.crop((left, top, left + width, top + height))

        return cut


def _cell(size: int) -> int:
    # A repeat of about a sixth of the picture: two or three motifs across a shirt's front.
    return max(24, size // 6)


def draw_kemeja(motif: str, *, size: int, palette: Palette, seed: int = 0) -> Image.Image:
    """A short-sleeved batik shirt laid flat: collar, placket with buttons, pocket, sleeves."""
    layer = Layer(size)
    colours = colours_for(palette)
    cloth = _Cloth(motif, palette, seed, _cell(size))
    thread = (*mix(colours["accent"], colours["bg"], 0.35), 190)
    sleeve = [(268, 196), (136, 340), (214, 414), (284, 372)]
    body = [
        (425, 150), (268, 196), (284, 372), (276, 902), (500, 910),
        (724, 902), (716, 372), (732, 196), (575, 150), (500, 176),
    ]  # fmt: skip
    layer.shadow(body, sleeve, mirror(sleeve), offset=(10, 16), blur=14, strength=0.42)

    # Sleeves first, cut at an angle to the body's grain, darker towards the underarm.
    for outline, degrees in ((sleeve, -38), (mirror(sleeve), 38)):
        hem = [
            outline[1],
            outline[2],
            lerp(outline[2], outline[3], 0.3),
            lerp(outline[1], outline[0], 0.17),
        ]

        def sleeve_light(draw, unit, outline=outline, hem=hem):
            draw.line(painted((outline[3], outline[2]), unit), fill=150, width=round(60 * unit))
            draw.line(painted((outline[0], outline[3]), unit), fill=175, width=round(30 * unit))
            draw.polygon(painted(hem, unit), fill=205)

        layer.lay(cloth.turned(degrees), outline, light=sleeve_light, blur=22)
        layer.stitches([lerp(hem[0], hem[3], 0.5), lerp(hem[1], hem[2], 0.5)], thread)

    def body_light(draw, unit):
        # Round at the sides, drag folds from the underarms, slack folds above the hem.
        for x0, x1, level in ((276, 320, 160), (680, 724, 160), (320, 372, 205), (628, 680, 205)):
            draw.rectangle((x0 * unit, 150 * unit, x1 * unit, 910 * unit), fill=level)
        for line, level, width in (
            (((296, 390), (410, 600)), 150, 18),
            (((704, 390), (606, 570)), 150, 18),
            (((372, 690), (356, 905)), 165, 16),
            (((645, 700), (662, 905)), 165, 16),
            (((440, 520), (452, 760)), 255, 30),
            (((420, 160), (500, 250), (580, 160)), 110, 34),
            (((280, 890), (720, 890)), 200, 20),
        ):
            draw.line(painted(line, unit), fill=level, width=round(width * unit))

    layer.lay(cloth.straight(), body, light=body_light, blur=18)
    seam = (*colours["deep"], 150)
    draw = ImageDraw.Draw(layer.image)
    for line in (
        ((268, 196), (284, 372)),
        ((732, 196), (716, 372)),
        ((425, 150), (268, 196)),
        ((575, 150), (732, 196)),
    ):
        draw.line(layer.px(line), fill=seam, width=max(1, round(2.2 * layer.unit)))

    # The pocket on the wearer's left, its pattern not quite matching the front's.
    pocket = [(584, 300), (680, 300), (680, 410), (632, 428), (584, 410)]
    layer.shadow(pocket, offset=(2, 4), blur=5, strength=0.35)
    layer.lay(cloth.straight(shift=(37 * layer.unit, 61 * layer.unit)), pocket)
    layer.stitches([(592, 312), (672, 312)], thread)
    layer.stitches([(592, 318), (592, 404), (632, 419), (672, 404), (672, 318)], thread)

    # The placket: a folded strip of the cloth with a line of stitches on each side.
    placket = [(481, 190), (519, 190), (519, 910), (481, 910)]
    layer.shadow(placket, offset=(3, 0), blur=4, strength=0.4)
    layer.lay(cloth.straight(shift=(23 * layer.unit, 0)), placket)
    layer.stitches([(284, 884), (481, 890)], thread)
    layer.stitches([(519, 890), (716, 884)], thread)
    layer.stitches([(486, 220), (486, 905)], thread)
    layer.stitches([(514, 220), (514, 905)], thread)
    _buttons(layer, [(500, y) for y in (250, 360, 470, 580, 690, 800)], 11)

    # The collar: the stand seen inside at the back, then two pointed wings over the front.
    stand = [(420, 130), (500, 116), (580, 130), (575, 152), (500, 168), (425, 152)]
    layer.lay(cloth.turned(90), stand, dim=0.6)
    wing = [(420, 128), (388, 182), (452, 278), (498, 220), (500, 172), (462, 156)]
    for outline, degrees in ((wing, 25), (mirror(wing), -25)):
        layer.shadow(outline, offset=(4, 9), blur=9, strength=0.55)

        def wing_light(draw, unit, outline=outline):
            draw.line(painted((outline[0], outline[1]), unit), fill=200, width=round(26 * unit))

        layer.lay(cloth.turned(degrees), outline, light=wing_light, blur=14)
        layer.stitches([outline[1], outline[2]], thread, dash=8)
    _buttons(layer, [(500, 200)], 8)
    return layer.image


def _buttons(layer: Layer, centres: list[Point], radius: float) -> None:
    """Mother-of-pearl buttons, each with its shadow and two holes."""
    rings = [
        [
            (x + 2 + radius * math.cos(a * math.pi / 6), y + 3 + radius * math.sin(a * math.pi / 6))
            for a in range(12)
        ]
        for x, y in centres
    ]
    layer.shadow(*rings, offset=(0, 0), blur=3, strength=0.6)
    draw = ImageDraw.Draw(layer.image)
    r = radius * layer.unit
    hole = max(1.0, r * 0.2)
    for x, y in centres:
        cx, cy = x * layer.unit, y * layer.unit
        draw.ellipse(
            (cx - r, cy - r, cx + r, cy + r),
            fill=(238, 232, 220, 255),
            outline=(170, 160, 145, 255),
        )
        for dx in (-0.35, 0.35):
            hx = cx + dx * r
            draw.ellipse((hx - hole, cy - hole, hx + hole, cy + hole), fill=(120, 110, 98, 255))


def draw_kain(motif: str, *, size: int, palette: Palette, seed: int = 0) -> Image.Image:
    """A kain folded into a neat stack: its pinggiran along the front, one corner turned back."""
    layer = Layer(size)
    colours = colours_for(palette)
    left, top, right, bottom = 120, 230, 880, 710
    cloth = _Cloth(motif, palette, seed, _cell(size))
    sheet = cloth.straight()((0, 0, size, size))
    band = max(6, round(size * 0.07))
    border = border_unit(palette, band)
    for x in range(round(left * layer.unit) - band, round(right * layer.unit) + band, band):
        sheet.paste(border, (x, round(bottom * layer.unit) - band))
    stack = [(left, top), (right, top), (right + 14, bottom + 40), (left + 4, bottom + 40)]
    layer.shadow(stack, offset=(12, 18), blur=18, strength=0.45)

    # The folded layers beneath show at the front as stripes of the border's edge.
    edge = Image.new("RGB", (size, size), colours["deep"])
    lip_colour = Image.new("RGB", (size, size), colours["motif"])
    for step in range(4, 0, -1):
        dy, dx = step * 10, step * 3.5
        fold = [
            (left + dx, top + dy),
            (right + dx, top + dy),
            (right + dx, bottom + dy),
            (left + dx, bottom + dy),
        ]
        layer.lay(edge, fold, dim=0.78 + step * 0.04)
        lip = [
            (left + dx, bottom + dy - 3),
            (right + dx, bottom + dy - 3),
            (right + dx, bottom + dy),
            (left + dx, bottom + dy),
        ]
        layer.lay(lip_colour, lip)

    corner = 150
    turned = [(right - corner, top), (right, top + corner)]
    top_sheet = [(left, top), turned[0], turned[1], (right, bottom), (left, bottom)]

    def sheet_light(draw, unit):
        # The rounded fold along the left edge, and a soft crease across the middle.
        draw.rectangle((left * unit, top * unit, (left + 26) * unit, bottom * unit), fill=150)
        draw.rectangle(
            ((left + 26) * unit, top * unit, (left + 60) * unit, bottom * unit), fill=235
        )
        draw.line(painted(((left, 470), (right, 455)), unit), fill=215, width=round(18 * unit))
        draw.line(painted(turned, unit), fill=170, width=round(20 * unit))

    layer.lay(sheet, top_sheet, light=sheet_light, blur=14)

    # The turned-back corner shows the cloth's reverse: the same wax lines, paler.
    flap = [turned[0], (right - corner, top + corner), turned[1]]
    layer.shadow(flap, offset=(-8, 10), blur=9, strength=0.5)
    reverse = Image.blend(
        sheet.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
        Image.new("RGB", (size, size), colours["accent"]),
        0.25,
    )

    def flap_light(draw, unit):
        draw.line(painted(turned, unit), fill=255, width=round(30 * unit))
        corner_point = (right - corner, top + corner)
        near = [
            corner_point,
            (corner_point[0] + 40, corner_point[1]),
            (corner_point[0], corner_point[1] - 40),
        ]
        draw.polygon(painted(near, unit), fill=200)

    layer.lay(reverse, flap, light=flap_light, blur=16)
    # Laid down by hand, not squared to the camera.
    return layer.image.rotate(4 + seed % 3, resample=Image.Resampling.BICUBIC)


def draw_selendang(motif: str, *, size: int, palette: Palette, seed: int = 0) -> Image.Image:
    """A selendang hung over a wooden rod, falling in soft folds to its tumpal end and fringe."""
    layer = Layer(size)
    colours = colours_for(palette)
    cell = max(20, size // 7)
    width, length = round(340 * layer.unit), round(760 * layer.unit)
    strip = tiled(repeat_unit(motif, palette=palette, seed=seed, cell=cell), width, length)
    band = max(6, round(size * 0.075))
    border = border_unit(palette, band)
    for x in range(0, width, band):
        strip.paste(border, (x, length - band))
    rod = 150
    # (left, right at the rod; left, right at the hem; hem; folds; phase; light)
    panels = (
        (392, 672, 404, 726, 830, 3.0, 1.3, 0.72),
        (318, 628, 270, 672, 890, 3.5, 0.0, 1.0),
    )
    for x0, x1, x2, x3, hem, folds, phase, light in panels:
        drape = _Drape(layer, strip, (x0, x1, x2, x3), rod, hem, folds, phase)
        layer.shadow(drape.outline, offset=(10, 14), blur=16, strength=0.35)
        layer.lay(drape.cut, drape.outline, light=drape.light, blur=5, dim=light)
        _fringe(layer, drape, colours)

    draw = ImageDraw.Draw(layer.image)
    wood, wood_light = (112, 72, 40, 255), (160, 112, 70, 255)
    draw.rounded_rectangle(
        layer.px([(150, rod - 14), (850, rod + 14)]), radius=14 * layer.unit, fill=wood
    )
    draw.line(
        layer.px([(160, rod - 6), (840, rod - 6)]),
        fill=wood_light,
        width=max(1, round(5 * layer.unit)),
    )
    for x in (150, 850):
        draw.ellipse(layer.px([(x - 20, rod - 20), (x + 20, rod + 20)]), fill=(90, 56, 30, 255))
    # The cloth wraps over the rod: lit on top, in shadow where it turns down.
    wrap = [(314, rod - 24), (676, rod - 24), (674, rod + 18), (316, rod + 18)]

    def wrap_light(draw, unit):
        draw.rectangle((0, 0, 1000 * unit, (rod - 10) * unit), fill=255)
        draw.rectangle((0, (rod - 10) * unit, 1000 * unit, 1000 * unit), fill=165)

    layer.lay(
        tiled(repeat_unit(motif, palette=palette, seed=seed, cell=cell), size, size),
        wrap,
        light=wrap_light,
        blur=10,
    )
    return layer.image


class _Drape:
    """A flat strip of cloth hanging from a rod in vertical folds, warped by a mesh transform."""

    def __init__(
        self,
        layer: Layer,
        strip: Image.Image,
        edges,
        top: float,
        hem: float,
        folds: float,
        phase: float,
    ):
        self.layer, self.strip = layer, strip
        self.edges, self.top, self.hem = edges, top, hem
        self.folds, self.phase = folds, phase
        x0, x1, x2, x3 = edges
        samples = 60
        self.hem_line = [
            (x2 + (x3 - x2) * i / samples, self.hem_at(i / samples)) for i in range(samples + 1)
        ]
        self.outline = [(x0, top), *self.hem_line, (x1, top)]

    def hem_at(self, t: float) -> float:
        # The hem dips where a fold comes forward.
        return self.hem + 12 * math.cos(2 * math.pi * self.folds * t + self.phase)

    def _source(self, px: float, py: float) -> tuple[float, float]:
        x0, x1, x2, x3 = self.edges
        unit = self.layer.unit
        y = py / unit
        v = min(1.0, max(0.0, (y - self.top) / (self.hem - self.top)))
        left, right = x0 + (x2 - x0) * v, x1 + (x3 - x1) * v
        t = min(1.0, max(0.0, (px / unit - left) / (right - left)))
        # Folds gather at the rod and open towards the hem; below 1 the cloth never turns back.
        amplitude = (0.2 + 0.5 * v) / (2 * math.pi * self.folds)
        u = t + amplitude * math.sin(2 * math.pi * self.folds * t + self.phase)
        bottom = self.hem_at(t)
        v_cloth = min(1.0, max(0.0, (y - self.top) / (bottom - self.top)))
        return u * self.strip.width, v_cloth * (self.strip.height - 1)

    def cut(self, box: Box) -> Image.Image:
        bx0, by0, bx1, by1 = box
        step = max(4, round(self.layer.size / 50))
        mesh = []
        for oy in range(0, by1 - by0, step):
            for ox in range(0, bx1 - bx0, step):
                ax, ay = bx0 + ox, by0 + oy
                quad = (
                    *self._source(ax, ay),
                    *self._source(ax, ay + step),
                    *self._source(ax + step, ay + step),
                    *self._source(ax + step, ay),
                )
                mesh.append(((ox, oy, ox + step, oy + step), quad))
        return self.strip.transform(
            (bx1 - bx0, by1 - by0), Image.Transform.MESH, mesh, Image.Resampling.BILINEAR
        )

    def light(self, draw: ImageDraw.ImageDraw, unit: float) -> None:
        # Where the cloth turns away from the light the folds darken; their crests catch it.
        x0, x1, x2, x3 = self.edges
        columns = 80
        for i in range(columns):
            t, t2 = i / columns, (i + 1) / columns
            level = 0.5 + 0.5 * math.cos(2 * math.pi * self.folds * (t + t2) / 2 + self.phase)
            quad = [
                (x0 + (x1 - x0) * t, self.top),
                (x0 + (x1 - x0) * t2, self.top),
                (x2 + (x3 - x2) * t2, self.hem + 30),
                (x2 + (x3 - x2) * t, self.hem + 30),
            ]
            draw.polygon(painted(quad, unit), fill=round(150 + 105 * level))


def _fringe(layer: Layer, drape: _Drape, colours) -> None:
    """The knotted fringe (rumbai) along the selendang's end."""
    draw = ImageDraw.Draw(layer.image)
    thread, dark = (*colours["accent"], 255), (*colours["deep"], 255)
    width = max(1, round(2.2 * layer.unit))
    for i, (x, y) in enumerate(drape.hem_line[::2]):
        sway = 3 * math.sin(i * 1.7)
        draw.line(
            layer.px([(x, y - 2), (x + sway, y + 38)]),
            fill=thread if i % 4 == 0 else dark,
            width=width,
        )


GARMENTS: dict[str, Callable[..., Image.Image]] = {
    "kemeja": draw_kemeja,
    "kain": draw_kain,
    "selendang": draw_selendang,
}
