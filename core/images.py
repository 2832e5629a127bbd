"""Checking uploaded photos by their content, and re-encoding them before anything is stored.

The one upload pipeline: every image a person uploads (product photos, shop photos and banners,
review photos, progress photos, transfer proofs, the admin's motif and collection pictures) is
checked by `open_checked`, and most are re-encoded by `validate_and_reencode` (product photos
keep their format and get thumbnails in `catalog.images`, from the same checked image). It
trusts nothing the browser says (name, content type): it opens the bytes with Pillow, allows only
JPEG, PNG and WebP, refuses decompression bombs, truncated files and files with data hidden
after the image, then draws the pixels into a fresh file. The new file
carries no EXIF (so no GPS position of a maker's home), has its orientation applied, and is a
JPEG (or a WebP when the picture has transparency). It never writes to storage: the caller saves
the returned `ContentFile` through a model field, so S3 works unchanged.
"""

import struct
import uuid
import warnings
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_QUALITY = 85
WEBP_QUALITY = 85

# Pillow's own guard warns at MAX_IMAGE_PIXELS and only fails at twice that; lower it for the
# whole process, and open_checked() also turns the warning into an error.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

# Bytes allowed after an image's end marker: some cameras pad files with zeros.
_PADDING = b"\x00\r\n\t "


@dataclass(frozen=True)
class CheckedImage:
    """An upload that passed every check: decoded, turned upright, with its original format
    and colour profile (the only metadata worth keeping)."""

    image: Image.Image
    format: str
    icc_profile: bytes | None
    original_mode: str


def read_upload(uploaded_file, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The upload's bytes, refused before reading when it is declared too large."""
    return _read_limited(uploaded_file, max_bytes)


def open_checked(data: bytes, *, max_pixels: int = MAX_PIXELS) -> CheckedImage:
    """Check an image's bytes by their content; raise ValidationError with a message the
    uploader can act on (codes in brackets): not a JPEG, PNG or WebP by content, e.g. a GIF, an
    SVG or a text file named .jpg [invalid_type]; more than `max_pixels` pixels
    [too_many_pixels]; cut off [truncated]; anything before or after the image, i.e. a file
    that is also something else (JPEG + ZIP or HTML) [polyglot]."""
    image = _open(data, max_pixels)
    image_format = image.format
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            icc_profile = image.info.get("icc_profile")
            original_mode = image.mode
            upright = ImageOps.exif_transpose(image)
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(max_pixels) from error
    except (OSError, SyntaxError, ValueError, struct.error, EOFError) as error:
        raise _damaged() from error
    # Only after a full decode: a cut-off file is "damaged", not "more than a photo".
    _refuse_trailing_data(data, image_format)
    return CheckedImage(
        image=upright, format=image_format, icc_profile=icc_profile, original_mode=original_mode
    )


def validate_and_reencode(
    uploaded_file, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS
) -> ContentFile:
    """Return a clean re-encoded copy of an uploaded JPEG/PNG/WebP, or raise ValidationError.

    `uploaded_file` is any file object (Django's UploadedFile, an open file, a ContentFile);
    larger than `max_bytes` is refused [too_large], then `open_checked` decides. The returned
    file is named `<random>.jpg` (or `.webp`), has no EXIF, and has its EXIF orientation
    applied to the pixels.
    """
    checked = open_checked(read_upload(uploaded_file, max_bytes=max_bytes), max_pixels=max_pixels)
    return _encode(checked.image)


def encode(image: Image.Image) -> ContentFile:
    """Draw pixels made here (e.g. a PDF's rendered page) into a clean JPEG or WebP."""
    return _encode(image)


def fit_within(content: ContentFile, *, max_side: int) -> ContentFile:
    """Shrink an image returned by `validate_and_reencode` so its longest side is `max_side`."""
    content.seek(0)
    with Image.open(content) as image:
        image.load()
        if max(image.size) <= max_side:
            content.seek(0)
            return content
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        return _encode(image)


def reencoded_upload(value, *, max_side: int):
    """A form's image field value as it is kept: a new upload checked, re-encoded without EXIF
    and shrunk to `max_side`; a file already stored, or none, as it is (for `clean_<field>`)."""
    if isinstance(value, UploadedFile):
        return fit_within(validate_and_reencode(value), max_side=max_side)
    return value


def _read_limited(uploaded_file, max_bytes: int) -> bytes:
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(size, max_bytes)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    if not data:
        raise ValidationError(_("The file is empty."), code="invalid_type")
    return data


def _open(data: bytes, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data), formats=ALLOWED_FORMATS)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise _too_many_pixels(max_pixels) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("Upload a photo in JPEG, PNG or WebP format. This file is not one of those."),
            code="invalid_type",
        ) from error
    width, height = image.size
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels)
    return image


