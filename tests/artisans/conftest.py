import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.models import Motif, Technique


def jpeg_upload(name: str = "photo.jpg", size=(120, 90)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 60, 20)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hashing every factory user's password with PBKDF2 makes these tests slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def motif():
    return Motif.objects.create(name="Paku", slug="paku")


@pytest.fixture
def technique():
    return Technique.objects.create(name="Tulis", slug="tulis")


@pytest.fixture
def application(motif, technique):
    """A valid application form submission."""
    return {
        "name": "Batik Daun Singkong",
        "district": "rantau-pulung",
        "address": "Jl. Poros Rantau Pulung No. 7",
        "whatsapp": "0812-5123 4567",
        "story": "Kami membatik motif daun singkong sejak 2015.",
        "motifs": [motif.pk],
        "techniques": [technique.pk],
    }


@pytest.fixture(scope="session")
def broker_env(broker_env):
    """The shared broker_env closes Celery's connection pool for good after pointing it at a
    private folder; with the filesystem broker every later publish then fails with "Acquire on
    closed pool". Drop the closed pools so the next publish opens fresh ones.
    """
    from kombu import pools

    from marketplace.celery import app as celery_app

    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    return broker_env
