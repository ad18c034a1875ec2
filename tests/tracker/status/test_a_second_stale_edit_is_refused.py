"""Two people edit the same obligation or report at once: the second save is refused."""

import pytest
from django.urls import reverse

from agreements.status import Status
from common.roles import SECRETARIAT
from tests.admin_forms import change_url, obligation_post, report_post
from tests.factories import StatusReportFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_secretary(secretariat_member):
    from django.contrib.auth.models import Group

    user = UserFactory(username="per-sekretariat")
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    return user


def test_the_second_save_of_an_obligation_is_refused_with_the_others_change(
    client, secretariat_member, second_secretary, obligation
):
    opened_by_both = obligation_post(obligation)  # both open the page at version 1
    client.force_login(secretariat_member)
    first = client.post(change_url(obligation), {**opened_by_both, "action": "Sara's navn"})
    assert first.status_code == 302

    client.force_login(second_secretary)
    second = client.post(
        change_url(obligation), {**opened_by_both, "action": "Pers navn", "phrase": "medio 2018"}
    )
    assert second.status_code == 200
    html = second.content.decode()
    assert "nyere version" in html
    assert "sara-sekretariat" in html  # who changed it …
    assert "Sara&#x27;s navn" in html or "Sara's navn" in html  # … and what
    assert "Pers navn" in html and "medio 2018" in html  # what Per typed is kept
    obligation.refresh_from_db()
    assert obligation.action == "Sara's navn"
    assert obligation.phrase == "primo 2017"


def test_a_status_report_does_not_make_an_open_obligation_form_stale(
    client, secretariat_member, region_coordinator, obligation
):
    opened = obligation_post(obligation)
    StatusReportFactory(obligation=obligation, status=Status.AT_RISK, author=region_coordinator)
    client.force_login(secretariat_member)
    response = client.post(change_url(obligation), {**opened, "action": "Nyt navn"})
    assert response.status_code == 302


def test_the_second_save_of_a_status_report_is_refused(
    client, secretariat_member, second_secretary, obligation
):
    report = StatusReportFactory(obligation=obligation, status=Status.ON_TRACK, text="Første")
    url = reverse("admin:tracker_statusreport_change", args=[report.pk])
    data = report_post(report)
    client.force_login(secretariat_member)
    assert client.post(url, {**data, "text": "Saras tekst"}).status_code == 302
    client.force_login(second_secretary)
    response = client.post(url, {**data, "text": "Pers tekst"})
    assert response.status_code == 200
    assert "nyere version" in response.content.decode()
    report.refresh_from_db()
    assert report.text == "Saras tekst"
