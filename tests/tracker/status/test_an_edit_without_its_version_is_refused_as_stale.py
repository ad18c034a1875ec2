"""A change form posted without the version it was opened with (or with it empty) cannot
show that nobody saved in between: it is refused like a stale edit, on the obligation's page,
its inline of status reports and the status report's own page. A new inline report has no
version to expect and is saved."""

import pytest
from django.urls import reverse

from agreements.status import Status
from tests.admin_forms import change_url, obligation_post, report_post
from tests.factories import StatusReportFactory
from tracker.models import StatusReport

pytestmark = pytest.mark.django_db

MISSING = [pytest.param(None, id="missing"), pytest.param("", id="empty")]


def without_version(data: dict, key: str, value) -> dict:
    data = dict(data)
    if value is None:
        del data[key]
    else:
        data[key] = value
    return data


@pytest.mark.parametrize("version", MISSING)
def test_the_obligations_form_without_its_version_is_refused(
    client, secretariat_member, obligation, version
):
    client.force_login(secretariat_member)
    newer = obligation_post(obligation, action="Saras navn")
    assert client.post(change_url(obligation), newer).status_code == 302
    data = without_version(
        obligation_post(obligation, action="Pers navn"), "expected_version", version
    )
    response = client.post(change_url(obligation), data)
    assert response.status_code == 200
    assert "Formularen mangler den version" in response.content.decode()
    obligation.refresh_from_db()
    assert obligation.action == "Saras navn"


@pytest.mark.parametrize("version", MISSING)
def test_the_status_reports_form_without_its_version_is_refused(
    client, secretariat_member, obligation, version
):
    report = StatusReportFactory(obligation=obligation, status=Status.ON_TRACK, text="Første")
    url = reverse("admin:tracker_statusreport_change", args=[report.pk])
    client.force_login(secretariat_member)
    data = without_version(report_post(report, text="Pers tekst"), "expected_version", version)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Formularen mangler den version" in response.content.decode()
    report.refresh_from_db()
    assert report.text == "Første"


@pytest.mark.parametrize("version", MISSING)
def test_an_existing_report_in_the_obligations_inline_without_its_version_is_not_changed(
    client, secretariat_member, obligation, version
):
    report = StatusReportFactory(obligation=obligation, status=Status.ON_TRACK, text="Første")
    client.force_login(secretariat_member)
    obligation.refresh_from_db()
    data = obligation_post(obligation)
    data.update(
        {
            "status_reports-TOTAL_FORMS": 1,
            "status_reports-INITIAL_FORMS": 1,
            "status_reports-0-id": report.pk,
            "status_reports-0-obligation": obligation.pk,
            "status_reports-0-status": report.status,
            "status_reports-0-text": "Omskrevet",
            "status_reports-0-source": report.source,
        }
    )
    if version is not None:
        data["status_reports-0-expected_version"] = version
    client.post(change_url(obligation), data)
    # The inline shows the reports already written as they stand (no change permission).
    assert StatusReport.objects.get(pk=report.pk).text == "Første"


def test_a_new_report_in_the_obligations_inline_needs_no_version(
    client, secretariat_member, obligation
):
    client.force_login(secretariat_member)
    data = obligation_post(
        obligation, reports=[{"status": Status.ON_TRACK, "text": "Ny", "source": ""}]
    )
    response = client.post(change_url(obligation), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert StatusReport.objects.filter(obligation=obligation, text="Ny").exists()
