"""The front page shows a coordinator their own party's obligations that need attention."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

import overview.dashboard
from agreements.status import Status
from meetings.models import Meeting
from overview.dashboard import AWAITING, DUE_SOON, LIST_LENGTH, OVERDUE, dashboard
from tests.factories import AgreementFactory, ObligationFactory, StatusReportFactory

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


def test_the_lists_are_grouped_by_agreement_active_ones_first(
    client, today, secretariat_member, items, agreement, regions
):
    closed = AgreementFactory(short_name="Jo før – jo bedre", year=2015)
    ObligationFactory(agreement=closed, lead_owner=regions, status=Status.DONE)
    # Closed out once its obligation was in: a closed agreement takes no new ones.
    closed.closed_on = datetime.date(2017, 3, 1)
    closed.save()
    later = AgreementFactory(short_name="Udmøntning af 97 mio. kr. i 2023", year=2023)
    for n in range(LIST_LENGTH + 2):
        ObligationFactory(agreement=later, lead_owner=regions, action=f"Puljen opslås {n}",
                          phrase="primo 2017")  # fmt: skip

    groups = dashboard(secretariat_member)["agreements"].shown
    assert [g.name for g in groups] == [
        "Kræftplan IV (2017)", "Udmøntning af 97 mio. kr. i 2023", "Jo før – jo bedre (2015)",
    ]  # fmt: skip
    kp4, pool, _ = groups
    assert [kp4.count(OVERDUE), kp4.count(DUE_SOON), kp4.count(AWAITING)] == [2, 1, 1]
    assert kp4.counts == "2 overskredne · 1 forfalder snart · 1 afventer bekræftelse"
    overdue = pool.listings[0].obligations
    assert (len(overdue.shown), overdue.total) == (LIST_LENGTH, LIST_LENGTH + 2)

    client.force_login(secretariat_member)
    html = client.get("/admin/").content.decode()
    # One row per agreement in the summary, then each agreement's own lists under a heading.
    assert html.index("Kræftplan IV (2017)</a>") < html.index("Jo før – jo bedre (2015)</a>")
    assert "– 2 overskredne · 1 forfalder snart · 1 afventer bekræftelse</h3>" in html
    assert "– 7 overskredne</h3>" in html
    assert "afsluttet 01.03.2017" in html
    assert f"?agreement__id__exact={pool.agreement.pk}&amp;frist=overskredet" in html
    assert "Se alle 7" in html
    assert f"/oversigt/aftaler/{agreement.slug}/tidslinje/" in html


def test_of_many_agreements_it_lists_the_first_and_says_how_many_more(
    client, today, secretariat_member, regions, monkeypatch
):
    monkeypatch.setattr(overview.dashboard, "TABLE_ROWS", 3)
    monkeypatch.setattr(overview.dashboard, "LISTED", 2)
    for n in range(5):
        late = AgreementFactory(short_name=f"Aftale {n}", year=2010 + n)
        ObligationFactory(agreement=late, lead_owner=regions, phrase="primo 2017")
    client.force_login(secretariat_member)
    html = client.get("/admin/").content.decode()
    assert html.count('<th scope="row"><a href="/admin/agreements/agreement/') == 3
    assert "… og 2 aftaler mere: se" in html
    assert html.count('<section class="overview-agreement"') == 2
    assert "… og 3 aftaler mere med noget at følge op på" in html


def test_the_front_page_takes_a_constant_number_of_queries(
    client, today, secretariat_member, agreement, regions
):
    client.force_login(secretariat_member)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/admin/").status_code == 200
        return len(ctx.captured_queries)

    ObligationFactory(agreement=agreement, lead_owner=regions, phrase="primo 2017")
    few = queries()
    for _ in range(25):
        StatusReportFactory(obligation=ObligationFactory(agreement=agreement, lead_owner=regions))
    # More agreements do not add queries either: the lists are capped per agreement in SQL.
    for _ in range(3):
        ObligationFactory(agreement=AgreementFactory(), lead_owner=regions, phrase="primo 2017")
    assert queries() == few
