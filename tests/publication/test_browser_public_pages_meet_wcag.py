"""The public pages meet WCAG 2.1 AA as axe-core checks it, in a real browser, on a
desktop screen and on a phone's, with the real agreements published; no script runs."""

import pytest

from agreements import publishing
from agreements.models import Agreement
from operations.loading import load_agreements
from tests.factories import UserFactory
from tests.overview.test_browser_pages_meet_wcag import serious_violations

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.bypass_csp]


def test_every_public_page_passes_axe_on_a_screen_and_a_phone(page, live_server):
    load_agreements(with_history=True)
    secretariat = UserFactory(username="axe-sekretariat", is_superuser=True)
    publishing.publish(Agreement.objects.all(), secretariat)
    agreement = Agreement.objects.get(slug="udmoentning-2024-281-mio")
    obligation = agreement.obligations.order_by("pk").first()
    paths = [
        "/offentlig/",
        f"/offentlig/aftaler/{agreement.slug}/",
        f"/offentlig/aftaler/{agreement.slug}/{obligation.key}/",
        "/offentlig/data/",
    ]
    found = {}
    for width, height in ((1280, 900), (375, 740)):
        page.set_viewport_size({"width": width, "height": height})
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            assert not page.context.cookies(), path
            # Nothing wider than the phone's screen: no sideways scrolling.
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            found[f"{width}px {path}"] = serious_violations(page) + (
                [f"scrolls sideways by {overflow}px"] if overflow > 0 else []
            )
    for path, violations in found.items():
        print(path, *violations, sep="\n  ")
    assert found == {path: [] for path in found}
