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


def test_the_demo_has_english_versions_of_terms_stories_collections_and_listings():
    from catalog.models import Collection, Colour, Fabric, Motif, ProductType, Technique

    call_command("seed_demo", stdout=io.StringIO())
    for model in (Motif, Technique, Fabric, ProductType, Colour):
        assert not model.objects.filter(name_en="").exists(), model
    assert not Motif.objects.filter(story_en="").exists()
    assert not Collection.objects.filter(title_en="").exists()
    assert not Collection.objects.filter(description_en="").exists()
    assert not Product.objects.filter(title_en="").exists()
    assert not Product.objects.filter(description_en="").exists()
