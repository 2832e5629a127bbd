"""Uploaded photos are checked by content with Pillow and re-encoded; bad files are refused."""

import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from core.images import fit_within, validate_and_reencode


def _jpeg(size=(64, 48), colour=(150, 80, 20), **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG", **save_options)
    return buffer.getvalue()


def _upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _rejection(data: bytes, name: str = "photo.jpg", **limits) -> ValidationError:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validate_and_reencode(_upload(data, name), **limits)
    return caught.value


def _message(error: ValidationError) -> str:
    with translation.override("en"):
        return " ".join(error.messages).replace("\xa0", " ")


def test_a_plain_jpeg_is_accepted_and_reencoded():
    result = validate_and_reencode(_upload(_jpeg()))
    assert result.name.endswith(".jpg")
    with Image.open(io.BytesIO(result.read())) as image:
        assert image.format == "JPEG"
        assert image.size == (64, 48)


def test_png_and_webp_are_accepted():
    for image_format in ("PNG", "WEBP"):
        buffer = io.BytesIO()
        Image.new("RGB", (20, 20), "navy").save(buffer, format=image_format)
        assert validate_and_reencode(_upload(buffer.getvalue(), f"x.{image_format.lower()}"))


def test_a_transparent_png_becomes_a_webp_that_keeps_transparency():
    buffer = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(buffer, format="PNG")
    result = validate_and_reencode(_upload(buffer.getvalue(), "logo.png"))
    assert result.name.endswith(".webp")
    with Image.open(io.BytesIO(result.read())) as image:
        assert image.mode == "RGBA"


def test_a_100_megapixel_png_of_a_few_kilobytes_is_refused():
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, format="PNG", optimize=True)
    data = buffer.getvalue()
    assert len(data) < 100_000  # a "bomb": tiny on disk, 100 MP once decoded

    error = _rejection(data, "bomb.png")
    assert error.code == "too_many_pixels"
    assert "too many pixels" in _message(error)
    assert "40 megapixels" in _message(error)


def test_an_image_above_our_own_pixel_cap_is_refused_before_decoding():
    error = _rejection(_jpeg(size=(400, 300)), max_pixels=100_000)
    assert error.code == "too_many_pixels"


def test_a_text_file_named_jpg_is_refused():
    error = _rejection(b"Just some notes, not a photo.\n" * 20, "notes.jpg")
    assert error.code == "invalid_type"
    assert "JPEG, PNG or WebP" in _message(error)


def test_a_truncated_jpeg_is_refused():
    noisy = Image.frombytes("RGB", (300, 300), os.urandom(300 * 300 * 3))
    buffer = io.BytesIO()
    noisy.save(buffer, format="JPEG", quality=95)
    data = buffer.getvalue()

    error = _rejection(data[: len(data) // 2], "cut.jpg")
    assert error.code == "truncated"
    assert "damaged or incomplete" in _message(error)


def test_an_svg_is_refused():
    svg = (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<script>alert(1)</script><rect width="10" height="10"/></svg>'
    )
    error = _rejection(svg, "logo.svg")
    assert error.code == "invalid_type"


def test_a_gif_is_refused():
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, format="GIF")
    error = _rejection(buffer.getvalue(), "anim.gif")
    assert error.code == "invalid_type"
    assert "JPEG, PNG or WebP" in _message(error)


def test_an_11_megabyte_file_is_refused_with_its_size_and_the_limit():
    side = 2000
    noise = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG", compress_level=0)
    data = buffer.getvalue()
    assert len(data) > 11 * 1024 * 1024

    error = _rejection(data, "huge.png")
    assert error.code == "too_large"
    assert "10.0 MB" in _message(error)
    assert "11.4 MB" in _message(error)


def test_a_jpeg_with_a_zip_appended_is_refused_as_a_polyglot():
    error = _rejection(_jpeg() + b"PK\x03\x04" + b"\x00" * 40 + b"payload.html", "x.jpg")
    assert error.code == "polyglot"
    assert "more than a photo" in _message(error)


def test_a_jpeg_with_gps_exif_is_accepted_with_the_gps_gone_and_orientation_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (0.0, 30.0, 0.0)  # near Sangatta
    gps[3] = "E"
    gps[4] = (117.0, 32.0, 0.0)
    data = _jpeg(size=(80, 40), exif=exif)
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(0x8825)  # the upload really carries GPS

    result = validate_and_reencode(_upload(data))
    stored = result.read()

    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif().get_ifd(0x8825)
        assert 0x0112 not in image.getexif()
        assert "exif" not in image.info
        assert image.size == (40, 80)  # turned upright
    assert b"Exif" not in stored[:200]


def test_fit_within_shrinks_large_images_only():
    large = validate_and_reencode(_upload(_jpeg(size=(2000, 1000))))
    with Image.open(fit_within(large, max_side=500)) as image:
        assert image.size == (500, 250)
    small = validate_and_reencode(_upload(_jpeg(size=(200, 100))))
    with Image.open(fit_within(small, max_side=500)) as image:
        assert image.size == (200, 100)


def test_messages_are_translatable_strings():
    error = _rejection(b"not an image", "x.jpg")
    with translation.override("id"):
        assert error.messages[0]  # rendered lazily in the active language


def test_html_glued_after_a_jpeg_is_refused_even_when_it_ends_like_a_jpeg():
    # The end of the image is found by walking the JPEG's segments, not by its last two bytes:
    # a page of HTML followed by a stray end marker is still more than a photo.
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), "#7a3b12").save(photo, format="JPEG")
    error = _rejection(
        photo.getvalue() + b"<html><script>alert(1)</script></html>\xff\xd9", "x.jpg"
    )
    assert error.code == "polyglot"
