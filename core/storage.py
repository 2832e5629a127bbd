"""Local storages: public media with a cheaper url(), and private files with none."""

import os
import re

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.encoding import filepath_to_uri
from whitenoise.storage import CompressedManifestStaticFilesStorage

# The names this storage makes (slugs, digits, dots): quoting leaves them as they are.
_NEEDS_NO_QUOTING = re.compile(r"[A-Za-z0-9/_.~-]*").fullmatch


class MediaStorage(FileSystemStorage):
    """FileSystemStorage whose url() joins by concatenation instead of urljoin().

    The same URL for every name this storage makes (its names are relative paths, checked by
    Django against traversal); urljoin() parsed both halves each time, and a page with 96
    product cards asks for about three hundred thumbnail URLs.
    """

    def url(self, name):
        if self.base_url is None:
            raise ValueError("This file is not accessible via a URL.")
        if not _NEEDS_NO_QUOTING(name):
            name = filepath_to_uri(name)
        return self.base_url + name.lstrip("/")


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's hashed, compressed static files, with each name's URL worked out once.

    The manifest is read at start and does not change while the process runs; every
    `{% static %}` cost a lookup, a URL parse and a join, and each page has several.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force or settings.DEBUG:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = super().url(name)
        return url


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT that have no URL: only a view that checks who asks serves
    them (transfer proofs). Outside MEDIA_ROOT, so no web server or static route reaches them.

    The folder is read from the setting on each use: the model field holds this storage from
    import time, and Django offers no public hook to tell a storage its own setting changed.
    """

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("This file is not accessible via a URL.")
