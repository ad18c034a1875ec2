"""A file that takes too long to read (a PDF whose pages share one heavy drawing) is a
clear error, not a worker hung for minutes: the time is limited per file, and checked
between a PDF's pages. The limit is set to nothing here; nothing is timed."""

import pytest

from agreements import reading
from agreements.reading import UnreadableFile, read_agreement_file
from tests.agreements.pdfs import pages

PAGE = b"BT /F1 12 Tf 72 700 Td (Regionerne udarbejder et oplaeg primo 2027.) Tj ET"


def test_a_pdf_over_the_time_limit_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_READ_SECONDS", 0)
    with pytest.raises(UnreadableFile, match="tager for lang tid at læse"):
        read_agreement_file("aftale.pdf", pages(PAGE, PAGE, PAGE))


def test_the_time_limit_stops_a_reader_that_never_returns(monkeypatch):
    monkeypatch.setattr(reading, "MAX_READ_SECONDS", 0.05)

    def forever(name, data):
        while True:
            pass

    monkeypatch.setattr(reading, "_read", forever)
    with pytest.raises(UnreadableFile, match="tager for lang tid at læse"):
        read_agreement_file("aftale.txt", b"primo 2027")


def test_a_pdf_within_the_limit_is_read():
    assert "primo 2027" in read_agreement_file("aftale.pdf", pages(PAGE, PAGE))
