"""Texts stored with control characters before they were refused (a vertical tab or a \\x01
from a paste) still give the meeting's report as a page, a PDF and a Word file, also after
the text is corrected, when only the history holds them: they are left out on the way out."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from agreements.status import Status
from tests.meeting_scenario import at, report

pytestmark = pytest.mark.django_db

PASTED = "Hvidbogen\x0b er sendt\x01 i høring\x7f."
SHOWN = "Hvidbogen er sendt i høring."


@pytest.fixture
def pasted(scenario, region_coordinator):
    """A report and an obligation's action written with control characters in May 2017,
    then corrected: the history of the period still holds them."""
    written = report(scenario.overdue, Status.DELAYED, PASTED, at(2017, 5, 2), region_coordinator)
    obligation = scenario.moved
    with time_machine.travel(at(2017, 5, 3), tick=False):
        obligation.action = "Evaluering\x0b af pakkeforløbene\x01"
        obligation._history_user = region_coordinator
        obligation.save()
    with time_machine.travel(at(2017, 5, 4), tick=False):
        obligation.action = "Evaluering af pakkeforløbene"
        obligation.save()
    return written


@pytest.fixture
def reader(client, secretariat_member):
    client.force_login(secretariat_member)
    return client


def word_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def test_the_word_file_leaves_the_control_characters_out(reader, scenario, pasted):
    response = reader.get(reverse("meetings:report-docx", args=[scenario.meeting.pk]))
    assert response.status_code == 200
    text = word_text(response.content)
    assert SHOWN in text
    assert "Evaluering af pakkeforløbene" in text
    assert "\x0b" not in text and "\x01" not in text


def test_the_word_file_still_works_after_the_text_is_corrected(reader, scenario, pasted):
    pasted.text = SHOWN
    pasted.save()
    response = reader.get(reverse("meetings:report-docx", args=[scenario.meeting.pk]))
    assert response.status_code == 200
    assert SHOWN in word_text(response.content)


def test_the_page_and_the_pdf_leave_them_out(reader, scenario, pasted):
    page = reader.get(reverse("meetings:report", args=[scenario.meeting.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert SHOWN in html
    assert "\x0b" not in html and "\x01" not in html and "\x7f" not in html
    pdf = reader.get(reverse("meetings:report-pdf", args=[scenario.meeting.pk]))
    assert pdf.status_code == 200
    assert pdf.content[:4] == b"%PDF"


def test_the_preview_and_the_command_give_them_too(reader, scenario, pasted, tmp_path):
    preview = reader.get(reverse("meetings:preview-docx"), {"dato": "2017-06-01"})
    assert preview.status_code == 200
    output = tmp_path / "rapport.docx"
    call_command("taskforce_report", "--meeting", "2017-06-01", "--output", str(output))
    assert SHOWN in word_text(output.read_bytes())
    assert datetime.date(2017, 6, 1) == scenario.meeting.date
