"""A status round end to end, in a real browser with a real SMTP server: the secretariat
opens it from the meeting, the contacts answer from the link in their e-mail (on a phone),
the secretariat follows it and closes it, and the Taskforce's report shows who answered."""

import re

import pytest

from agreements.status import Status
from tests.browser import log_in
from tests.commands import send_reminders
from tests.factories import MeetingFactory, UserFactory
from tests.overview.test_browser_pages_meet_wcag import serious_violations
from tracker.models import StatusReport, StatusRound

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.bypass_csp]
LINK = re.compile(r"https?://[^\s\"<>]+/svar/[A-Za-z0-9_-]+/")
PHONE = {"width": 390, "height": 844}


def link_in(smtp_server, address: str) -> str:
    [mail] = smtp_server.to(address)
    return LINK.search(mail.text).group(0)


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_round_from_the_meeting_to_the_report(
    page, live_server, settings, smtp_server, world, taskforce, meeting_date, today
):
    settings.SITE_URL = live_server.url
    late, soon, shared = world["late"], world["soon"], world["shared"]
    meeting = MeetingFactory(forum=taskforce, date=meeting_date, title="Decembermødet")
    UserFactory(username="sekretariat", password="en-lang-adgangskode-7", is_superuser=True)

    # The secretariat opens the round from the meeting.
    log_in(page, live_server, "sekretariat", "en-lang-adgangskode-7")
    page.goto(f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/change/")
    page.get_by_role("link", name="Åbn statusrunde").click()
    page.get_by_role("button", name="Åbn runden og send invitationerne").click()
    page.wait_for_selector("#round-progress")
    assert "Besvaret i alt: 0 af 3." in page.locator("#round-total").inner_text()
    assert serious_violations(page) == []
    page.context.clear_cookies()

    # The invitations go out through the outbox.
    send_reminders(today)
    rikke_link = link_in(smtp_server, "rikke@regioner.example.org")

    # Rikke answers on her phone, with no login.
    page.set_viewport_size(PHONE)
    page.goto(rikke_link)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Status før Taskforcen")
    assert fits_the_screen(page)
    assert serious_violations(page) == []
    page.select_option(f"#o-{soon.pk}-answer", Status.ON_TRACK)
    page.fill(f"#o-{soon.pk}-text", "Arbejdsgruppen er nedsat.")
    page.select_option(f"#o-{late.pk}-answer", Status.DELAYED)
    page.get_by_role("button", name="Gem svarene").click()
    # Forsinket needs a word: the error stands by its row, and nothing typed is lost.
    assert page.locator(f"#o-{late.pk}-text-error").is_visible()
    assert page.input_value(f"#o-{soon.pk}-text") == "Arbejdsgruppen er nedsat."
    assert page.input_value(f"#o-{late.pk}-answer") == Status.DELAYED
    assert not StatusReport.objects.exists()
    assert serious_violations(page) == []
    page.fill(f"#o-{late.pk}-text", "Afventer høring i regionerne.")
    page.get_by_role("button", name="Gem svarene").click()
    assert page.get_by_role("status").inner_text() == "Gemt: 2 svar."
    assert "Besvaret: 2 af 3." in page.locator("#round-progress").inner_text()

    # Her colleague sees what she answered.
    page.goto(link_in(smtp_server, "rasmus@regioner.example.org"))
    assert page.locator(f"#o-{late.pk}").get_by_text("af Rikke Region").is_visible()
    assert page.input_value(f"#o-{late.pk}-text") == "Afventer høring i regionerne."

    # The secretariat follows the round, and closes it.
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "sekretariat", "en-lang-adgangskode-7")
    status_round = StatusRound.objects.get()
    page.goto(f"{live_server.url}/admin/tracker/statusround/{status_round.pk}/change/")
    regions_row = page.locator("#round-progress tbody tr", has_text="Danske Regioner")
    assert "2/3" in regions_row.inner_text()
    assert "Ikke åbnet" not in regions_row.inner_text()
    kl_row = page.locator("#round-progress tbody tr", has_text="KL")
    assert "0/1" in kl_row.inner_text() and "Ikke åbnet" in kl_row.inner_text()
    page.get_by_role("button", name="Luk runden").click()
    page.wait_for_selector("#round-unanswered")
    assert page.locator("h3", has_text="KL (1)").is_visible()
    assert page.get_by_role("link", name=shared.action).first.is_visible()

    # The report for the meeting shows who answered.
    page.goto(f"{live_server.url}/rapporter/taskforce/{meeting.pk}/")
    section = page.locator("#ikke-besvaret")
    assert section.get_by_role("heading", name="8. Ikke besvaret i statusrunden").is_visible()
    assert "2 af 3 forpligtelser er besvaret" in section.inner_text()
    assert section.locator("h3", has_text="KL").is_visible()
    status_table = page.locator("#status")
    assert status_table.get_by_text("Statusrunden: besvaret").count() == 2
    assert status_table.get_by_text("Statusrunden: ikke besvaret").count() == 1

    # The link no longer works.
    page.goto(rikke_link)
    assert page.get_by_role("alert").inner_text().startswith("Statusrunden er lukket")
