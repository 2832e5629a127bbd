"""Product photos: check an upload by its content, re-encode it clean and make WebP thumbnails.

Nothing here trusts the file name or the browser's content type. A file is accepted only if
Pillow reads it completely as JPEG, PNG or WebP, within the size and pixel limits, with nothing
hidden before or after the image. What is stored is a fresh encoding without EXIF (so no GPS
position of the maker's house), turned the right way up.
"""

import io
import struct
import uuid
import warnings
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
THUMBNAIL_WIDTHS = (320, 640, 1024)
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
UPLOAD_FOLDER = "products"
THUMBNAIL_FOLDER = "products/thumbs"

# Pillow's own guard warns at MAX_IMAGE_PIXELS and only fails at twice that; lower it for the
# whole process, and process_image() also turns the warning into an error.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

ERROR_MESSAGES = {
    "empty": _("The file is empty."),
    "too_big": _("The file is too big (%(size)s). Photos may be at most %(limit)s."),
    "not_image": _("This file is not a photo we can use. Upload a JPEG, PNG or WebP image."),
    "too_many_pixels": _(
        "The photo is too large (%(megapixels)s megapixels). Photos may be at most "
        "%(limit)s megapixels: make it smaller and try again."
    ),
    "damaged": _("The photo is damaged or incomplete. Save it again and try once more."),
    "extra_data": _(
        "The file holds more than a photo. Save it again as a plain JPEG, PNG or WebP image."
    ),
}


@dataclass
class ProcessedImage:
    """A checked photo, re-encoded, with its WebP thumbnails by width (not yet stored)."""

    content: bytes
    extension: str
    width: int
    height: int
    thumbnails: dict[int, tuple[bytes, int, int]] = field(default_factory=dict)


@dataclass
class StoredImage:
    """Storage names of a saved photo and its thumbnails."""

    name: str
    width: int
    height: int
    thumbnails: dict[str, str]

    @property
    def all_names(self) -> list[str]:
        return [self.name, *self.thumbnails.values()]


def _error(code: str, **params) -> ValidationError:
    return ValidationError(ERROR_MESSAGES[code], code=code, params=params or None)


def _read(uploaded_file, max_bytes: int) -> bytes:
    """The file's bytes, refusing before reading when it is declared too big."""
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > max_bytes:
        raise _error("too_big", size=filesizeformat(size), limit=filesizeformat(max_bytes))
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    # Read one byte more than allowed so a file without a trustworthy size is caught too.
    data = uploaded_file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _error("too_big", size=filesizeformat(len(data)), limit=filesizeformat(max_bytes))
    if not data:
        raise _error("empty")
    return data


def _jpeg_end(data: bytes) -> int | None:
    """Offset just past the End Of Image marker, walking the JPEG segments."""
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
    """Offset just past the IEND chunk."""
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


_END_FINDERS = {"JPEG": _jpeg_end, "PNG": _png_end, "WEBP": _webp_end}


def _check_whole_file_is_image(data: bytes, image_format: str) -> None:
    """Refuse polyglots: anything glued after the image (a ZIP, a script, another file)."""
    end = _END_FINDERS[image_format](data)
    if end is None:
        raise _error("damaged")
    # A few cameras pad JPEGs with zero bytes; that is harmless. Anything else is not.
    if end > len(data) or data[end:].strip(b"\x00"):
        raise _error("damaged" if end > len(data) else "extra_data")


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)


