"""The local media storage gives the same URLs as Django's, faster."""

import pytest
from django.core.files.storage import FileSystemStorage, default_storage

from core.storage import MediaStorage


@pytest.mark.parametrize(
    "name",
    [
        "products/kain-paku.jpg",
        "products/thumbs/kain paku biru-320.webp",
        "shops/banners/batik_ñ_ü.png",
        "/products/leading-slash.jpg",
        "products/100%-katun.webp",
    ],
)
@pytest.mark.parametrize("base_url", ["/media/", "https://cdn.batik-kutim.id/media/"])
def test_urls_match_djangos_file_system_storage(name, base_url, tmp_path):
    ours = MediaStorage(location=tmp_path, base_url=base_url)
    django_s = FileSystemStorage(location=tmp_path, base_url=base_url)
    assert ours.url(name) == django_s.url(name)


def test_it_is_the_default_storage_for_local_media():
    assert isinstance(default_storage, MediaStorage)
