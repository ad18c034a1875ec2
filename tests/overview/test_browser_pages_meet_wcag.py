"""The pages meet WCAG 2.1 AA as axe-core checks it, in a real browser: every page in the
tracker's look, for the staff and for a contact answering a status round without a login."""

import datetime

import pytest
from django.utils import timezone

from agreements.models import Agreement, Contact, Forum
from operations.loading import load_agreements
from tests.browser import log_in
from tests.factories import UserFactory
from tests.paths import ROOT
from tracker.rounds import links, opening

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.bypass_csp]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_every_page_passes_axe(page, live_server):
    load_agreements(with_history=True)
    agreement = Agreement.objects.get(slug="kraeftplan-iv")
    obligation = agreement.obligations.first()
    status_round = opening.open_round(
        Forum.objects.get(slug="taskforce"), timezone.localdate() + datetime.timedelta(days=30)
    )
    token = links.mint(status_round, Contact.objects.get(party__slug="danske-regioner"))[1]
    UserFactory(username="axe", password="en-lang-adgangskode-4", is_superuser=True)
    staff_pages = [
        "/admin/",
        f"/admin/agreements/agreement/{agreement.pk}/change/",
        f"/admin/agreements/obligation/{obligation.pk}/change/",
        f"/oversigt/aftaler/{agreement.slug}/tidslinje/",
        f"/oversigt/aftaler/{agreement.slug}/finansiering/",
        f"/aftaler/{agreement.slug}/laeser/",
        "/aftaler/ny/",
        # A small agreement's report: axe takes seconds for every hundred rows.
        "/rapporter/taskforce/?aftale=udmoentning-2024-281-mio",
    ]
    # A contact answers without a login.
    public_pages = [f"/svar/{token}/", "/svar/ikke-et-link/"]

    found = {}
    log_in(page, live_server, "axe", "en-lang-adgangskode-4")
    for path in staff_pages:
        page.goto(live_server.url + path)
        found[path] = serious_violations(page)
    page.context.clear_cookies()
    for path in public_pages:
        page.goto(live_server.url + path)
        found[path] = serious_violations(page)
    for path, violations in found.items():
        print(path, *violations, sep="\n  ")
    assert found == {path: [] for path in found}
