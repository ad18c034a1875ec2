"""In a real browser, on the five real agreements: the timeline's axis labels never overlap
however many years it spans, the front page groups its lists by agreement with counts, and
the report page's "Hent som Word" gives a Word document with the report's sections."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from docx import Document

from agreements.models import Agreement, Forum
from meetings.models import Meeting
from operations.loading import load_agreements
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
DAY = datetime.datetime(2025, 12, 1, 9, tzinfo=datetime.UTC)

# The boxes of the axis' labels as the browser lays them out.
LABEL_BOXES = """svg => [...svg.querySelectorAll('g.axis text')].map(t => {
  const b = t.getBBox(); return {text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height};
})"""


def overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["x"] + a["w"] <= b["x"]
                or b["x"] + b["w"] <= a["x"]
                or a["y"] + a["h"] <= b["y"]
                or b["y"] + b["h"] <= a["y"]
            )
            if not apart:
                found.append((a["text"], b["text"]))
    return found


def test_a_coordinator_sees_the_real_agreements_at_a_glance(page, live_server, tmp_path):
    with time_machine.travel(DAY, tick=False):
        load_agreements(with_history=True)
        meeting = Meeting.objects.create(
            forum=Forum.objects.get(slug="taskforce"), date=datetime.date(2025, 12, 9)
        )
        client = Client()
        client.force_login(UserFactory(username="sekretariat", is_superuser=True))
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )

        # The timeline of an agreement that runs from 2017 to 2030.
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{live_server.url}/oversigt/aftaler/kraeftplan-iv/tidslinje/")
        charts = page.locator("svg.chart")
        assert charts.count() > 3
        for i in range(charts.count()):
            boxes = charts.nth(i).evaluate(LABEL_BOXES)
            labels = [b["text"] for b in boxes]
            assert any(label.isdigit() and len(label) == 4 for label in labels), labels
            assert overlapping(boxes) == [], labels

        # The front page: one section per agreement with its counts, active ones first.
        page.goto(f"{live_server.url}/admin/")
        headings = page.locator("#content h3").all_inner_texts()
        agreements = [str(a) for a in Agreement.objects.all()]
        grouped = [h for h in headings if any(h.startswith(name) for name in agreements)]
        assert len(grouped) >= 3, headings
        assert all("overskredne" in h or "forfalder" in h or "afventer" in h for h in grouped)
        assert "Kræftplan IV (2017) – 59 overskredne" in " ".join(grouped)

        # The report page's Word button.
        page.goto(f"{live_server.url}/rapporter/taskforce/{meeting.pk}/")
        with page.expect_download() as download:
            page.get_by_role("link", name="Hent som Word").click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
    assert path.name == "statusrapport-taskforce-2025-12-09.docx"
    document = Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["1. Sammenfatning", "2. Overskredne forpligtelser"]
    assert len(document.inline_shapes) == 2
