import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.models import Motif, Technique
from notifications.models import Notification


def jpeg_upload(name: str = "photo.jpg", size=(120, 90)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 60, 20)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


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


def notices_to(*shops) -> int:
    """How many notifications the owners of these shops have."""
    return Notification.objects.filter(recipient__in=[shop.owner for shop in shops]).count()
