"""A .docx or .xlsx is a zip, and a zip may state that a member unpacks to 1,000 bytes while
it holds far more: the member is counted as it unpacks and refused at the limit, whatever
its header says."""

import io
import struct
import zipfile

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import Workbook

from agreements.export import FIELDS
from agreements.reading import UnreadableFile, read_agreement_file

pytestmark = pytest.mark.django_db

# 2 MB of spaces packs to a few kB; the header says 1,000 bytes.
REAL_SIZE, STATED_SIZE = 2_000_003, 1_000


def understated(data: bytes, member: str) -> bytes:
    """The zip with `member` padded to REAL_SIZE bytes, its headers stating STATED_SIZE."""
    original = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in original.namelist():
            content = original.read(name)
            if name == member:
                content += b" " * (REAL_SIZE - len(content))
            target.writestr(name, content)
    packed = out.getvalue()
    real = struct.pack("<I", REAL_SIZE)
    assert packed.count(real) == 2  # the local header and the central directory
    return packed.replace(real, struct.pack("<I", STATED_SIZE))


def word_file() -> bytes:
    document = Document()
    document.add_paragraph("Regionerne udarbejder et oplæg primo 2027.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_file_that_understates_its_size_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 1_000_000
    content = understated(word_file(), "word/document.xml")
    assert len(content) < 100_000
    assert zipfile.ZipFile(io.BytesIO(content)).getinfo("word/document.xml").file_size == 1_000
    with pytest.raises(UnreadableFile, match="udpakker til mere, end det må"):
        read_agreement_file("aftale.docx", content)


def test_a_workbook_that_understates_its_size_is_not_imported(tmp_path, obligation, settings):
    settings.IMPORT_MAX_BYTES = 1_000_000
    book = Workbook()
    book.active.append(FIELDS)
    out = io.BytesIO()
    book.save(out)
    path = tmp_path / "forpligtelser.xlsx"
    path.write_bytes(understated(out.getvalue(), "xl/worksheets/sheet1.xml"))
    with pytest.raises(CommandError, match="unpacks to more than"):
        call_command("import_obligations", str(path), stdout=io.StringIO())
