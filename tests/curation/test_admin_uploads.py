"""Pictures uploaded in the admin pass the same checks as the makers' own photos: a motif's
picture (the home page's motif tiles) and a collection's (its page and the home page's hero)
are opened by their content, re-encoded without EXIF, and refused when they hide more."""

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from catalog.models import Collection, Motif
from tests.catalog.imagefiles import (
    gps_exif_jpeg_bytes,
    jpeg_bytes,
    upload,
    zip_polyglot_jpeg_bytes,
)
from tests.curation.conftest import change_form_data

pytestmark = pytest.mark.django_db


def _stored(field) -> bytes:
    with default_storage.open(field.name, "rb") as handle:
        return handle.read()


def test_a_motif_picture_uploaded_in_the_admin_is_stored_without_its_gps_position(admin_client):
    motif = Motif.objects.create(name="Paku", slug="paku")
    url = f"/en/admin/catalog/motif/{motif.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["image"] = upload("paku.jpg", gps_exif_jpeg_bytes())

    assert admin_client.post(url, data).status_code == 302

    motif.refresh_from_db()
    stored = _stored(motif.image)
    assert stored and b"PhoneMaker" not in stored


def test_a_collection_picture_that_hides_an_archive_is_refused_in_the_admin(admin_client):
    collection = Collection.objects.create(title="Seragam Kantor", slug="seragam")
    url = f"/en/admin/catalog/collection/{collection.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["image"] = upload("seragam.jpg", zip_polyglot_jpeg_bytes())

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "more than a photo" in response.content.decode()
    collection.refresh_from_db()
    assert not collection.image


def test_a_huge_collection_picture_is_kept_at_a_size_a_page_can_show(admin_client):
    collection = Collection.objects.create(title="Seragam Kantor", slug="seragam")
    url = f"/en/admin/catalog/collection/{collection.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["image"] = upload("seragam.jpg", jpeg_bytes(4800, 2400))

    assert admin_client.post(url, data).status_code == 302

    collection.refresh_from_db()
    with default_storage.open(collection.image.name, "rb") as handle, Image.open(handle) as image:
        assert max(image.size) == 2000
