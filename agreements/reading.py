"""Reading agreement files: plain text, or a PDF's text layer."""

import io
import logging
import struct
import zlib

from pypdf import PdfReader
from pypdf.errors import LimitReachedError, PyPdfError

logger = logging.getLogger(__name__)

# An agreement is a few hundred thousand characters; more than this is not one.
MAX_TEXT_CHARS = 3_000_000
MAX_PAGES = 2_000
# What a malformed or hostile PDF makes pypdf raise besides its own errors.
_BROKEN_PDF = (
    *(PyPdfError, ValueError, OSError, KeyError, IndexError, TypeError, AttributeError),
    *(AssertionError, RecursionError, zlib.error, struct.error),
)


class UnreadableFile(ValueError):
    pass


def read_agreement_file(name: str, data: bytes) -> str:
    """The text of an uploaded agreement (.txt in UTF-8, or .pdf with a text layer)."""
    lower = name.lower()
    if lower.endswith(".txt"):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UnreadableFile("Tekstfilen er ikke UTF-8; gem den som UTF-8.") from None
    if lower.endswith(".pdf"):
        text = _pdf_text(data)
        if not text.strip():
            raise UnreadableFile(
                "PDF-filen har intet tekstlag (en ren scanning); kør tekstgenkendelse først."
            )
        return text
    raise UnreadableFile("Kun .txt- og .pdf-filer kan indlæses.")


def _pdf_text(data: bytes) -> str:
    """The text layer of a PDF, within limits: pypdf's own on decompression (a small
    "bomb" that inflates to gigabytes stops at its limit) and ours on pages and text."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if len(reader.pages) > MAX_PAGES:
            raise UnreadableFile(f"PDF-filen har over {MAX_PAGES} sider; det er ikke en aftale.")
        parts, size = [], 0
        for page in reader.pages:
            part = page.extract_text() or ""
            size += len(part)
            if size > MAX_TEXT_CHARS:
                raise UnreadableFile("PDF-filens tekst er for lang til at være en aftale.")
            parts.append(part)
    except UnreadableFile:
        raise
    except LimitReachedError:
        raise UnreadableFile(
            "PDF-filen udpakker til mere, end den må (den kan være lavet til at lægge "
            "serveren ned); den er ikke indlæst."
        ) from None
    except _BROKEN_PDF as error:
        logger.info("An uploaded PDF could not be read: %r", error)
        raise UnreadableFile("Filen kan ikke læses som PDF.") from None
    return "\n".join(parts)
