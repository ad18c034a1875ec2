"""The pages still work under the strict Content-Security-Policy: nothing is refused."""

import datetime

import pytest
from django.utils import timezone

from agreements.status import Status
from tests.browser import log_in
from tests.factories import StatusReportFactory, UserFactory
from tracker.rounds import links, opening

pytestmark = pytest.mark.django_db(transaction=True)
HEADER_BLUE = "rgb(65, 118, 144)"  # the admin's header, Django's --header-bg


def test_the_admin_and_the_report_run_without_csp_violations(
    page, live_server, obligation, agreement, taskforce, regions
):
    StatusReportFactory(obligation=obligation, status=Status.AT_RISK)
    UserFactory(username="csp", password="en-lang-adgangskode-2", is_superuser=True)
    status_round = opening.open_round(taskforce, timezone.localdate() + datetime.timedelta(30))
    token = links.mint(status_round, regions.contacts.get())[1]
    refused = []
    page.on(
        "console",
        lambda m: (
            refused.append((page.url, m.location, m.text[:60]))
            if "Content Security" in m.text
            else None
        ),
    )

    log_in(page, live_server, "csp", "en-lang-adgangskode-2")
    page.goto(f"{live_server.url}/admin/agreements/obligation/")
    badge = page.locator(".status-badge").first
    # The badge's colour comes from the stylesheet, not an inline style.
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(178, 24, 43)"

    page.goto(f"{live_server.url}/admin/agreements/obligation/{obligation.pk}/change/")
    # The admin's own scripts run: the inline formset adds a row on click.
    rows = page.locator(".inline-related:not(.empty-form)").count()
    page.locator(".add-row a", has_text="Tilføj endnu en Statusrapport").click()
    assert page.locator(".inline-related:not(.empty-form)").count() == rows + 1

    page.goto(f"{live_server.url}/admin/agreements/agreement/{agreement.pk}/change/")
    # The tracker's admin script runs too: it names a tabular inline's fields.
    assert page.get_attribute("#id_initiatives-0-title", "aria-label") == "Titel"

    for path in (
        f"/oversigt/aftaler/{agreement.slug}/tidslinje/",
        f"/oversigt/aftaler/{agreement.slug}/finansiering/",
        f"/aftaler/{agreement.slug}/laeser/",
    ):
        page.goto(live_server.url + path)
        assert page.locator("#site-name").inner_text() == "Kræftplan-tracker"
        assert page.locator(".breadcrumbs").get_by_role("link", name=str(agreement)).is_visible()

    page.goto(f"{live_server.url}/rapporter/taskforce/?dato=2017-06-01")
    heading = page.get_by_role("heading", level=1).first
    assert heading.is_visible()
    # The report's stylesheet (an inline <style> with the request's nonce) is applied, and
    # the site's header (a stylesheet of its own) on screen.
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
    header = page.locator(".site-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == HEADER_BLUE
    page.emulate_media(media="print")
    assert not header.is_visible()
    page.emulate_media(media="screen")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/svar/{token}/")
    assert page.locator("#site-name").inner_text() == "Kræftplan-tracker"
    assert page.locator("#header a").count() == 0  # no way into the admin
    assert refused == []
