"""Uploads held to the largest file the tracker reads, as they arrive.

Django writes an upload to memory or a temporary file in full before any form sees its
size. The first handler counts each file's bytes and passes none on past the limit, so an
oversized file is never written in full; the form then sees a file of the size received
and refuses it with its own clear error. The request body is still read to its end: the
proxy in front stops reading at the limit (README, nginx's client_max_body_size).
"""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


def upload_limit() -> int:
    """The largest file any form accepts: an agreement's text or an evidence file."""
    return max(settings.IMPORT_MAX_BYTES, settings.EVIDENCE_MAX_BYTES)


class TooLargeUpload(UploadedFile):
    """An upload cut off at the limit: nothing of it is kept, only its name and the size
    received, which every form's size check refuses."""

    def __init__(self, name: str, content_type: str, size: int, charset: str | None):
        super().__init__(io.BytesIO(), name, content_type, size, charset)


class LimitedUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.limit = upload_limit()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            return None  # the handlers after this one (memory, temporary file) get no more
        return raw_data

    def file_complete(self, file_size):
        if self.received > self.limit:
            return TooLargeUpload(self.file_name, self.content_type, self.received, self.charset)
        return None
