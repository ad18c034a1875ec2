"""The public pages are cached for a minute, not longer: a new status shows within it."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.factories import StatusReportFactory
from tracker import completion

pytestmark = pytest.mark.django_db


def test_a_new_status_is_on_the_page_after_a_minute(client, published, superuser):
    url = f"/offentlig/aftaler/{published.agreement.slug}/{published.obligation.key}/"
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        assert "Forsinket" not in client.get(url).content.decode()
        StatusReportFactory(obligation=published.obligation, status="forsinket", text="")
        # Still the cached page.
        assert "Forsinket" not in client.get(url).content.decode()
    with time_machine.travel(now + datetime.timedelta(seconds=61), tick=False):
        assert "Forsinket" in client.get(url).content.decode()


def test_a_confirmed_closing_shows_once_confirmed(client, published, superuser):
    claim = published.obligation.status_reports.get(status="faerdiggjort")
    url = "/offentlig/data/forpligtelser.json"
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        rows = {r["noegle"]: r for r in client.get(url).json()}
        assert rows[published.obligation.key]["status"] == "i_risiko"
    completion.confirm(claim, superuser)
    with time_machine.travel(now + datetime.timedelta(seconds=61), tick=False):
        rows = {r["noegle"]: r for r in client.get(url).json()}
        assert rows[published.obligation.key]["status"] == "faerdiggjort"
        # Its text is public now (the secretariat marked the report public).
        assert rows[published.obligation.key]["status_beskrivelse"] == (
            "Anmeldt færdig: oplægget er sendt."
        )
