"""Roles are enforced on the server: each forbidden action is tried directly, by URL and POST."""

import pytest
from django.urls import reverse

from agreements.models import Obligation
from agreements.status import Status
from tests.admin_forms import change_url, obligation_post
from tracker.models import StatusReport

pytestmark = pytest.mark.django_db


def test_a_coordinator_reports_on_their_own_partys_obligation(
    client, region_coordinator, obligation
):
    client.force_login(region_coordinator)
    response = client.post(
        change_url(obligation),
        obligation_post(obligation, reports=[{"status": Status.AT_RISK, "text": "Forsinket"}]),
    )
    assert response.status_code == 302
    report = obligation.status_reports.get()
    assert (report.author, report.status) == (region_coordinator, Status.AT_RISK)


def test_a_coordinator_reports_on_a_co_owned_obligation(client, kl_coordinator, obligation, kl):
    obligation.co_owners.add(kl)
    client.force_login(kl_coordinator)
    response = client.post(
        change_url(obligation), obligation_post(obligation, reports=[{"status": Status.ON_TRACK}])
    )
    assert response.status_code == 302
    assert obligation.status_reports.count() == 1


def test_a_coordinator_cannot_report_on_another_partys_obligation(
    client, region_coordinator, kl_obligation
):
    client.force_login(region_coordinator)
    page = client.get(change_url(kl_obligation))
    assert page.status_code == 200  # they see everything …
    assert b"status_reports-0-status" not in page.content  # … but get no form to report
    response = client.post(
        change_url(kl_obligation),
        obligation_post(kl_obligation, reports=[{"status": Status.DONE, "text": "Færdig"}]),
    )
    assert response.status_code == 403
    assert not kl_obligation.status_reports.exists()
    add = client.post(
        reverse("admin:tracker_statusreport_add"),
        {"obligation": kl_obligation.pk, "status": Status.DONE, "reported_at_0": "01.01.2025",
         "reported_at_1": "12:00"},
    )  # fmt: skip
    assert add.status_code in (200, 403)
    assert not kl_obligation.status_reports.exists()


def test_a_coordinator_cannot_edit_the_obligation_itself(client, region_coordinator, obligation):
    client.force_login(region_coordinator)
    response = client.post(
        change_url(obligation),
        obligation_post(obligation, action="Omdøbt af koordinator", phrase="ultimo 2030"),
    )
    assert response.status_code in (302, 403)
    obligation.refresh_from_db()
    assert obligation.action != "Omdøbt af koordinator"
    assert obligation.phrase == "primo 2017"


@pytest.mark.parametrize("role", ["region_coordinator", "observer"])
def test_only_the_secretariat_adds_or_deletes_obligations(client, request, role, obligation):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("admin:agreements_obligation_add")).status_code == 403
    delete = reverse("admin:agreements_obligation_delete", args=[obligation.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Obligation.objects.filter(pk=obligation.pk).exists()
    meeting_add = reverse("admin:meetings_meeting_add")
    assert client.post(meeting_add, {"date": "01.01.2030"}).status_code == 403


def test_an_observer_sees_everything_and_changes_nothing(client, observer, obligation):
    client.force_login(observer)
    assert client.get(reverse("admin:agreements_obligation_changelist")).status_code == 200
    assert client.get(change_url(obligation)).status_code == 200
    response = client.post(
        change_url(obligation), obligation_post(obligation, reports=[{"status": Status.DONE}])
    )
    assert response.status_code == 403
    assert not obligation.status_reports.exists()


def test_the_secretariat_edits_obligations(client, secretariat_member, obligation):
    client.force_login(secretariat_member)
    response = client.post(change_url(obligation), obligation_post(obligation, action="Nyt navn"))
    assert response.status_code == 302
    obligation.refresh_from_db()
    assert (obligation.action, obligation.version) == ("Nyt navn", 2)


def test_the_audit_is_read_only(client, secretariat_member, obligation):
    client.force_login(secretariat_member)
    record = obligation.history.first()
    revert = reverse(
        "admin:agreements_obligation_simple_history", args=[obligation.pk, record.history_id]
    )
    assert client.post(
        revert, obligation_post(obligation, action="Rullet tilbage")
    ).status_code in (
        403,
        404,
    )
    obligation.refresh_from_db()
    assert obligation.action != "Rullet tilbage"


def test_the_calendar_links_and_reminders_are_the_secretariats(client, region_coordinator):
    client.force_login(region_coordinator)
    assert client.get(reverse("admin:tracker_calendarfeed_changelist")).status_code == 403
    assert client.get(reverse("admin:tracker_reminder_changelist")).status_code == 403


def test_someone_without_a_role_sees_nothing(client, obligation):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="uden-rolle"))
    assert client.get(change_url(obligation)).status_code == 403
    client.logout()
    assert client.get(change_url(obligation)).status_code == 302
    assert StatusReport.objects.count() == 0
