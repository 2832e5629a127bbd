"""Responsive product images: `{% product_image image alt=… width=320 %}`."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

CARD_SIZES = "(min-width: 1100px) 260px, (min-width: 700px) 30vw, 50vw"


@register.simple_tag
def product_image(
    image,
    *,
    alt: str = "",
    width: int = 320,
    sizes: str = CARD_SIZES,
    eager: bool = False,
    css_class: str = "",
):
    """An <img> with srcset from the WebP thumbnails (or the original), width/height and lazy loading."""
    srcset = image.srcset()
    return format_html(
        '<img src="{}"{} width="{}" height="{}" alt="{}" loading="{}" decoding="async"{}{}>',
        image.url_for_width(width),
        format_html(' srcset="{}" sizes="{}"', srcset, sizes) if srcset else "",
        width,
        image.height_for(width),
        alt or image.alt_text,
        "eager" if eager else "lazy",
        mark_safe(' fetchpriority="high"') if eager else "",
        format_html(' class="{}"', css_class) if css_class else "",
    )
