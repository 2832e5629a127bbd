"""Product photos: checked by the one upload pipeline (`core.images`), re-encoded in their own
format (a PNG stays a PNG), with WebP thumbnails for the catalog's cards.

What is stored is a fresh encoding without EXIF (so no GPS position of the maker's house), turned
the right way up, with only its colour profile kept.
"""

import io
import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from core.images import MAX_BYTES, MAX_PIXELS, open_checked, read_upload

THUMBNAIL_WIDTHS = (320, 640, 1024)
UPLOAD_FOLDER = "products"
THUMBNAIL_FOLDER = "products/thumbs"

_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


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
    """Check an uploaded photo (`core.images.open_checked`) and return it re-encoded with its
    thumbnails. Raises ValidationError with a message the maker can act on; stores nothing."""
    checked = open_checked(read_upload(uploaded_file, max_bytes=max_bytes), max_pixels=max_pixels)
    clean = _flatten_for(checked.image, checked.format)
    # A CMYK or grey profile would describe the converted pixels wrongly.
    icc_profile = checked.icc_profile if checked.original_mode in ("RGB", "RGBA") else None
    processed = ProcessedImage(
        content=_encode(clean, checked.format, icc_profile),
        extension=_EXTENSIONS[checked.format],
        width=clean.width,
        height=clean.height,
    )
    for thumb_width in thumbnail_widths:
        if thumb_width <= clean.width:  # never upscale
            processed.thumbnails[thumb_width] = _thumbnail(clean, thumb_width)
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
