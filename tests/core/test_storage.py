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
        "products/kain~paku_1.2-320.webp",
        "products/kain's (1)#?.jpg",
    ],
)
@pytest.mark.parametrize("base_url", ["/media/", "https://cdn.batik-kutim.id/media/"])
def test_urls_match_djangos_file_system_storage(name, base_url, tmp_path):
    ours = MediaStorage(location=tmp_path, base_url=base_url)
    django_s = FileSystemStorage(location=tmp_path, base_url=base_url)
    assert ours.url(name) == django_s.url(name)


def test_it_is_the_default_storage_for_local_media():
    assert isinstance(default_storage, MediaStorage)


def _collected(tmp_path, settings):
    """Static files collected by the production storage into tmp_path, as collectstatic does."""
    from django.contrib.staticfiles.management.commands.collectstatic import Command

    from core.storage import StaticStorage

    settings.STATIC_ROOT = str(tmp_path)
    storage = StaticStorage(location=tmp_path)
    command = Command()
    command.set_options(
        interactive=False, verbosity=0, link=False, clear=False, dry_run=False,
        ignore_patterns=[], use_default_ignore_patterns=True, post_process=True,
    )  # fmt: skip
    command.storage = storage
    command.collect()
    return StaticStorage(location=tmp_path)


def test_static_urls_are_the_hashed_names_and_stay_the_same(tmp_path, settings):
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    settings.DEBUG = False
    storage = _collected(tmp_path, settings)
    whitenoise = CompressedManifestStaticFilesStorage(location=tmp_path)

    first = storage.url("css/site.css")
    assert first == whitenoise.url("css/site.css")
    assert first != "/static/css/site.css"  # the content hash is in the name
    assert storage.url("css/site.css") == first
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        storage.url("css/missing.css")
