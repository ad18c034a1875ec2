"""The front page shows a coordinator their own party's obligations that need attention."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.status import Status
from meetings.models import Meeting
from tests.factories import ObligationFactory, StatusReportFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2017, 6, 15, 10, tzinfo=datetime.UTC)


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def items(agreement, regions, kl):
    late = ObligationFactory(agreement=agreement, lead_owner=regions, action="Regionernes oplæg",
                             phrase="primo 2017")  # fmt: skip
    soon = ObligationFactory(agreement=agreement, lead_owner=regions, action="Regionernes status",
                             phrase="primo juli 2017")  # fmt: skip
    kl_late = ObligationFactory(agreement=agreement, lead_owner=kl, action="KL's evaluering",
                                phrase="primo 2017")  # fmt: skip
    claimed = ObligationFactory(agreement=agreement, lead_owner=regions, action="Hvidbog færdig",
                                phrase="medio 2017")  # fmt: skip
    StatusReportFactory(obligation=claimed, status=Status.DONE)
    return late, soon, kl_late, claimed


def test_a_coordinator_sees_their_own_partys_items(client, today, region_coordinator, items):
    client.force_login(region_coordinator)
    html = client.get("/admin/").content.decode()
    assert "Overblik for din part" in html
    assert "Regionernes oplæg" in html and "Regionernes status" in html
    assert "Hvidbog færdig" in html  # awaiting confirmation
    assert "KL&#x27;s evaluering" not in html and "KL's evaluering" not in html


def test_the_secretariat_sees_everything_and_the_next_meeting(
    client, today, secretariat_member, items, taskforce
):
    meeting = Meeting.objects.create(forum=taskforce, date=datetime.date(2017, 9, 1))
    client.force_login(secretariat_member)
    html = client.get("/admin/").content.decode()
    assert "Overblik over alle forpligtelser" in html
    assert "KL&#x27;s evaluering" in html or "KL's evaluering" in html
    assert f"/rapporter/taskforce/{meeting.pk}/" in html
    assert 'role="img"' in html  # the chart, with a table beside it
    assert "Forpligtelser pr. status og aftale" in html


def test_the_front_page_takes_a_constant_number_of_queries(
    client, today, secretariat_member, agreement, regions
):
    client.force_login(secretariat_member)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/admin/").status_code == 200
        return len(ctx.captured_queries)

    ObligationFactory(agreement=agreement, lead_owner=regions)
    few = queries()
    for _ in range(25):
        StatusReportFactory(obligation=ObligationFactory(agreement=agreement, lead_owner=regions))
    assert queries() == few
