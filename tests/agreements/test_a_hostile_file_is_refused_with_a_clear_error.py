"""A file made to break the readers (a PDF "bomb", a broken or hostile workbook, a file too
large) is refused with a clear error, and nothing is saved."""

import io
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from agreements.export import FIELDS
from agreements.models import Agreement, Obligation
from tests.agreements.pdfs import pdf, stream

pytestmark = pytest.mark.django_db


def page_with_font(contents: bytes, font: bytes, *more: bytes) -> bytes:
    return pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(contents),
        font,
        *more,
    )


def bomb() -> bytes:
    """About 200 kB: a font whose character map inflates to 200 MB when the text is read."""
    compressor = zlib.compressobj(9)
    chunk = b" " * 1_000_000
    inflates = b"".join(compressor.compress(chunk) for _ in range(200)) + compressor.flush()
    return page_with_font(
        b"BT /F1 12 Tf (a) Tj ET",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        stream(inflates, b"/Filter /FlateDecode"),
    )


def upload(client, file):
    data = {"title": "Aftale om Kræftplan VI", "short_name": "Kræftplan VI", "year": 2026,
            "date_note": "Ingen dato i teksten", "file": file}  # fmt: skip
    return client.post(reverse("agreements:upload"), data)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bombe.pdf", bomb(), "udpakker til mere, end den må"),
        ("rod.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40, "kan ikke læses som PDF"),
    ],
)
def test_a_hostile_pdf_is_a_form_error_on_the_upload_page(
    client, secretariat_member, name, content, message
):
    client.force_login(secretariat_member)
    response = upload(client, SimpleUploadedFile(name, content))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Aftale om Kræftplan VI" in html  # what was typed is kept
    assert not Agreement.objects.filter(short_name="Kræftplan VI").exists()


def test_a_file_over_the_limit_is_refused_on_the_upload_page(client, secretariat_member, settings):
    settings.IMPORT_MAX_BYTES = 1000
    client.force_login(secretariat_member)
    response = upload(client, SimpleUploadedFile("stor.txt", b"primo 2027 " * 200))
    assert response.status_code == 200
    assert "Filen er for stor" in response.content.decode()
    assert not Agreement.objects.filter(short_name="Kræftplan VI").exists()


def workbook_with(part: str, replace) -> bytes:
    book = Workbook()
    book.active.append(FIELDS)
    out = io.BytesIO()
    book.save(out)
    original = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    changed = io.BytesIO()
    with zipfile.ZipFile(changed, "w", zipfile.ZIP_DEFLATED) as target:
        for name in original.namelist():
            data = original.read(name)
            target.writestr(name, replace(data) if name == part else data)
    return changed.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
ENTITIES = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(workbook_with(SHEET, lambda d: d[: len(d) // 2]), id="cut-off sheet"),
        pytest.param(workbook_with("xl/workbook.xml", lambda d: b"<notxml"), id="broken workbook"),
        pytest.param(
            workbook_with(
                SHEET, lambda d: ENTITIES + d.replace(b"<t>agreement</t>", b"<t>&b;</t>")
            ),
            id="entities",
        ),
        pytest.param(b"PK\x05\x06" + b"\0" * 18, id="empty zip"),
    ],
)
def test_a_broken_workbook_is_a_clear_error_and_changes_nothing(tmp_path, obligation, content):
    path = tmp_path / "forpligtelser.xlsx"
    path.write_bytes(content)
    before = list(Obligation.objects.values_list("pk", "action", "version"))
    with pytest.raises(CommandError, match="cannot be read as xlsx"):
        call_command("import_obligations", str(path), stdout=io.StringIO())
    assert list(Obligation.objects.values_list("pk", "action", "version")) == before


def test_a_file_over_the_limit_is_not_imported(tmp_path, obligation, settings):
    settings.IMPORT_MAX_BYTES = 100
    path = tmp_path / "forpligtelser.csv"
    path.write_text(",".join(FIELDS) + "\n" + "x," * 100, encoding="utf-8")
    with pytest.raises(CommandError, match="more than an import may be"):
        call_command("import_obligations", str(path), stdout=io.StringIO())


def test_a_workbook_that_unpacks_to_more_than_the_limit_is_not_imported(
    tmp_path, obligation, settings
):
    settings.IMPORT_MAX_BYTES = 50_000
    path = tmp_path / "forpligtelser.xlsx"
    path.write_bytes(workbook_with(SHEET, lambda d: d + b" " * 1_000_000))
    assert path.stat().st_size < settings.IMPORT_MAX_BYTES
    with pytest.raises(CommandError, match="unpacks to"):
        call_command("import_obligations", str(path), stdout=io.StringIO())
