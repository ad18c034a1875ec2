"""Evidence uploads: size and type limits, stored outside the web root, served only to roles."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from agreements.status import Status
from tests.admin_forms import change_url, obligation_post
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def upload(client, user, obligation, file, text="Dokumentation vedlagt"):
    client.force_login(user)
    data = obligation_post(
        obligation, reports=[{"status": Status.ON_TRACK, "text": text, "evidence_file": file}]
    )
    return client.post(change_url(obligation), data)


def test_a_pdf_is_stored_under_a_random_name_outside_the_web_root(
    client, region_coordinator, obligation, media
):
    response = upload(client, region_coordinator, obligation, SimpleUploadedFile("a b.pdf", PDF))
    assert response.status_code == 302
    report = obligation.status_reports.get()
    assert report.evidence_file.name.endswith(".pdf")
    assert "a b" not in report.evidence_file.name
    assert (media / report.evidence_file.name).read_bytes() == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "ikke tilladt"),
        ("fake.pdf", b"<html>not a pdf</html>", "passer ikke"),
        ("notes.txt", b"bin\x00ary", "ikke en tekstfil"),
    ],
)
def test_a_wrong_type_is_refused_and_the_text_kept(
    client, region_coordinator, obligation, name, content, message
):
    response = upload(
        client, region_coordinator, obligation, SimpleUploadedFile(name, content), "Min tekst her"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Min tekst her" in html
    assert not obligation.status_reports.exists()


@override_settings(EVIDENCE_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused(client, region_coordinator, obligation):
    big = SimpleUploadedFile("stor.pdf", PDF + b"0" * 2000)
    response = upload(client, region_coordinator, obligation, big)
    assert "for stor" in response.content.decode()
    assert not obligation.status_reports.exists()


def test_evidence_is_served_only_to_users_with_a_role(
    client, region_coordinator, observer, obligation
):
    upload(client, region_coordinator, obligation, SimpleUploadedFile("bilag.pdf", PDF))
    url = obligation.status_reports.get().evidence_file.url
    assert url.startswith("/bilag/")

    client.force_login(observer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF

    client.force_login(UserFactory(username="ansat-uden-rolle"))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_no_other_file_can_be_reached(client, observer):
    client.force_login(observer)
    for name in ("../config/settings.py", "evidence/2026/nothere.pdf", "%2e%2e/manage.py"):
        assert client.get(reverse("evidence", args=[name])).status_code == 404
