"""QR codes drawn here as inline SVG (segno): nothing is fetched from elsewhere to show one."""

import segno


def qr_svg(text: str, *, scale: int = 4, title: str = "") -> str:
    """The QR code of `text` as an <svg> element (medium error correction, a quiet border)."""
    return segno.make(text, error="m").svg_inline(scale=scale, border=2, title=title or None)
