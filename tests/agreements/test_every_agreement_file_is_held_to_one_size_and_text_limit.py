"""Every agreement file, whatever its format and path (the upload page, the find_candidates
command, the reader), is held to one limit on its size and on its text's length, with a
clear Danish error; the command refuses a file over IMPORT_MAX_BYTES before reading it."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from agreements import reading
from agreements.models import Agreement

pytestmark = pytest.mark.django_db

SENTENCE = "Regionerne udarbejder et oplæg primo 2027. "


def upload(client, file):
    data = {"title": "Aftale om Kræftplan VI", "short_name": "Kræftplan VI", "year": 2026,
            "date_note": "Ingen dato i teksten", "file": file}  # fmt: skip
    return client.post(reverse("agreements:upload"), data)


def web_page(text: str) -> bytes:
    paragraphs = "".join(f"<p>{text[i : i + 400]}</p>" for i in range(0, len(text), 400))
    return f"<html><body><main><article>{paragraphs}</article></main></body></html>".encode()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("lang.txt", (SENTENCE * 100).encode()),
        ("lang.html", web_page(SENTENCE * 100)),
    ],
)
def test_a_text_or_web_page_over_the_text_limit_is_refused_on_the_upload_page(
    client, secretariat_member, monkeypatch, name, content
):
    monkeypatch.setattr(reading, "MAX_TEXT_CHARS", 1_000)
    client.force_login(secretariat_member)
    response = upload(client, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert "Aftalens tekst er for lang til at være en aftale" in response.content.decode()
    assert not Agreement.objects.filter(short_name="Kræftplan VI").exists()


def test_the_command_refuses_a_file_over_the_limit_before_reading_it(
    tmp_path, settings, monkeypatch
):
    settings.IMPORT_MAX_BYTES = 1_000
    path = tmp_path / "stor.txt"
    path.write_text(SENTENCE * 100, encoding="utf-8")

    def read_bytes(self):
        raise AssertionError(f"{self} was read")

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(CommandError, match="Filen er for stor"):
        call_command("find_candidates", str(path), stdout=io.StringIO())


def test_the_command_refuses_a_text_over_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_TEXT_CHARS", 1_000)
    path = tmp_path / "lang.txt"
    path.write_text(SENTENCE * 100, encoding="utf-8")
    with pytest.raises(CommandError, match="Aftalens tekst er for lang"):
        call_command("find_candidates", str(path), stdout=io.StringIO())


def test_the_reader_shows_a_stored_text_over_the_limit_without_searching_it(
    client, secretariat_member, agreement, monkeypatch
):
    agreement.source_text = SENTENCE * 100
    agreement.save()
    monkeypatch.setattr(reading, "MAX_TEXT_CHARS", 1_000)

    def searched(*args, **kwargs):
        raise AssertionError("the finder ran")

    monkeypatch.setattr("agreements.views.find_candidates", searched)
    client.force_login(secretariat_member)
    response = client.get(reverse("agreements:reader", args=[agreement.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aftalens tekst er for lang til at være en aftale" in html
    assert "Regionerne udarbejder et oplæg primo 2027." in html
