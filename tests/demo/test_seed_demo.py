import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from artisans.models import Shop
from catalog.models import Product, ProductImage, ProductOption

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "users": get_user_model().objects.count(),
        "shops": Shop.objects.count(),
        "products": Product.objects.count(),
        "options": ProductOption.objects.count(),
        "images": ProductImage.objects.count(),
    }


def test_seed_demo_twice_leaves_the_same_counts():
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
    assert first["shops"] == 6
    assert 36 <= first["products"] <= 48
    assert Shop.objects.approved().count() == 6
    assert Product.objects.published().count() == first["products"]


def test_demo_images_are_real_jpegs():
    from PIL import Image

    call_command("seed_demo", stdout=io.StringIO())
    image = ProductImage.objects.first()
    with image.image.open("rb") as handle, Image.open(handle) as picture:
        assert picture.format == "JPEG"
        assert picture.size == (image.width, image.height)
