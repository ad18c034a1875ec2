"""Reading agreement files: plain text, or a PDF's text layer."""

import io

from pypdf import PdfReader
from pypdf.errors import PdfReadError


class UnreadableFile(ValueError):
    pass


def read_agreement_file(name: str, data: bytes) -> str:
    """The text of an uploaded agreement (.txt in UTF-8, or .pdf with a text layer)."""
    lower = name.lower()
    if lower.endswith(".txt"):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UnreadableFile("Tekstfilen er ikke UTF-8; gem den som UTF-8.") from None
    if lower.endswith(".pdf"):
        try:
            reader = PdfReader(io.BytesIO(data))
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
        except (PdfReadError, ValueError, OSError):
            raise UnreadableFile("Filen kan ikke læses som PDF.") from None
        if not text.strip():
            raise UnreadableFile(
                "PDF-filen har intet tekstlag (en ren scanning); kør tekstgenkendelse først."
            )
        return text
    raise UnreadableFile("Kun .txt- og .pdf-filer kan indlæses.")
