"""An encrypted PDF, whatever its kind (RC4 with an empty password, AES-256, which pypdf
cannot even open without a library we do not install), is a clear "krypteret PDF" error on
the upload page, not a server error."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from agreements.models import Agreement
from agreements.reading import UnreadableFile, read_agreement_file
from tests.agreements.pdfs import pages

pytestmark = pytest.mark.django_db

TEXT = b"BT /F1 12 Tf 72 700 Td (Regionerne udarbejder et oplaeg primo 2027.) Tj ET"


def rc4() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pages(TEXT))))
    writer.encrypt("", "ejer", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def aes_256() -> bytes:
    """The encryption dictionary of AES-256 (revision 6); its keys need not be right for
    the reader to see what it is."""
    encrypt = (
        b"<< /Filter /Standard /V 5 /R 6 /Length 256 /P -4 "
        b"/CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> "
        b"/StmF /StdCF /StrF /StdCF "
        b"/O <" + b"11" * 48 + b"> /U <" + b"22" * 48 + b"> "
        b"/OE <" + b"33" * 32 + b"> /UE <" + b"44" * 32 + b"> /Perms <" + b"55" * 16 + b"> >>"
    )
    trailer = b"/Encrypt 6 0 R /ID [<" + b"66" * 16 + b"> <" + b"66" * 16 + b">]"
    return pages(TEXT, trailer=trailer, more=(encrypt,))


@pytest.mark.parametrize("content", [rc4(), aes_256()], ids=["rc4", "aes-256"])
def test_an_encrypted_pdf_is_refused_as_encrypted(content):
    with pytest.raises(UnreadableFile, match="krypteret PDF"):
        read_agreement_file("aftale.pdf", content)


def test_an_encrypted_pdf_is_a_form_error_on_the_upload_page(client, secretariat_member):
    client.force_login(secretariat_member)
    data = {"title": "Aftale om Kræftplan VI", "short_name": "Kræftplan VI", "year": 2026,
            "date_note": "Ingen dato i teksten",
            "file": SimpleUploadedFile("aftale.pdf", aes_256())}  # fmt: skip
    response = client.post(reverse("agreements:upload"), data)
    assert response.status_code == 200
    assert "krypteret PDF" in response.content.decode()
    assert not Agreement.objects.filter(short_name="Kræftplan VI").exists()
