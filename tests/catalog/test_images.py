"""The product photo pipeline with real files: what is refused, and what an accepted photo becomes."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image

from catalog import images, services
from catalog.models import ProductImage
from tests.catalog.imagefiles import (
    BAD_FILES,
    gps_exif_jpeg_bytes,
    jpeg_bytes,
    png_bytes,
    stored_files,
    upload,
    webp_bytes,
)
from tests.factories import make_product


@pytest.mark.parametrize(("name", "make", "content_type", "words"), BAD_FILES)
def test_bad_files_are_refused_with_a_clear_english_message(name, make, content_type, words):
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            images.process_image(upload(name, make(), content_type))
        message = " ".join(refused.value.messages)
    assert words in message
    assert "Traceback" not in message and "PIL" not in message


def test_pillow_cap_is_lowered_for_the_whole_process():
    assert Image.MAX_IMAGE_PIXELS == 40_000_000


def test_a_file_just_over_the_pixel_limit_is_refused_even_below_pillows_error_threshold():
    # 7000 x 6000 = 42 MP: over our 40 MP cap, under Pillow's own 2x error threshold.
    out = io.BytesIO()
    Image.new("1", (7000, 6000)).save(out, "PNG")
    with translation.override("en"), pytest.raises(ValidationError, match="megapixels"):
        images.process_image(upload("big.png", out.getvalue(), "image/png"))


def test_gps_and_exif_are_removed_and_the_photo_is_turned_upright():
    processed = images.process_image(upload("phone.jpg", gps_exif_jpeg_bytes()))

    with Image.open(io.BytesIO(processed.content)) as stored:
        assert stored.format == "JPEG"
        # Orientation 6 applied: the 400x200 landscape is now a 200x400 portrait...
        assert stored.size == (200, 400) == (processed.width, processed.height)
        # ...with the left (red) half on top, as the camera meant.
        top = stored.convert("RGB").getpixel((100, 50))
        bottom = stored.convert("RGB").getpixel((100, 350))
        assert top[0] > 200 and top[2] < 60
        assert bottom[2] > 200 and bottom[0] < 60
        exif = stored.getexif()
        assert ExifTags.Base.Orientation not in exif
        assert ExifTags.Base.Make not in exif
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert "exif" not in stored.info
    assert b"PhoneMaker" not in processed.content


@pytest.mark.parametrize(
    ("make", "extension"), [(jpeg_bytes, "jpg"), (png_bytes, "png"), (webp_bytes, "webp")]
)
def test_jpeg_png_and_webp_are_accepted_and_keep_their_format(make, extension):
    processed = images.process_image(upload(f"photo.{extension}", make()))
    assert processed.extension == extension


def test_transparent_png_keeps_its_transparency():
    processed = images.process_image(upload("cut-out.png", png_bytes(400, 300, mode="RGBA")))
    with Image.open(io.BytesIO(processed.content)) as stored:
        assert stored.mode == "RGBA"


@pytest.mark.django_db
def test_thumbnails_are_stored_as_webp_at_each_width_without_upscaling(media_root):
    product = make_product()
    (wide, narrow) = services.add_product_images(
        shop=product.shop,
        product=product,
        files=[
            upload("wide.jpg", jpeg_bytes(2000, 1000)),
            upload("narrow.jpg", jpeg_bytes(500, 500)),
        ],
    )

    assert (wide.width, wide.height) == (2000, 1000)
    assert sorted(wide.thumbnails, key=int) == ["320", "640", "1024"]
    for width, name in wide.thumbnails.items():
        assert default_storage.exists(name)
        with default_storage.open(name, "rb") as handle, Image.open(handle) as thumb:
            assert thumb.format == "WEBP"
            assert thumb.size == (int(width), int(width) // 2)
    # A 500 px photo is never blown up: only the 320 px thumbnail is made.
    assert list(narrow.thumbnails) == ["320"]
    assert (narrow.width, narrow.height) == (500, 500)
    stored = stored_files(media_root)
    assert len(stored) == 2 + 3 + 1
    assert all(name.startswith("products/") for name in stored)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "make", "content_type", "words"), BAD_FILES)
def test_a_refused_file_stores_nothing(media_root, name, make, content_type, words):
    product = make_product()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.add_product_images(
            shop=product.shop,
            product=product,
            files=[upload("good.jpg", jpeg_bytes()), upload(name, make(), content_type)],
        )
    assert name in " ".join(refused.value.messages)
    assert not ProductImage.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_files_saved_before_a_database_failure_are_removed(media_root, monkeypatch):
    product = make_product()

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ProductImage.objects, "create", fail)
    with pytest.raises(RuntimeError):
        services.add_product_images(
            shop=product.shop, product=product, files=[upload("good.jpg", jpeg_bytes())]
        )
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_demo_photos_go_through_the_pipeline_and_have_thumbnails():
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    pictures = list(ProductImage.objects.all())
    assert pictures
    for picture in pictures:
        assert sorted(picture.thumbnails, key=int) == ["320", "640"]  # drawn at 640 px
        assert picture.alt_text
        assert default_storage.exists(picture.thumbnails["320"])
    assert ProductImage.objects.filter(is_primary=True).count() == len(pictures) // 2


def test_a_jpeg_comment_is_not_kept_in_the_product_photo():
    # A JPEG's comment segment can hold HTML; the comment said "comments are dropped" but Pillow
    # carried it over from the upload's info.
    upload = io.BytesIO()
    Image.new("RGB", (800, 600), "#5b2c12").save(
        upload, format="JPEG", comment=b"<script>x</script>"
    )
    processed = images.process_image(SimpleUploadedFile("kain.jpg", upload.getvalue()))
    assert b"<script>" not in processed.content
    assert "comment" not in Image.open(io.BytesIO(processed.content)).info
