"""Small PDFs written byte by byte, for tests of what the readers do with odd ones."""

import io


def pdf(*objects: bytes, trailer: bytes = b"") -> bytes:
    """A PDF of these objects (numbered from 1, the catalog first) with its cross-reference;
    `trailer` adds entries to the trailer (an /Encrypt, an /ID)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer, xref))  # fmt: skip
    return out.getvalue()


def stream(data: bytes, filters: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), filters) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pages(*contents: bytes, trailer: bytes = b"", more: tuple[bytes, ...] = ()) -> bytes:
    """A PDF with one page per content stream, all in Helvetica (object 3); `more` objects
    follow the pages and their streams."""
    n = len(contents)
    page_numbers = [4 + 2 * i for i in range(n)]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % p for p in page_numbers), n),
        FONT,
    ]
    for page, content in zip(page_numbers, contents, strict=True):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % (page + 1)
        )
        objects.append(stream(content))
    return pdf(*objects, *more, trailer=trailer)
