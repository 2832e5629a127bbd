"""Real image files made in memory for upload tests: good ones, and the nasty ones."""

import io
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

ORIENTATION = 0x0112
ROTATE_90_CLOCKWISE = 6


def jpeg_bytes(width: int = 1200, height: int = 800, *, colour="#5b2c12", exif=None) -> bytes:
    out = io.BytesIO()
    picture = Image.new("RGB", (width, height), colour)
    picture.save(out, "JPEG", quality=85, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def png_bytes(width: int = 600, height: int = 400, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), "navy" if mode == "RGB" else 0).save(out, "PNG")
    return out.getvalue()


def webp_bytes(width: int = 700, height: int = 500) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(out, "WEBP")
    return out.getvalue()


def gps_exif_jpeg_bytes() -> bytes:
    """A 400x200 photo, left half red and right half blue, that the camera says is turned.

    EXIF holds the maker's GPS position and orientation 6 (turn 90° clockwise to view).
    """
    picture = Image.new("RGB", (400, 200), "red")
    picture.paste(Image.new("RGB", (200, 200), "blue"), (200, 0))
    exif = Image.Exif()
    exif[ORIENTATION] = ROTATE_90_CLOCKWISE
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (0.0, 30.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (117.0, 32.0, 10.0)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def bomb_png_bytes() -> bytes:
    """A 10,000 x 10,000 (100 megapixel) PNG of a few kilobytes: a decompression bomb."""
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG", optimize=True)
    return out.getvalue()


def truncated_jpeg_bytes() -> bytes:
    noisy = Image.frombytes("RGB", (300, 300), os.urandom(300 * 300 * 3))
    out = io.BytesIO()
    noisy.save(out, "JPEG", quality=90)
    data = out.getvalue()
    return data[: len(data) // 2]


def svg_bytes() -> bytes:
    return (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
        b'<script>alert(document.cookie)</script><rect width="100" height="100"/></svg>'
    )


def gif_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("P", (120, 80), 3).save(out, "GIF")
    return out.getvalue()


def eleven_megabyte_png_bytes() -> bytes:
    """A real 1950x1950 PNG of noise stored uncompressed: about 11 MB, over the 10 MB limit."""
    noise = Image.frombytes("RGB", (1950, 1950), os.urandom(1950 * 1950 * 3))
    out = io.BytesIO()
    noise.save(out, "PNG", compress_level=0)
    data = out.getvalue()
    assert len(data) > 11 * 1000 * 1000
    return data


def zip_polyglot_jpeg_bytes() -> bytes:
    """A valid JPEG with a ZIP archive glued after its end."""
    return jpeg_bytes(200, 200) + b"PK\x03\x04" + os.urandom(64) + b"PK\x05\x06" + bytes(18)


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# name, bytes maker, content type the browser would claim, English words the message must hold
BAD_FILES = [
    ("bomb.png", bomb_png_bytes, "image/png", "megapixels"),
    (
        "notes.jpg",
        lambda: b"This is a text file, not a photo.\n" * 20,
        "image/jpeg",
        "JPEG, PNG or WebP",
    ),
    ("broken.jpg", truncated_jpeg_bytes, "image/jpeg", "damaged or incomplete"),
    ("logo.svg", svg_bytes, "image/svg+xml", "JPEG, PNG or WebP"),
    ("moving.gif", gif_bytes, "image/gif", "JPEG, PNG or WebP"),
    ("huge.png", eleven_megabyte_png_bytes, "image/png", "may be at most"),
    ("polyglot.jpg", zip_polyglot_jpeg_bytes, "image/jpeg", "more than a photo"),
]


def stored_files(media_root) -> list[str]:
    """Every file under the test's media folder."""
    root = str(media_root)
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
    )
