"""PDF uploads (a bank's transfer receipt): read as PDF, kept only as images of their pages.

A file that starts with "%PDF-" may still be HTML or carry JavaScript; what the site stores and
shows is never the uploaded bytes but the first pages drawn by PDFium and re-encoded by
`core.images`, so nothing in the document can run in a browser.
"""

import pypdfium2 as pdfium
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image

from .images import encode

MAX_PAGES = 2  # a receipt is one page; a second one shows a continued statement
RENDER_WIDTH = 1240  # pixels: a readable A4 page


def is_pdf(data: bytes) -> bool:
    return data[:5] == b"%PDF-"


def render_pdf(data: bytes) -> ContentFile:
    """The first pages of a PDF as one image (pages one below the other); refuse non-PDFs."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise ValidationError(
            _("This PDF cannot be read. Upload the receipt as a photo or export the PDF again."),
            code="bad_pdf",
        ) from error
    try:
        if len(document) == 0:
            raise ValidationError(_("This PDF has no pages."), code="bad_pdf")
        pages = []
        for index in range(min(len(document), MAX_PAGES)):
            page = document[index]
            scale = RENDER_WIDTH / max(page.get_width(), 1)
            pages.append(page.render(scale=min(scale, 4)).to_pil().convert("RGB"))
    finally:
        document.close()
    sheet = Image.new("RGB", (max(p.width for p in pages), sum(p.height for p in pages)), "white")
    top = 0
    for picture in pages:
        sheet.paste(picture, (0, top))
        top += picture.height
    return encode(sheet)
