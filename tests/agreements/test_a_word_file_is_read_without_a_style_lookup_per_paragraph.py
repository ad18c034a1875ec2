"""A Word file of many short paragraphs is read without looking up each paragraph's style
(a lookup scans the styles part; 100k paragraphs took minutes): the lookups do not grow
with the paragraphs, and list paragraphs are still bullets."""

import io

from docx import Document
from docx.styles.styles import Styles

from agreements.reading import BULLET, read_agreement_file


def word_file(paragraphs: int) -> bytes:
    document = Document()
    for n in range(paragraphs):
        style = "List Bullet" if n % 2 else None
        document.add_paragraph(f"Punkt {n}: Regionerne skal primo 2027.", style=style)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_style_lookups_do_not_grow_with_the_paragraphs(monkeypatch):
    lookups = []
    original = Styles.get_by_id

    def counted(self, *args, **kwargs):
        lookups.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Styles, "get_by_id", counted)
    counts = []
    for paragraphs in (10, 200):
        lookups.clear()
        lines = read_agreement_file("aftale.docx", word_file(paragraphs)).splitlines()
        counts.append(len(lookups))
        assert len(lines) == paragraphs
        assert lines[1] == BULLET + "Punkt 1: Regionerne skal primo 2027."
        assert lines[2] == "Punkt 2: Regionerne skal primo 2027."
    assert counts[1] == counts[0] <= 2
