"""The home page's hero: the picture of the first collection that has one."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Collection, CollectionItem
from catalog.services import save_collection
from core.images import validate_and_reencode
from tests.catalog.imagefiles import jpeg_bytes
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def _collection(slug: str, *, position: int, with_picture: bool) -> Collection:
    collection = Collection(
        title=slug.replace("-", " ").title(), slug=slug, is_published=True, position=position
    )
    if with_picture:
        upload = SimpleUploadedFile(f"{slug}.jpg", jpeg_bytes(960, 480), "image/jpeg")
        collection.image = validate_and_reencode(upload)
    save_collection(collection=collection)
    CollectionItem.objects.create(collection=collection, product=make_product())
    return collection


def _hero(html: str) -> str:
    match = re.search(r'<section class="hero">.*?</section>', html, re.S)
    assert match, "no hero on the home page"
    return match.group(0)


def test_the_hero_shows_the_first_collection_with_a_picture(client):
    # given a first collection without a picture, then two with one
    _collection("tanpa-gambar", position=0, with_picture=False)
    second = _collection("motif-paku", position=1, with_picture=True)
    _collection("seragam-kantor", position=2, with_picture=True)

    # when a visitor opens the home page
    hero = _hero(client.get("/").content.decode())

    # then the hero shows the picture of the first collection that has one, linked to it
    assert f'src="{second.image.url}"' in hero
    assert f'href="{second.get_absolute_url()}"' in hero
    assert "Koleksi: Motif Paku" in hero
    assert hero.count("<img") == 1


def test_without_collection_pictures_the_hero_is_words_only(client):
    _collection("motif-paku", position=0, with_picture=False)

    hero = _hero(client.get("/").content.decode())

    assert "<img" not in hero
    assert "Batik dari para pembatik Kutai Timur" in hero