def _flatten_for(image: Image.Image, image_format: str) -> Image.Image:
    """The picture in a mode the output format stores: RGB, or RGBA when it is transparent."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if has_alpha and image_format != "JPEG":
        return image if image.mode == "RGBA" else image.convert("RGBA")
    return image if image.mode == "RGB" else image.convert("RGB")


def _encode(image: Image.Image, image_format: str, icc_profile: bytes | None) -> bytes:
    out = io.BytesIO()
    options: dict = {}
    if icc_profile:
        # Keep the colour profile (batik colours matter); EXIF, XMP and comments are dropped.
        options["icc_profile"] = icc_profile
    if image_format == "JPEG":
        options.update(quality=86, optimize=True, progressive=True)
    elif image_format == "PNG":
        options.update(optimize=True)
    else:
        options.update(quality=86, method=2)
    # Pillow writes what `info` still holds (a JPEG's comment, a PNG's text chunks): clear it.
    image.info = {}
    image.save(out, format=image_format, **options)
    return out.getvalue()


def _thumbnail(image: Image.Image, width: int) -> tuple[bytes, int, int]:
    height = max(1, round(image.height * width / image.width))
    small = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    if small.mode not in ("RGB", "RGBA"):
        small = small.convert("RGBA" if "A" in small.mode else "RGB")
    out = io.BytesIO()
    # method 2: half the encoding time of the default for ~1.5 % larger files.
    small.save(out, format="WEBP", quality=80, method=2)
    return out.getvalue(), width, height


def process_image(
    uploaded_file,
    *,
    max_bytes: int = MAX_BYTES,
    max_pixels: int = MAX_PIXELS,
    thumbnail_widths: tuple[int, ...] = THUMBNAIL_WIDTHS,
) -> ProcessedImage:
    """Check an uploaded photo by its content and return it re-encoded with its thumbnails.

    Raises ValidationError with a message the maker can act on; stores nothing.
    """
    data = _read(uploaded_file, max_bytes)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with _open(data) as probe:
                image_format = probe.format
                width, height = probe.size
                if width * height > max_pixels:
                    raise _error(
                        "too_many_pixels",
                        megapixels=round(width * height / 1_000_000),
                        limit=max_pixels // 1_000_000,
                    )
                probe.verify()
            _check_whole_file_is_image(data, image_format)
            # verify() leaves the image unusable: open again and decode every pixel.
            with _open(data) as image:
                image.load()
                icc_profile = image.info.get("icc_profile")
                original_mode = image.mode
                upright = ImageOps.exif_transpose(image)
            clean = _flatten_for(upright, image_format)
            if original_mode not in ("RGB", "RGBA"):
                # A CMYK or grey profile would describe the converted pixels wrongly.
                icc_profile = None
            processed = ProcessedImage(
                content=_encode(clean, image_format, icc_profile),
                extension=_EXTENSIONS[image_format],
                width=clean.width,
                height=clean.height,
            )
            for thumb_width in thumbnail_widths:
                if thumb_width <= clean.width:  # never upscale
                    processed.thumbnails[thumb_width] = _thumbnail(clean, thumb_width)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _error(
                "too_many_pixels",
                megapixels=f"> {max_pixels // 1_000_000}",
                limit=max_pixels // 1_000_000,
            ) from None
        except UnidentifiedImageError:
            raise _error("not_image") from None
        except ValidationError:
            raise
        except (OSError, SyntaxError, ValueError, struct.error, EOFError):
            raise _error("damaged") from None
    return processed


def store_image(processed: ProcessedImage, *, storage=None) -> StoredImage:
    """Save a processed photo and its thumbnails through the storage API; undo on failure."""
    storage = storage or default_storage
    stem = uuid.uuid4().hex
    saved: list[str] = []
    try:
        name = storage.save(
            f"{UPLOAD_FOLDER}/{stem}.{processed.extension}", ContentFile(processed.content)
        )
        saved.append(name)
        thumbnails = {}
        for width, (content, _w, _h) in sorted(processed.thumbnails.items()):
            thumb_name = storage.save(
                f"{THUMBNAIL_FOLDER}/{stem}-{width}.webp", ContentFile(content)
            )
            saved.append(thumb_name)
            thumbnails[str(width)] = thumb_name
    except Exception:
        delete_stored(saved, storage=storage)
        raise
    return StoredImage(
        name=name, width=processed.width, height=processed.height, thumbnails=thumbnails
    )


def delete_stored(names, *, storage=None) -> None:
    """Remove stored files by name; missing ones are fine."""
    storage = storage or default_storage
    for name in names:
        if name:
            storage.delete(name)