def _jpeg_end(data: bytes) -> int | None:
    """Offset just past the End Of Image marker, walking the JPEG's segments (a marker glued on
    after other data does not count)."""
    if not data.startswith(b"\xff\xd8"):
        return None
    position = 2
    length = len(data)
    while position + 2 <= length:
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:
            return position + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            position += 2
            continue
        if position + 4 > length:
            return None
        (segment_length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + segment_length
        if marker == 0xDA:
            # Entropy-coded data follows the scan header: jump to the next real marker
            # (0xFF00 is a stuffed byte and 0xFFD0-D7 are restart markers inside the scan).
            while True:
                position = data.find(b"\xff", position)
                if position < 0 or position + 1 >= length:
                    return None
                following = data[position + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    position += 2
                    continue
                break
    return None


def _png_end(data: bytes) -> int | None:
    """Offset just past the IEND chunk, walking the chunks."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    position = 8
    while position + 12 <= len(data):
        (chunk_length,) = struct.unpack(">I", data[position : position + 4])
        chunk_type = data[position + 4 : position + 8]
        position += 12 + chunk_length
        if chunk_type == b"IEND":
            return position
    return None


def _webp_end(data: bytes) -> int | None:
    """Offset just past the RIFF container, as its header declares."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    (riff_size,) = struct.unpack("<I", data[4:8])
    return 8 + riff_size + (riff_size & 1)


_END_FINDERS = {"JPEG": _jpeg_end, "MPO": _jpeg_end, "PNG": _png_end, "WEBP": _webp_end}


def _refuse_trailing_data(data: bytes, image_format: str | None) -> None:
    """Refuse files that go on after the image ends: a polyglot (e.g. JPEG + ZIP or HTML)."""
    finder = _END_FINDERS.get(image_format or "")
    end = finder(data) if finder else None
    if end is None or end > len(data):
        raise _damaged()
    # A few cameras pad files with zero bytes or whitespace; that is harmless. Anything else is not.
    if data[end:].strip(_PADDING):
        raise ValidationError(
            _(
                "This file contains more than a photo (extra data after the image), "
                "so it cannot be accepted. Please export the photo again and upload that."
            ),
            code="polyglot",
        )


def _damaged() -> ValidationError:
    return ValidationError(
        _("This image file is damaged or incomplete. Please upload it again."), code="truncated"
    )


def _encode(image: Image.Image) -> ContentFile:
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    # Only the colour profile goes on: Pillow would carry the upload's comment segment (which
    # can hold HTML) and other metadata into the new file from `info`.
    profile = image.info.get("icc_profile")
    clean = image.convert("RGBA" if has_alpha else "RGB")
    clean.info = {}
    extra = {"icc_profile": profile} if profile else {}
    output = BytesIO()
    if has_alpha:
        clean.save(output, format="WEBP", quality=WEBP_QUALITY, method=4, **extra)
        extension = "webp"
    else:
        clean.save(
            output, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, **extra
        )
        extension = "jpg"
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


def _too_large(size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("This file is %(size)s; photos may be at most %(limit)s."),
        code="too_large",
        params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
    )


def _too_many_pixels(limit: int) -> ValidationError:
    return ValidationError(
        _("This photo has too many pixels; at most %(megapixels)s megapixels are allowed."),
        code="too_many_pixels",
        params={"megapixels": limit // 1_000_000},
    )
