"""An upload over the limit is not written in full before the form refuses it: the first
upload handler passes nothing on past the limit, and the form says the file is too big."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.urls import reverse

from agreements.models import Agreement

pytestmark = pytest.mark.django_db

KEPT = []


class Recording(FileUploadHandler):
    """Stands for the handlers that write an upload to memory or disk: records what it is
    given."""

    def receive_data_chunk(self, raw_data, start):
        KEPT.append(len(raw_data))
        return raw_data

    def file_complete(self, file_size):
        return None


def test_an_oversized_upload_is_not_passed_on_past_the_limit(
    client, secretariat_member, regions, settings
):
    settings.IMPORT_MAX_BYTES = settings.EVIDENCE_MAX_BYTES = 70_000
    settings.FILE_UPLOAD_HANDLERS = [
        *settings.FILE_UPLOAD_HANDLERS[:-2],
        f"{__name__}.Recording",
        *settings.FILE_UPLOAD_HANDLERS[-2:],
    ]
    KEPT.clear()
    client.force_login(secretariat_member)
    data = {"title": "Aftale om Kræftplan VI", "short_name": "Kræftplan VI", "year": 2026,
            "date_note": "Ingen dato i teksten", "parties": [regions.pk],
            "file": SimpleUploadedFile("stor.txt", b"primo 2027 " * 100_000)}  # fmt: skip
    response = client.post(reverse("agreements:upload"), data)
    assert response.status_code == 200
    assert "Filen er for stor" in response.content.decode()
    assert not Agreement.objects.filter(short_name="Kræftplan VI").exists()
    assert 0 < sum(KEPT) <= settings.IMPORT_MAX_BYTES
