"""The five Kutai Timur motifs as drawing primitives, and how the primitives are drawn.

A motif is a list of primitives in cell units centred on (0, 0); `render` draws them at any
scale: a wax outline pass first, then the fills, then the fine canting details.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

from PIL import ImageDraw

MOTIF_SLUGS: tuple[str, ...] = ("paku", "telapak-tangan", "daun-singkong", "wakaroros", "sawit")

Point = tuple[float, float]
# A primitive is (kind, geometry, fill role); motifs are described in cell units centred on 0,0.
Prim = tuple[Any, ...]
Colours = dict[str, tuple[int, int, int]]


def leaf_outline(base: Point, angle: float, length: float, width: float, n: int = 8) -> list[Point]:
    """Return a pointed leaf/petal polygon growing from base in direction angle (radians)."""
    ca, sa = math.cos(angle), math.sin(angle)
    left: list[Point] = []
    right: list[Point] = []
    for i in range(n + 1):
        t = i / n
        # sin^0.8 keeps the leaf plump in the middle but pointed at both ends.
        half = 0.5 * width * math.sin(math.pi * t) ** 0.8
        ax, ay = base[0] + ca * length * t, base[1] + sa * length * t
        left.append((ax - sa * half, ay + ca * half))
        right.append((ax + sa * half, ay - ca * half))
    return left + right[::-1]


def spiral(centre: Point, r0: float, turns: float, start: float, sign: int = 1) -> list[Point]:
    """Return points of an inward spiral, used for curled fern fiddleheads."""
    steps = max(8, int(turns * 18))
    pts: list[Point] = []
    for i in range(steps + 1):
        t = i / steps
        a = start + sign * t * turns * 2 * math.pi
        r = r0 * (1 - 0.85 * t)
        pts.append((centre[0] + r * math.cos(a), centre[1] + r * math.sin(a)))
    return pts


def bezier(p0: Point, p1: Point, p2: Point, n: int = 16) -> list[Point]:
    """Return points on a quadratic Bezier curve, used for stems and frond ribs."""
    out: list[Point] = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        out.append(
            (
                u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0],
                u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1],
            )
        )
    return out


def _motif_paku(rng: random.Random) -> list[Prim]:
    """Describe a fern frond with alternating pinnae ending in a curled fiddlehead."""
    prims: list[Prim] = []
    details: list[Prim] = []
    stem = bezier((0.12, 0.44), (0.22, -0.05), (-0.04, -0.22), 18)
    prims.append(("stroke", stem, 0.022, "motif"))
    # Pinnae shrink towards the tip, like a real frond.
    for i in range(2, 17):
        (x0, y0), (x1, y1) = stem[i], stem[i + 1]
        direction = math.atan2(y1 - y0, x1 - x0)
        size = 0.19 * (1 - i / 18) + 0.035
        for side in (-1, 1):
            # Narrow, near-perpendicular pinnae leave wax gaps between them, reading as a fern.
            ang = direction + side * 1.25
            prims.append(("leaf", (x0, y0), ang, size, 0.032, 7, "motif"))
            tip = (x0 + math.cos(ang) * size * 0.55, y0 + math.sin(ang) * size * 0.55)
            details.append(("line", [(x0, y0), tip], 0.006, "accent"))
    # The crozier: the frond tip rolls into a spiral.
    x, y = stem[-1]
    curl = spiral((x - 0.075, y + 0.02), 0.08, 1.4, -0.25, -1)
    prims.append(("stroke", curl, 0.026, "motif"))
    # A young fiddlehead beside the frond adds the characteristic curl motif twice.
    stalk = bezier((-0.30, 0.42), (-0.36, 0.15), (-0.25, 0.02), 10)
    prims.append(("stroke", stalk, 0.02, "motif"))
    prims.append(("stroke", spiral((-0.19, 0.06), 0.065, 1.6, math.pi, 1), 0.022, "motif"))
    for _ in range(5):
        details.append(
            ("dot", (rng.uniform(-0.42, -0.08), rng.uniform(-0.42, -0.2)), 0.012, "soft")
        )
    return prims + details


def _motif_telapak(rng: random.Random) -> list[Prim]:
    """Describe an open palm print with five fingers and lines on the palm."""
    prims: list[Prim] = []
    details: list[Prim] = []
    tilt = rng.uniform(-0.15, 0.15)

    def rot(p: Point) -> Point:
        c, s = math.cos(tilt), math.sin(tilt)
        return (p[0] * c - p[1] * s, p[0] * s + p[1] * c + 0.03)

    palm = [
        rot((0.17 * math.cos(a) * (1.0 if math.sin(a) < 0 else 0.9), 0.08 + 0.19 * math.sin(a)))
        for a in [i * math.pi / 14 for i in range(28)]
    ]
    prims.append(("poly", palm, "motif"))
    # (base x, base y, angle, length, width): splayed fingers plus a thumb angled out.
    fingers = [
        (-0.11, -0.06, -1.85, 0.20, 0.070),
        (-0.035, -0.09, -1.66, 0.25, 0.072),
        (0.045, -0.09, -1.48, 0.24, 0.070),
        (0.115, -0.06, -1.28, 0.19, 0.064),
        (0.15, 0.12, -0.45, 0.17, 0.078),
    ]
    for bx, by, ang, ln, w in fingers:
        tip = (bx + math.cos(ang) * ln, by + math.sin(ang) * ln)
        prims.append(("stroke", [rot((bx, by)), rot(tip)], w, "motif"))
        # A fingernail-like dot and knuckle crease give each finger a drawn, wax-resist feel.
        nail = (bx + math.cos(ang) * (ln - 0.02), by + math.sin(ang) * (ln - 0.02))
        details.append(("dot", rot(nail), w * 0.22, "accent"))
        k = (bx + math.cos(ang) * ln * 0.5, by + math.sin(ang) * ln * 0.5)
        px, py = -math.sin(ang) * w * 0.3, math.cos(ang) * w * 0.3
        details.append(
            ("line", [rot((k[0] - px, k[1] - py)), rot((k[0] + px, k[1] + py))], 0.007, "accent")
        )
    # Palm creases drawn as curved wax lines.
    for p0, p1, p2 in (
        ((-0.15, 0.02), (0.0, 0.06), (0.15, -0.02)),
        ((-0.15, 0.08), (-0.02, 0.1), (0.08, 0.2)),
        ((0.02, 0.24), (0.0, 0.12), (0.05, 0.0)),
    ):
        details.append(("line", [rot(p) for p in bezier(p0, p1, p2, 8)], 0.008, "accent"))
    details.append(("dot", rot((0.0, 0.17)), 0.03, "accent"))
    details.append(("dot", rot((0.0, 0.17)), 0.016, "bg"))
    return prims + details


def _motif_singkong(rng: random.Random) -> list[Prim]:
    """Describe a palmate cassava leaf with 5-7 narrow lobes on a long petiole."""
    prims: list[Prim] = []
    details: list[Prim] = []
    lobes = rng.choice((5, 7, 7))
    hub = (0.02, 0.06)
    prims.append(("stroke", bezier(hub, (0.18, 0.25), (0.12, 0.45), 10), 0.018, "motif"))
    spread = 1.9 if lobes == 5 else 2.5
    for i in range(lobes):
        t = i / (lobes - 1) - 0.5
        ang = -math.pi / 2 + 0.12 + t * spread * 1.45
        # Middle lobes are longest, as on a real cassava leaf.
        length = 0.43 - 0.2 * (2 * t) ** 2
        width = 0.06 + 0.012 * (1 - abs(t))
        prims.append(("leaf", hub, ang, length, width, 10, "motif"))
        tip = (hub[0] + math.cos(ang) * length * 0.9, hub[1] + math.sin(ang) * length * 0.9)
        details.append(("line", [hub, tip], 0.008, "accent"))
        for k in (0.35, 0.55, 0.75):
            c = (hub[0] + math.cos(ang) * length * k, hub[1] + math.sin(ang) * length * k)
            for side in (-1, 1):
                a2 = ang + side * 0.9
                end = (c[0] + math.cos(a2) * width * 0.3, c[1] + math.sin(a2) * width * 0.3)
                details.append(("line", [c, end], 0.005, "accent"))
    details.append(("dot", hub, 0.025, "accent"))
    return prims + details


def _motif_wakaroros(rng: random.Random) -> list[Prim]:
    """Describe a stylised wakaroros rosette with two rings of petals and dotted rays."""
    prims: list[Prim] = []
    details: list[Prim] = []
    n = rng.choice((8, 10, 12))
    for i in range(n):
        a = i * 2 * math.pi / n
        prims.append(("leaf", (0.0, 0.0), a, 0.39, 0.16, 10, "motif"))
        # A dotted ray between petals imitates the cecek (dot) fillings of canting work.
        mid = a + math.pi / n
        for r, size in ((0.28, 0.012), (0.34, 0.016), (0.40, 0.012)):
            details.append(("dot", (math.cos(mid) * r, math.sin(mid) * r), size, "soft"))
        details.append(
            (
                "line",
                [(math.cos(a) * 0.1, math.sin(a) * 0.1), (math.cos(a) * 0.31, math.sin(a) * 0.31)],
                0.007,
                "accent",
            )
        )
        details.append(("dot", (math.cos(a) * 0.34, math.sin(a) * 0.34), 0.012, "accent"))
    for i in range(n):
        a = (i + 0.5) * 2 * math.pi / n
        prims.append(("leaf", (0.0, 0.0), a, 0.22, 0.11, 8, "mid"))
    prims.append(("circle", (0.0, 0.0), 0.085, "motif"))
    details.append(("circle_line", (0.0, 0.0), 0.055, "accent"))
    for i in range(8):
        a = i * math.pi / 4
        details.append(("dot", (math.cos(a) * 0.055, math.sin(a) * 0.055), 0.01, "accent"))
    details.append(("dot", (0.0, 0.0), 0.025, "accent"))
    return prims + details


def _motif_sawit(rng: random.Random) -> list[Prim]:
    """Describe an oil palm crown of arching fronds above a trunk flanked by fruit bunches."""
    prims: list[Prim] = []
    details: list[Prim] = []
    crown = (0.0, -0.04)
    # Trunk with the criss-cross scars left by old frond bases.
    prims.append(("stroke", [crown, (0.0, 0.44)], 0.075, "mid"))
    for y in (0.1, 0.18, 0.26, 0.34):
        details.append(("line", [(-0.03, y - 0.03), (0.0, y), (0.03, y - 0.03)], 0.007, "accent"))
    # Five fronds: rachis plus narrow leaflets on both sides, drooping ones lower.
    fronds = (
        ((-0.44, 0.10), (-0.32, -0.28)),
        ((0.44, 0.10), (0.32, -0.28)),
        ((-0.30, -0.40), (-0.08, -0.30)),
        ((0.30, -0.40), (0.08, -0.30)),
        ((0.02, -0.46), (0.02, -0.25)),
    )
    for end, ctrl in fronds:
        rib = bezier(crown, ctrl, end, 12)
        prims.append(("stroke", rib, 0.014, "motif"))
        for i in range(2, 12):
            (x0, y0), (x1, y1) = rib[i], rib[i + 1]
            d = math.atan2(y1 - y0, x1 - x0)
            ln = 0.11 * (1 - i / 15) + 0.025
            for side in (-1, 1):
                prims.append(("leaf", (x0, y0), d + side * 0.8, ln, 0.026, 4, "motif"))
    # Two fruit bunches hugging the trunk below the crown; each fruit gets a highlight dot.
    for bx in (-0.13, 0.13):
        fruits: list[Point] = [(bx, 0.14)]
        for i in range(8):
            a = i * math.pi / 4 + 0.3
            fruits.append((bx + math.cos(a) * 0.065, 0.14 + math.sin(a) * 0.075))
        for fx, fy in fruits:
            prims.append(("circle", (fx, fy), 0.032, "fruit"))
            details.append(("dot", (fx - 0.009, fy - 0.01), 0.008, "accent"))
    prims.append(("circle", crown, 0.04, "motif"))
    for _ in range(3):
        details.append(("dot", (rng.uniform(-0.42, -0.3), rng.uniform(0.3, 0.42)), 0.012, "soft"))
    return prims + details


def filler() -> list[Prim]:
    """Describe a small four-petal ceplok that fills the gaps of the half-drop lattice."""
    prims: list[Prim] = []
    for i in range(4):
        prims.append(("leaf", (0.0, 0.0), i * math.pi / 2 + math.pi / 4, 0.11, 0.06, 6, "mid"))
    prims.append(("circle", (0.0, 0.0), 0.025, "motif"))
    for i in range(4):
        a = i * math.pi / 2
        prims.append(("dot", (math.cos(a) * 0.09, math.sin(a) * 0.09), 0.012, "soft"))
    return prims


MOTIFS: dict[str, Callable[[random.Random], list[Prim]]] = {
    "paku": _motif_paku,
    "telapak-tangan": _motif_telapak,
    "daun-singkong": _motif_singkong,
    "wakaroros": _motif_wakaroros,
    "sawit": _motif_sawit,
}


def render(
    draw: ImageDraw.ImageDraw,
    prims: list[Prim],
    origin: Point,
    scale: float,
    colours: Colours,
    mirror: bool = False,
) -> None:
    """Draw motif primitives at origin: wax outline pass first, then fills, then details."""
    ox, oy = origin
    sx = -scale if mirror else scale
    outline = colours["accent"]
    ow = max(1.0, scale * 0.012)
    ow_units = ow / scale

    def tr(pts: list[Point]) -> list[Point]:
        return [(ox + x * sx, oy + y * scale) for x, y in pts]

    def disc(c: Point, r: float, fill: tuple[int, int, int]) -> None:
        x, y = ox + c[0] * sx, oy + c[1] * scale
        draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)

    def grown_leaf(prim: Prim, grow: float) -> list[Point]:
        _, (bx, by), ang, length, width, n, _ = prim
        # Growing the leaf itself is much cheaper than stroking its outline with round joins.
        base = (bx - math.cos(ang) * grow, by - math.sin(ang) * grow)
        return tr(leaf_outline(base, ang, length + 2 * grow, width + 2 * grow, n))

    # Pass 1 draws every shape enlarged in the wax colour so overlapping shapes share one outline.
    for prim in prims:
        kind = prim[0]
        if kind == "leaf":
            draw.polygon(grown_leaf(prim, ow_units), fill=outline)
        elif kind == "poly":
            pts = tr(prim[1])
            draw.polygon(pts, fill=outline)
            draw.line([*pts, pts[0]], fill=outline, width=round(2 * ow), joint="curve")
        elif kind == "stroke":
            w = prim[2] * scale + 2 * ow
            draw.line(tr(prim[1]), fill=outline, width=round(w), joint="curve")
            disc(prim[1][0], w / 2, outline)
            disc(prim[1][-1], w / 2, outline)
        elif kind == "circle":
            disc(prim[1], prim[2] * scale + ow, outline)
    for prim in prims:
        kind = prim[0]
        if kind == "leaf":
            draw.polygon(grown_leaf(prim, 0.0), fill=colours[prim[6]])
        elif kind == "poly":
            draw.polygon(tr(prim[1]), fill=colours[prim[2]])
        elif kind == "stroke":
            w = prim[2] * scale
            draw.line(tr(prim[1]), fill=colours[prim[3]], width=round(w), joint="curve")
            disc(prim[1][0], w / 2, colours[prim[3]])
            disc(prim[1][-1], w / 2, colours[prim[3]])
        elif kind == "circle":
            disc(prim[1], prim[2] * scale, colours[prim[3]])
    for prim in prims:
        kind = prim[0]
        if kind == "dot":
            disc(prim[1], max(1.0, prim[2] * scale), colours[prim[3]])
        elif kind == "line":
            w = max(1, round(prim[2] * scale))
            draw.line(tr(prim[1]), fill=colours[prim[3]], width=w)
        elif kind == "circle_line":
            x, y = ox + prim[1][0] * sx, oy + prim[1][1] * scale
            r = prim[2] * scale
            draw.ellipse((x - r, y - r, x + r, y + r), outline=colours[prim[3]], width=round(ow))
