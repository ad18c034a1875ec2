"""The status record is appended to: times are the server's, closing statuses are claims the
secretariat reviews, and nobody rewrites a report around that review.

Each test goes through the admin as a person would: the status report's own page, the
obligation's page with its inline, and the review page.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from agreements.status import Status
from common import roles
from meetings.report import build_report
from tests.admin_forms import change_url, obligation_post, report_post
from tests.factories import MeetingFactory, StatusReportFactory, UserFactory
from tests.users import in_group
from tracker.completion import awaiting_review
from tracker.models import StatusReport

pytestmark = pytest.mark.django_db

LONG_AGO = {"reported_at_0": "01.01.2020", "reported_at_1": "12:00:00"}


def report_url(report) -> str:
    return reverse("admin:tracker_statusreport_change", args=[report.pk])


def review_url(report) -> str:
    return reverse("admin:tracker_statusreport_review", args=[report.pk])


def add_report(client, obligation, **report) -> None:
    obligation.refresh_from_db()
    response = client.post(change_url(obligation), obligation_post(obligation, reports=[report]))
    assert response.status_code in (200, 302)


@pytest.fixture
def claim(client, region_coordinator, obligation):
    """Danske Regioner's coordinator reports færdiggjort, on the obligation's page."""
    client.force_login(region_coordinator)
    add_report(client, obligation, status=Status.DONE, text="Oplægget er præsenteret.")
    return obligation.status_reports.get()


def statuses_in(report) -> list[str]:
    return [
        row.status
        for section in report.sections
        for initiative in section.initiatives
        for row in initiative.rows
    ]


def shown(obligation) -> str:
    obligation.refresh_from_db()
    return obligation.status_label()


def test_a_coordinator_cannot_redate_the_report_that_sent_their_claim_back(
    client, claim, secretariat_member, region_coordinator, obligation
):
    client.force_login(secretariat_member)
    client.post(review_url(claim), {"return": "1", "reason": "Mangler referat."})
    reopened = obligation.latest_report()
    assert shown(obligation) == "Igangsat (efter tidsplanen)"

    client.force_login(region_coordinator)
    for report in (reopened, claim):
        before = StatusReport.objects.get(pk=report.pk)
        response = client.post(report_url(report), report_post(report, **LONG_AGO))
        assert response.status_code == 403
        after = StatusReport.objects.get(pk=report.pk)
        assert (after.reported_at, after.effective_at) == (before.reported_at, before.effective_at)
    assert shown(obligation) == "Igangsat (efter tidsplanen)"
    # The claim that was sent back is not waiting for a review, and cannot be reviewed again.
    assert not awaiting_review().exists()
    client.force_login(secretariat_member)
    assert "ikke en ubehandlet" in client.post(review_url(claim), {"confirm": "1"}).content.decode()


def test_a_coordinator_cannot_push_the_secretariats_later_report_behind_a_confirmed_claim(
    client, claim, secretariat_member, region_coordinator, obligation
):
    client.force_login(secretariat_member)
    client.post(review_url(claim), {"confirm": "1"})
    assert shown(obligation) == "Færdiggjort (bekræftet)"
    add_report(client, obligation, status=Status.DELAYED, text="Referatet mangler alligevel.")
    later = obligation.latest_report()
    assert later.status == Status.DELAYED

    client.force_login(region_coordinator)
    attempts = [
        report_post(later, **LONG_AGO),
        report_post(later, effective_from="01.01.2020", effective_reason="Fejl"),
    ]
    for data in attempts:
        assert client.post(report_url(later), data).status_code == 403
    later.refresh_from_db()
    assert later.effective_from is None
    assert shown(obligation) == "Forsinket"


@pytest.mark.parametrize("who", ["region_coordinator", "secretariat_member"])
def test_a_confirmed_report_cannot_be_edited_through_the_obligations_inline(
    client, request, claim, secretariat_member, obligation, who
):
    client.force_login(secretariat_member)
    client.post(review_url(claim), {"confirm": "1"})
    claim.refresh_from_db()
    client.force_login(request.getfixturevalue(who))
    obligation.refresh_from_db()
    data = obligation_post(obligation)
    data.update(
        {
            "status_reports-TOTAL_FORMS": 1,
            "status_reports-INITIAL_FORMS": 1,
            "status_reports-0-id": claim.pk,
            "status_reports-0-obligation": obligation.pk,
            "status_reports-0-status": Status.DELAYED,
            "status_reports-0-text": "Omskrevet",
            "status_reports-0-expected_version": claim.version,
        }
    )
    client.post(change_url(obligation), data)
    after = StatusReport.objects.get(pk=claim.pk)
    assert (after.status, after.text, after.version) == (Status.DONE, claim.text, claim.version)
    assert shown(obligation) == "Færdiggjort (bekræftet)"
    # On its own page, the coordinator cannot change it either, and nobody changes its status.
    client.force_login(request.getfixturevalue(who))
    response = client.post(report_url(claim), report_post(claim, status=Status.DELAYED))
    assert response.status_code in (200, 403)
    assert StatusReport.objects.get(pk=claim.pk).status == Status.DONE


def test_a_report_dated_far_ahead_is_registered_now_and_its_closing_status_is_a_claim(
    client, region_coordinator, secretariat_member, obligation
):
    client.force_login(region_coordinator)
    before = timezone.now()
    add_report(
        client,
        obligation,
        status=Status.DROPPED,
        text="Bortfalder.",
        reported_at_0="01.01.2099",
        reported_at_1="12:00:00",
        effective_from="01.01.2099",
        effective_reason="Fremtiden",
    )
    report = obligation.status_reports.get()
    assert before <= report.reported_at <= timezone.now()
    assert report.effective_from is None
    assert shown(obligation) == "Bortfaldet (anmeldt)"
    assert list(awaiting_review()) == [report]
    # A later report is current: nothing hides behind a date ahead.
    client.force_login(secretariat_member)
    add_report(client, obligation, status=Status.ON_TRACK, text="Det fortsætter.")
    assert shown(obligation) == "Igangsat (efter tidsplanen)"
    assert not awaiting_review().exists()


def test_the_same_report_added_on_the_report_page_is_registered_now(
    client, region_coordinator, obligation
):
    client.force_login(region_coordinator)
    data = {"obligation": obligation.pk, "status": Status.DROPPED, **LONG_AGO}
    assert client.post(reverse("admin:tracker_statusreport_add"), data).status_code == 302
    report = obligation.status_reports.get()
    assert timezone.localdate(report.reported_at) == timezone.localdate()
    assert report.author == region_coordinator
    assert shown(obligation) == "Bortfaldet (anmeldt)"


def test_the_secretariat_fixing_a_typo_in_a_claim_does_not_confirm_it(
    client, claim, secretariat_member, obligation
):
    client.force_login(secretariat_member)
    response = client.post(report_url(claim), report_post(claim, text="Oplægget er præsenteret"))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.text == "Oplægget er præsenteret"
    assert claim.confirmed_at is None
    assert shown(obligation) == "Færdiggjort (anmeldt)"
    assert list(awaiting_review()) == [claim]


def test_a_coordinator_corrects_their_own_report_until_it_is_reviewed_and_it_is_in_the_history(
    client, claim, secretariat_member, region_coordinator, obligation
):
    response = client.post(report_url(claim), report_post(claim, text="Præsenteret 3. maj."))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert [v.text for v in claim.history.order_by("history_id")] == [
        "Oplægget er præsenteret.",
        "Præsenteret 3. maj.",
    ]
    client.force_login(secretariat_member)
    client.post(review_url(claim), {"confirm": "1"})
    client.force_login(region_coordinator)
    claim.refresh_from_db()
    assert client.post(report_url(claim), report_post(claim, text="Igen")).status_code == 403
    assert StatusReport.objects.get(pk=claim.pk).text == "Præsenteret 3. maj."


def test_a_coordinator_cannot_correct_a_colleagues_report(client, claim, regions, obligation):
    colleague = in_group(UserFactory(username="rasmus-region", is_staff=True), roles.COORDINATOR)
    regions.coordinators.add(colleague)
    client.force_login(colleague)
    assert client.post(report_url(claim), report_post(claim, text="Rettet")).status_code == 403
    assert StatusReport.objects.get(pk=claim.pk).text == "Oplægget er præsenteret."


def test_only_the_secretariat_dates_a_report_earlier_and_it_must_say_why(
    client, secretariat_member, obligation
):
    client.force_login(secretariat_member)
    obligation.refresh_from_db()
    data = obligation_post(
        obligation,
        reports=[{"status": Status.ON_TRACK, "text": "Gik i gang", "effective_from": "01.03.2017"}],
    )
    page = client.post(change_url(obligation), data)
    assert page.status_code == 200
    assert "Angiv hvorfor" in page.content.decode()
    assert "Gik i gang" in page.content.decode()  # nothing typed is lost
    assert not obligation.status_reports.exists()

    ahead = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    data["status_reports-0-effective_from"] = ahead
    data["status_reports-0-effective_reason"] = "Mødereferat"
    page = client.post(change_url(obligation), data)
    assert "kan ikke ligge efter" in page.content.decode()
    assert not obligation.status_reports.exists()

    data["status_reports-0-effective_from"] = "01.03.2017"
    assert client.post(change_url(obligation), data).status_code == 302
    report = obligation.status_reports.get()
    assert report.holds_from() == datetime.date(2017, 3, 1)
    page = client.get(change_url(obligation)).content.decode()
    assert "01.03.2017 (sat af sekretariatet: Mødereferat)" in page


def test_a_report_dated_earlier_by_the_secretariat_counts_in_the_report_from_that_day(
    client, secretariat_member, taskforce, obligation
):
    meeting = MeetingFactory(forum=taskforce, date=datetime.date(2017, 6, 1))
    with time_machine.travel(datetime.datetime(2017, 9, 1, 12, tzinfo=datetime.UTC)):
        StatusReportFactory(obligation=obligation, status=Status.DELAYED, text="Forsinket")
    assert statuses_in(build_report(meeting)) == [Status.NOT_STARTED]
    client.force_login(secretariat_member)
    add_report(
        client,
        obligation,
        status=Status.ON_TRACK,
        text="Rettet efter referatet",
        effective_from="15.05.2017",
        effective_reason="Referat fra mødet 15.05.2017",
    )
    assert statuses_in(build_report(meeting)) == [Status.ON_TRACK]
    assert shown(obligation) == "Igangsat (efter tidsplanen)"


def test_the_review_page_is_the_only_way_to_confirm(client, claim, secretariat_member, obligation):
    client.force_login(secretariat_member)
    data = report_post(claim, confirmed_at_0="01.01.2020", confirmed_at_1="12:00:00")
    data["confirmed_by"] = secretariat_member.pk
    client.post(report_url(claim), data)
    assert StatusReport.objects.get(pk=claim.pk).confirmed_at is None
    assert shown(obligation) == "Færdiggjort (anmeldt)"


def test_a_reviewed_report_is_not_deleted_and_an_unreviewed_one_only_by_the_secretariat(
    client, claim, secretariat_member, region_coordinator, obligation
):
    delete = reverse("admin:tracker_statusreport_delete", args=[claim.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    client.force_login(secretariat_member)
    client.post(review_url(claim), {"confirm": "1"})
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert StatusReport.objects.filter(pk=claim.pk).exists()
