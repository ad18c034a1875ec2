"""The pages still work under the strict Content-Security-Policy: nothing is refused."""

import pytest

from agreements.status import Status
from tests.browser import log_in
from tests.factories import StatusReportFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_admin_and_the_report_run_without_csp_violations(page, live_server, obligation):
    StatusReportFactory(obligation=obligation, status=Status.AT_RISK)
    UserFactory(username="csp", password="en-lang-adgangskode-2", is_superuser=True)
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

    page.goto(f"{live_server.url}/rapporter/taskforce/?dato=2017-06-01")
    heading = page.get_by_role("heading", level=1).first
    assert heading.is_visible()
    # The report's stylesheet (an inline <style> with the request's nonce) is applied.
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
    assert refused == []
