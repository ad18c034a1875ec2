"""Reading agreement files: plain text, a PDF's text layer, a saved web page's main text,
or a Word document's paragraphs and tables.

Whatever the format, the result is plain text with one block per line: a heading, a
paragraph, a list item (as "• …"), a table row (cells joined by " | "). The finder reads
the lines: a bullet is a clause of its own, and a heading can date the bullets below it.
"""

import copy
import io
import logging
import signal
import struct
import sys
import threading
import time
import zipfile
import zlib
from contextlib import contextmanager

from django.conf import settings
from pypdf import PdfReader
from pypdf.errors import DependencyError, LimitReachedError, PyPdfError

from common.validation import clean_text

logger = logging.getLogger(__name__)

# An agreement is a few hundred thousand characters; more than this is not one.
MAX_TEXT_CHARS = 3_000_000
MAX_PAGES = 2_000
# Seconds a file may take to read; a page or a document that takes longer (a drawing made
# to be slow) is an error, not a worker hung for minutes.
MAX_READ_SECONDS = 30
# What a malformed or hostile PDF makes pypdf raise besides its own errors.
_BROKEN_PDF = (
    *(PyPdfError, ValueError, OSError, KeyError, IndexError, TypeError, AttributeError),
    *(AssertionError, RecursionError, zlib.error, struct.error),
)


class UnreadableFile(ValueError):
    pass


class TooSlow(UnreadableFile):
    pass


SUFFIXES = (".txt", ".pdf", ".html", ".htm", ".docx")
BULLET = "• "


def check_file_size(size: int) -> None:
    """A file over IMPORT_MAX_BYTES is refused before it is read."""
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise UnreadableFile(
            f"Filen er for stor ({size / 1e6:.1f} MB); højst {limit / 1e6:.1f} MB."
        )


