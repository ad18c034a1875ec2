"""The main pages meet WCAG 2.1 AA as axe-core checks it, in a real browser."""

import pytest

from agreements.models import Agreement
from operations.loading import load_agreements
from tests.browser import log_in
from tests.factories import UserFactory
from tests.paths import ROOT

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


def test_the_front_page_an_obligation_the_timeline_and_the_funding_pass_axe(page, live_server):
    load_agreements(with_history=True)
    agreement = Agreement.objects.get(slug="kraeftplan-iv")
    obligation = agreement.obligations.first()
    UserFactory(username="axe", password="en-lang-adgangskode-4", is_superuser=True)
    log_in(page, live_server, "axe", "en-lang-adgangskode-4")
    found = {}
    for url in (
        "/admin/",
        f"/admin/agreements/obligation/{obligation.pk}/change/",
        f"/oversigt/aftaler/{agreement.slug}/tidslinje/",
        f"/oversigt/aftaler/{agreement.slug}/finansiering/",
    ):
        page.goto(live_server.url + url)
        found[url] = serious_violations(page)
    for url, violations in found.items():
        print(url, *violations, sep="\n  ")
    assert found == {url: [] for url in found}
