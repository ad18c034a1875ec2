"""Evidence files attached to status reports: what may be uploaded, and where it goes.

Files are stored under MEDIA_ROOT, outside the web root, under a random name, and served
only through `tracker.views.evidence`, which checks who asks.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

# What an evidence file may be, and the bytes its content must start with.
ALLOWED = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".txt": (),
    ".csv": (),
}


def evidence_path(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"evidence/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


def validate_evidence(file) -> None:
    limit = settings.EVIDENCE_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            f"Filen er for stor ({file.size / 1_000_000:.1f} MB); højst {limit // 1_000_000} MB."
        )
    suffix = PurePath(file.name).suffix.lower()
    if suffix not in ALLOWED:
        kinds = ", ".join(sorted(ALLOWED))
        raise ValidationError(f"Filtypen »{suffix or 'ingen'}« er ikke tilladt. Tilladt: {kinds}.")
    magic = ALLOWED[suffix]
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    if isinstance(head, str):
        head = head.encode()
    if magic and not head.startswith(magic):
        raise ValidationError(f"Filens indhold passer ikke til endelsen »{suffix}«.")
    if not magic and b"\x00" in head:
        raise ValidationError(f"Filen er ikke en tekstfil, som endelsen »{suffix}« siger.")
