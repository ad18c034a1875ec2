"""What a file brings that the database cannot hold is made safe on the way in: control
characters (a NUL, which PostgreSQL refuses) are taken out of the text, from a text file
and from a PDF's text layer, and a file name longer than its field is shortened, its
suffix kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import Agreement
from tests.agreements.pdfs import pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(client, secretariat_member, regions):
    client.force_login(secretariat_member)

    def post(file):
        data = {"title": "Aftale om Kræftplan VI", "short_name": "Kræftplan VI", "year": 2026,
                "date_note": "Ingen dato i teksten", "parties": [regions.pk],
                "file": file}  # fmt: skip
        return client.post(reverse("agreements:upload"), data)

    return post


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("aftale.txt", "Regionerne udarbejder\x00 et oplæg\x0b primo 2027.\n".encode()),
        ("aftale.pdf", pages(b"BT /F1 12 Tf 72 700 Td (Regionerne\\000 skal primo 2027.) Tj ET")),
    ],
)
def test_control_characters_are_taken_out_of_an_uploaded_text(upload, name, content):
    response = upload(SimpleUploadedFile(name, content))
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = Agreement.objects.get(short_name="Kræftplan VI")
    assert "\x00" not in agreement.source_text
    assert "\x0b" not in agreement.source_text
    assert "primo 2027" in agreement.source_text


def test_a_file_name_longer_than_its_field_is_shortened_with_its_suffix(upload):
    name = "aftale-" + "x" * 240 + ".txt"
    response = upload(SimpleUploadedFile(name, b"Regionerne skal primo 2027.\n"))
    assert response.status_code == 302
    stored = Agreement.objects.get(short_name="Kræftplan VI").source_file
    limit = Agreement._meta.get_field("source_file").max_length
    assert len(stored) <= limit
    assert stored.startswith("aftale-xxx")
    assert stored.endswith(".txt")
