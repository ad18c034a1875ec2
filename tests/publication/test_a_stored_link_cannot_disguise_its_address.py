"""A link stored with a character that turns the writing direction (U+202E) or another
hidden character, from before links were checked, is shown with it written out as «U+202E»
everywhere a link is shown: the secretariat's review page, the obligation's page and the
status report's own page in the admin, and the public obligation page; never raw."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from agreements.status import Status
from tests.admin_forms import change_url
from tests.factories import StatusReportFactory
from tracker.models import StatusReport

pytestmark = pytest.mark.django_db

DISGUISED = "https://example.org/rapport\u202efdp.exe"
SHOWN = "https://example.org/rapport«U+202E»fdp.exe"


def stored(report: StatusReport, link: str = DISGUISED) -> StatusReport:
    # Written past the form's check, as links were before it.
    StatusReport.objects.filter(pk=report.pk).update(evidence_url=link)
    report.refresh_from_db()
    return report


@pytest.fixture
def claim(obligation, region_coordinator):
    return stored(
        StatusReportFactory(obligation=obligation, status=Status.DONE, author=region_coordinator)
    )


def shows_it_written_out(response):
    html = response.content.decode()
    assert response.status_code == 200
    assert "\u202e" not in html
    assert SHOWN in html


def test_the_review_page(client, secretariat_member, claim):
    client.force_login(secretariat_member)
    shows_it_written_out(client.get(reverse("admin:tracker_statusreport_review", args=[claim.pk])))


def test_the_obligations_page(client, secretariat_member, claim, obligation):
    client.force_login(secretariat_member)
    shows_it_written_out(client.get(change_url(obligation)))


def test_the_status_reports_own_page(client, secretariat_member, claim):
    client.force_login(secretariat_member)
    page = client.get(reverse("admin:tracker_statusreport_change", args=[claim.pk]))
    assert page.status_code == 200
    assert SHOWN in page.content.decode()


@pytest.mark.parametrize("hidden", ["\u200f", "\u2066", "\x0b", "\x01"])
def test_every_hidden_character_is_written_out(client, secretariat_member, claim, hidden):
    stored(claim, f"https://example.org/a{hidden}b")
    client.force_login(secretariat_member)
    response = client.get(reverse("admin:tracker_statusreport_review", args=[claim.pk]))
    html = response.content.decode()
    assert hidden not in html
    assert f"https://example.org/a«U+{ord(hidden):04X}»b" in html


def test_the_public_obligation_page(client, published):
    report = StatusReport.objects.get(evidence_url="https://www.sst.dk/puljen")
    stored(report)
    cache.clear()
    url = f"/offentlig/aftaler/{published.agreement.slug}/{published.kl_obligation.key}/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "\u202e" not in html
    assert SHOWN in html
