"""Reading agreement files: plain text, a PDF's text layer, a saved web page's main text,
or a Word document's paragraphs and tables.

Whatever the format, the result is plain text with one block per line: a heading, a
paragraph, a list item (as "• …"), a table row (cells joined by " | "). The finder reads
the lines: a bullet is a clause of its own, and a heading can date the bullets below it.
"""

import io
import logging
import struct
import zipfile
import zlib

from django.conf import settings
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


SUFFIXES = (".txt", ".pdf", ".html", ".htm", ".docx")
BULLET = "• "


def read_agreement_file(name: str, data: bytes) -> str:
    """The text of an uploaded agreement: .txt in UTF-8, .pdf with a text layer, a saved
    web page (.html) or a Word document (.docx)."""
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
    if lower.endswith((".html", ".htm")):
        return _web_page_text(data)
    if lower.endswith(".docx"):
        return _word_text(data)
    if lower.endswith((".doc", ".odt", ".rtf")):
        raise UnreadableFile("Gem dokumentet som .docx (Word) eller .pdf, og indlæs det igen.")
    raise UnreadableFile("Kun .txt-, .pdf-, .html- og .docx-filer kan indlæses.")


def _web_page_text(data: bytes) -> str:
    """The main text of a saved web page, without its menus, cookie text and footer, found
    by trafilatura; headings, paragraphs, list items and table rows one per line."""
    # Imported here: trafilatura loads its language data on import.
    import trafilatura
    from lxml import etree

    if not data.strip():
        raise UnreadableFile("Websiden er tom.")
    try:
        xml = trafilatura.extract(
            data,
            output_format="xml",
            include_tables=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            deduplicate=False,
        )
    except (ValueError, TypeError, etree.LxmlError) as error:
        logger.info("An uploaded web page could not be read: %r", error)
        raise UnreadableFile("Filen kan ikke læses som en webside (HTML).") from None
    if not xml:
        raise UnreadableFile(
            "Websiden har ingen hovedtekst, der kan læses (er det den gemte side med "
            "aftalens tekst?)."
        )
    main = etree.fromstring(xml.encode()).find("main")
    lines = list(_xml_lines(main)) if main is not None else []
    text = "\n".join(line for line in lines if line)
    if not text.strip():
        raise UnreadableFile("Websiden har ingen hovedtekst, der kan læses.")
    return text


def _inline(element) -> str:
    """An element's own text and its inline children's, without nested lists."""
    parts = [element.text or ""]
    for child in element:
        if child.tag != "list":
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _xml_lines(element):
    for block in element:
        if block.tag == "list":
            for item in block.iter("item"):
                yield BULLET + _inline(item)
        elif block.tag == "table":
            for row in block.iter("row"):
                yield " | ".join(_inline(cell) for cell in row.iter("cell"))
        else:
            yield _inline(block)


def unpacked_size(source) -> int:
    """What a zip file (a .docx, an .xlsx) says it unpacks to: a file that is small packed
    may unpack to gigabytes (a "zip bomb"). Reading a member stops at its stated size."""
    with zipfile.ZipFile(source) as archive:
        return sum(info.file_size for info in archive.infolist())


def _word_text(data: bytes) -> str:
    """The paragraphs and tables of a Word document, in their order; list paragraphs as
    bullets."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from lxml import etree

    try:
        if unpacked_size(io.BytesIO(data)) > settings.IMPORT_MAX_BYTES:
            raise UnreadableFile(
                "Word-dokumentet udpakker til mere, end det må (det kan være lavet til at "
                "lægge serveren ned); det er ikke indlæst."
            )
        document = Document(io.BytesIO(data))
        lines = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    # A merged cell is listed once per grid column it spans.
                    cells = {id(c._tc): " ".join(c.text.split()) for c in row.cells}
                    lines.append(" | ".join(text for text in cells.values() if text))
            elif text := " ".join(block.text.split()):
                is_item = block.style.name.startswith("List") or (
                    block._p.pPr is not None and block._p.pPr.numPr is not None
                )
                lines.append(BULLET + text if is_item else text)
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, etree.LxmlError):
        raise UnreadableFile("Filen kan ikke læses som Word-dokument (.docx).") from None
    text = "\n".join(line for line in lines if line)
    if not text.strip():
        raise UnreadableFile("Word-dokumentet har ingen tekst.")
    if len(text) > MAX_TEXT_CHARS:
        raise UnreadableFile("Word-dokumentets tekst er for lang til at være en aftale.")
    return text


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
