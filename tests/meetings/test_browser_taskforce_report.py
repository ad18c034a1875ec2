"""The secretariat opens the Taskforce report from the meeting's admin page in a real browser."""

import pytest

from tests.browser import log_in
from tests.factories import UserFactory
from tests.paths import ROOT

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = ROOT / "var" / "screenshots"


def test_the_secretariat_opens_the_report_from_the_meeting_admin_page(page, live_server, scenario):
    UserFactory(username="sekretariat", password="en-lang-adgangskode-2", is_superuser=True)
    log_in(page, live_server, "sekretariat", "en-lang-adgangskode-2")

    page.goto(f"{live_server.url}/admin/meetings/meeting/{scenario.meeting.pk}/change/")
    page.get_by_role("link", name="Åbn statusrapport").click()
    page.wait_for_url(f"**/rapporter/taskforce/{scenario.meeting.pk}/")

    headings = page.locator("h2")
    for heading in [
        "1. Sammenfatning",
        "2. Overskredne forpligtelser",
        "7. Tidslinje over milepæle",
    ]:
        assert headings.filter(has_text=heading).first.is_visible()
    assert page.get_by_text("Hvidbogen afventer høring i regionerne.").first.is_visible()
    assert page.locator("svg.chart").count() == 2
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "taskforce-report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000

    with page.expect_download() as download:
        page.get_by_role("link", name="Hent som PDF").click()
    assert download.value.suggested_filename == "statusrapport-taskforce-2017-06-01.pdf"
