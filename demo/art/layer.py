"""A transparent canvas that pieces of cloth are laid on, back to front, each with its shading.

Shapes are given in units of a 1000-unit square and drawn at the layer's size. Every piece is
cut, lit and composited within its own bounding box, so a small piece costs little.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PIL import Image, ImageChops, ImageDraw, ImageFilter

Point = tuple[float, float]
# A light painter draws tones (255 = fully lit) on a small canvas, given its pixels per unit.
Painter = Callable[[ImageDraw.ImageDraw, float], None]
# A texture is a picture of the layer's size, or a function giving the cloth for a box.
Texture = Image.Image | Callable[[tuple[int, int, int, int]], Image.Image]

# Cut edges are drawn this many times larger then reduced, which smooths them.
_MASK_SS = 3
# Light and shadow maps are drawn at this fraction of the size: they are blurred anyway.
_SOFT = 4


class Layer:
    """A square RGBA canvas of `size` pixels, laid with pieces of cloth."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.unit = size / 1000
        self.image = Image.new("RGBA", (size, size), (0, 0, 0, 0))

    def px(self, points: Sequence[Point]) -> list[Point]:
        return [(x * self.unit, y * self.unit) for x, y in points]

    def box(self, *polygons: Sequence[Point]) -> tuple[int, int, int, int]:
        """The pixel box around the polygons, inside the canvas."""
        xs = [x for polygon in polygons for x, _ in polygon]
        ys = [y for polygon in polygons for _, y in polygon]
        return (
            max(0, math.floor(min(xs) * self.unit) - 2),
            max(0, math.floor(min(ys) * self.unit) - 2),
            min(self.size, math.ceil(max(xs) * self.unit) + 2),
            min(self.size, math.ceil(max(ys) * self.unit) + 2),
        )

    def mask(self, box: tuple[int, int, int, int], *polygons: Sequence[Point]) -> Image.Image:
        """An anti-aliased cut of the polygons within `box` (an L image of the box's size)."""
        x0, y0, x1, y1 = box
        big = Image.new("L", ((x1 - x0) * _MASK_SS, (y1 - y0) * _MASK_SS), 0)
        draw = ImageDraw.Draw(big)
        scale = self.unit * _MASK_SS
        for polygon in polygons:
            draw.polygon(
                [(x * scale - x0 * _MASK_SS, y * scale - y0 * _MASK_SS) for x, y in polygon],
                fill=255,
            )
        return big.resize((x1 - x0, y1 - y0), Image.Resampling.BOX)

    def soft(self, painter: Painter, *, blur: float, background: int = 255) -> Image.Image:
        """A blurred tone map of the whole canvas, painted small and smoothed (L, small)."""
        small = max(8, self.size // _SOFT)
        tones = Image.new("L", (small, small), background)
        painter(ImageDraw.Draw(tones), small / 1000)
        if blur:
            tones = tones.filter(ImageFilter.GaussianBlur(blur * small / 1000))
        return tones

    def _cropped(self, tones: Image.Image, box: tuple[int, int, int, int]) -> Image.Image:
        ratio = tones.width / self.size
        x0, y0, x1, y1 = box
        return tones.resize(
            (x1 - x0, y1 - y0),
            Image.Resampling.BILINEAR,
            box=(x0 * ratio, y0 * ratio, x1 * ratio, y1 * ratio),
        )

    def shadow(
        self, *polygons: Sequence[Point], offset: Point, blur: float, strength: float
    ) -> None:
        """Darken what lies below with the polygons' blurred, offset silhouette."""
        dx, dy = offset

        def silhouette(draw, unit):
            for polygon in polygons:
                draw.polygon([((x + dx) * unit, (y + dy) * unit) for x, y in polygon], fill=255)

        tones = self.soft(silhouette, blur=blur, background=0)
        reach = blur * 2.5 + 4
        corners = [
            [(x + dx + sx * reach, y + dy + sy * reach) for x, y in polygon]
            for polygon in polygons
            for sx in (-1, 1)
            for sy in (-1, 1)
        ]
        box = self.box(*corners)
        alpha = self._cropped(tones, box).point(lambda value: round(value * strength))
        shade = Image.new("RGBA", alpha.size, (28, 16, 8, 255))
        shade.putalpha(alpha)
        self.image.alpha_composite(shade, dest=box[:2])

    def lay(
        self,
        texture: Texture,
        *polygons: Sequence[Point],
        light: Painter | None = None,
        blur: float = 16,
        dim: float = 1.0,
    ) -> None:
        """Lay a piece of cloth cut to the polygons, lit by `light` and dimmed by `dim`."""
        box = self.box(*polygons)
        piece = texture(box) if callable(texture) else texture.crop(box)
        piece = piece.convert("RGB")
        if light is not None or dim != 1.0:
            tones = self._cropped(self.soft(light or _even, blur=blur), box)
            if dim != 1.0:
                tones = tones.point(lambda value: round(value * dim))
            piece = ImageChops.multiply(piece, Image.merge("RGB", (tones, tones, tones)))
        piece = piece.convert("RGBA")
        piece.putalpha(self.mask(box, *polygons))
        self.image.alpha_composite(piece, dest=box[:2])

    def stitches(
        self, points: Sequence[Point], colour: tuple[int, int, int, int], dash: float = 9
    ) -> None:
        """A dashed line of stitches along a polyline."""
        draw = ImageDraw.Draw(self.image)
        width = max(1, round(1.6 * self.unit))
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            steps = max(1, int(math.hypot(x1 - x0, y1 - y0) / dash))
            for i in range(0, steps, 2):
                a, b = i / steps, min(1.0, (i + 1) / steps)
                segment = [lerp((x0, y0), (x1, y1), a), lerp((x0, y0), (x1, y1), b)]
                draw.line(self.px(segment), fill=colour, width=width)


def _even(draw: ImageDraw.ImageDraw, unit: float) -> None:
    """No light and shade: an even tone (the background of the light map)."""


def lerp(a: Point, b: Point, t: float) -> Point:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def mirror(points: Sequence[Point]) -> list[Point]:
    return [(1000 - x, y) for x, y in points]


def painted(points: Sequence[Point], unit: float) -> list[Point]:
    """Points in units as pixels of a light map with `unit` pixels per unit."""
    return [(x * unit, y * unit) for x, y in points]