def stored_name(name: str, max_length: int) -> str:
    """An uploaded file's name as kept with the agreement: its last path part, without
    control characters, shortened to the field's length with its suffix kept."""
    name = clean_text(name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if len(name) <= max_length:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 10:
        return name[:max_length]
    return stem[: max_length - len(suffix) - 2] + "…." + suffix


def check_text_length(text: str) -> str:
    """The one limit on an agreement's text, whatever it was read from."""
    _check_length(len(text))
    return text


def _check_length(length: int) -> None:
    if length > MAX_TEXT_CHARS:
        raise UnreadableFile(
            f"Aftalens tekst er for lang til at være en aftale (over {MAX_TEXT_CHARS:,} "
            "tegn).".replace(",", ".")
        )


def read_agreement_file(name: str, data: bytes) -> str:
    """The text of an uploaded agreement: .txt in UTF-8, .pdf with a text layer, a saved
    web page (.html) or a Word document (.docx); within the size, length and time limits,
    and without control characters (a NUL cannot be stored, and they mean nothing)."""
    check_file_size(len(data))
    with time_limit(MAX_READ_SECONDS):
        text = _read(name, data)
    return check_text_length(clean_text(text))


@contextmanager
def time_limit(seconds: float):
    """Stops the block with TooSlow once it has run for the given seconds. An alarm can
    only interrupt the main thread (a command, a sync web worker, a Celery process); in
    another thread the readers' own checks between pages stop a slow document."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise _Alarm

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        yield
    except _Alarm:
        raise TooSlow(_TOO_SLOW) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Alarm(BaseException):
    """Not an Exception: the readers' own `except Exception` must not swallow it."""


_TOO_SLOW = (
    "Filen tager for lang tid at læse (den kan være lavet til at lægge serveren ned); den er "
    "ikke indlæst."
)


def _read(name: str, data: bytes) -> str:
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


class TooLargeUnpacked(ValueError):
    pass


def check_unpacked(source, limit: int) -> None:
    """Raises TooLargeUnpacked if a zip file (a .docx, an .xlsx) unpacks to more than the
    limit: a file that is small packed may unpack to gigabytes (a "zip bomb"). Every member
    is unpacked through a count that stops at the limit, whatever sizes the zip declares
    (it may declare 1,000 bytes and hold gigabytes); nothing is kept."""
    total = 0
    with zipfile.ZipFile(source) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            if info.file_size > limit - total:
                raise TooLargeUnpacked(info.filename)
            # Read as if it could hold anything, so that the declared size does not end the
            # count: it ends where the packed data does, or at the limit.
            unbounded = copy.copy(info)
            unbounded.file_size = sys.maxsize
            with archive.open(unbounded) as member:
                while chunk := member.read(1 << 16):
                    total += len(chunk)
                    if total > limit:
                        raise TooLargeUnpacked(info.filename)


def _word_text(data: bytes) -> str:
    """The paragraphs and tables of a Word document, in their order; list paragraphs as
    bullets."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from lxml import etree

    try:
        check_unpacked(io.BytesIO(data), settings.IMPORT_MAX_BYTES)
    except TooLargeUnpacked:
        raise UnreadableFile(
            "Word-dokumentet udpakker til mere, end det må (det kan være lavet til at "
            "lægge serveren ned); det er ikke indlæst."
        ) from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError):
        raise UnreadableFile("Filen kan ikke læses som Word-dokument (.docx).") from None
    try:
        document = Document(io.BytesIO(data))
        # The names of the list styles, looked up once: a style lookup per paragraph
        # scans the styles part every time (100k short paragraphs took minutes).
        paragraph_styles = [
            style for style in document.styles if style.type == WD_STYLE_TYPE.PARAGRAPH
        ]
        style_ids = {style.style_id for style in paragraph_styles}
        list_styles = {
            style.style_id
            for style in paragraph_styles
            if style.name and style.name.startswith("List")
        }
        default_is_list = bool(
            (default := document.styles.default(WD_STYLE_TYPE.PARAGRAPH)) is not None
            and default.name
            and default.name.startswith("List")
        )
        lines = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    # A merged cell is listed once per grid column it spans.
                    cells = {id(c._tc): " ".join(c.text.split()) for c in row.cells}
                    lines.append(" | ".join(text for text in cells.values() if text))
            elif text := " ".join(block.text.split()):
                style_id = block._p.style
                styled = style_id in list_styles or (style_id not in style_ids and default_is_list)
                is_item = styled or (block._p.pPr is not None and block._p.pPr.numPr is not None)
                lines.append(BULLET + text if is_item else text)
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, etree.LxmlError):
        raise UnreadableFile("Filen kan ikke læses som Word-dokument (.docx).") from None
    text = "\n".join(line for line in lines if line)
    if not text.strip():
        raise UnreadableFile("Word-dokumentet har ingen tekst.")
    return check_text_length(text)


def _pdf_text(data: bytes) -> str:
    """The text layer of a PDF, within limits: pypdf's own on decompression (a small
    "bomb" that inflates to gigabytes stops at its limit) and ours on pages and text."""
    deadline = time.monotonic() + MAX_READ_SECONDS
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Whatever the kind (RC4, AES, an empty password or none): pypdf cannot read
            # AES without a library we do not install, and an agreement is not encrypted.
            raise UnreadableFile(
                "PDF-filen er en krypteret PDF (beskyttet med adgangskode eller kryptering); "
                "gem den uden kryptering, og indlæs den igen."
            )
        if len(reader.pages) > MAX_PAGES:
            raise UnreadableFile(f"PDF-filen har over {MAX_PAGES} sider; det er ikke en aftale.")
        parts, size = [], 0
        for page in reader.pages:
            if time.monotonic() > deadline:
                raise TooSlow(_TOO_SLOW)
            part = page.extract_text() or ""
            size += len(part)
            _check_length(size)
            parts.append(part)
    except UnreadableFile:
        raise
    except DependencyError:
        raise UnreadableFile("PDF-filen er en krypteret PDF; gem den uden kryptering.") from None
    except LimitReachedError:
        raise UnreadableFile(
            "PDF-filen udpakker til mere, end den må (den kan være lavet til at lægge "
            "serveren ned); den er ikke indlæst."
        ) from None
    except _BROKEN_PDF as error:
        logger.info("An uploaded PDF could not be read: %r", error)
        raise UnreadableFile("Filen kan ikke læses som PDF.") from None
    return "\n".join(parts)
