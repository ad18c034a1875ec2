"""The main coordinator flow in a real browser: filter, report, see the history."""

import re

import pytest

from agreements.status import Status
from tests.browser import log_in
from tests.factories import ObligationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_reports_on_an_overdue_obligation_and_sees_it_in_the_history(
    page,
    live_server,
    obligation,
    agreement,
    regions,
):
    ObligationFactory(
        agreement=agreement, lead_owner=regions, action="Status på kræftplanen 2099", phrase="2099"
    )
    UserFactory(username="koordinator", password="en-lang-adgangskode-1", is_superuser=True)

    log_in(page, live_server, "koordinator", "en-lang-adgangskode-1")
    page.goto(f"{live_server.url}/admin/agreements/obligation/")
    page.get_by_role("link", name="Overskredet").click()
    page.wait_for_url("**frist=overskredet**")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "overskredet" in rows.first.inner_text()

    page.get_by_role("link", name=obligation.action).click()
    page.select_option("#id_status_reports-0-status", Status.DELAYED)
    page.fill("#id_status_reports-0-text", "Oplægget er forsinket; forventes færdigt i marts.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")

    page.get_by_role("link", name="Historik").first.click()
    page.wait_for_url(re.compile(r"/history/"))
    history = page.locator("#change-history").inner_text()
    assert "Forsinket" in history
    assert "koordinator" in history

    obligation.refresh_from_db()
    assert obligation.status == Status.DELAYED
    assert obligation.status_reports.get().author.username == "koordinator"
