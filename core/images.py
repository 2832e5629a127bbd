"""Checking uploaded photos by their content, and re-encoding them before anything is stored.

Every image a person uploads (shop photos and banners, product photos) goes through
`validate_and_reencode`. It trusts nothing the browser says (name, content type): it opens the
bytes with Pillow, allows only JPEG, PNG and WebP, refuses decompression bombs, truncated files
and files with data hidden after the image, then draws the pixels into a fresh file. The new file
carries no EXIF (so no GPS position of a maker's home), has its orientation applied, and is a
JPEG (or a WebP when the picture has transparency). It never writes to storage: the caller saves
the returned `ContentFile` through a model field, so S3 works unchanged.
"""

import uuid
import warnings
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
JPEG_QUALITY = 85
WEBP_QUALITY = 85

# Bytes allowed after an image's end marker: some cameras pad files with zeros.
_PADDING = b"\x00\r\n\t "


def validate_and_reencode(
    uploaded_file, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS
) -> ContentFile:
    """Return a clean re-encoded copy of an uploaded JPEG/PNG/WebP, or raise ValidationError.

    `uploaded_file` is any file object (Django's UploadedFile, an open file, a ContentFile).
    Rejections, each with a message the uploader can act on (codes in brackets): larger than
    `max_bytes` [too_large]; not a JPEG, PNG or WebP by content, e.g. a GIF, an SVG or a text
    file named .jpg [invalid_type]; more than `max_pixels` pixels [too_many_pixels]; cut off
    [truncated]; extra data after the image, i.e. a file that is also something else
    [polyglot]. The returned file is named `<random>.jpg` (or `.webp`), has no EXIF, and has
    its EXIF orientation applied to the pixels.
    """
    data = _read_limited(uploaded_file, max_bytes)
    image = _open(data, max_pixels)
    image_format = image.format
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            image = ImageOps.exif_transpose(image)
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(max_pixels) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("This image file is damaged or incomplete. Please upload it again."),
            code="truncated",
        ) from error
    # Only after a full decode: a cut-off file is "damaged", not "more than a photo".
    _refuse_trailing_data(data, image_format)
    return _encode(image)


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


def _refuse_trailing_data(data: bytes, image_format: str | None) -> None:
    """Refuse files that go on after the image ends: a polyglot (e.g. JPEG + ZIP or HTML)."""
    body = data.rstrip(_PADDING)
    if image_format in ("JPEG", "MPO"):
        ends_cleanly = body.endswith(b"\xff\xd9")
    elif image_format == "PNG":
        ends_cleanly = body.endswith(b"IEND\xaeB`\x82")
    elif image_format == "WEBP":
        riff_size = int.from_bytes(data[4:8], "little")
        ends_cleanly = riff_size + 8 + (riff_size % 2) >= len(body)
    else:
        ends_cleanly = False
    if not ends_cleanly:
        raise ValidationError(
            _(
                "This file contains more than a photo (extra data after the image), "
                "so it cannot be accepted. Please export the photo again and upload that."
            ),
            code="polyglot",
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
