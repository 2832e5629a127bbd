import io

import pytest
from django.db import connection
from PIL import Image

from catalog.models import ProductImage

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text and trigram search"
)


def jpeg_bytes(size=(64, 48), colour=(120, 60, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def add_image(product, *, primary=True, position=0, thumbnails=None) -> ProductImage:
    """A real JPEG stored through the storage API, as the listing pipeline would leave it."""
    from django.core.files.base import ContentFile

    image = ProductImage(product=product, is_primary=primary, position=position, alt_text="kain")
    image.image.save(f"p{product.pk}-{position}.jpg", ContentFile(jpeg_bytes()), save=False)
    image.width, image.height = 64, 48
    image.thumbnails = thumbnails or {}
    image.save()
    return image
