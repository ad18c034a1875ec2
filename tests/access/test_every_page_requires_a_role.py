"""Every page behind the login asks for one of the three roles, not only for staff status."""

import io

import pytest
from django.urls import reverse

from tests.factories import MeetingFactory, StatusReportFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(agreement, obligation, taskforce, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory(forum=taskforce)
    report = StatusReportFactory(obligation=obligation)
    report.evidence_file.save("bilag.pdf", io.BytesIO(b"%PDF-1.4\n%%EOF\n"))
    return [
        reverse("meetings:report", args=[meeting.pk]),
        reverse("meetings:report-pdf", args=[meeting.pk]),
        reverse("meetings:preview"),
        reverse("meetings:preview-pdf"),
        reverse("agreements:reader", args=[agreement.slug]),
        reverse("overview:timeline", args=[agreement.slug]),
        reverse("overview:funding", args=[agreement.slug]),
        reverse("overview:funding", args=[agreement.slug]) + "?format=xlsx",
        reverse("evidence", args=[report.evidence_file.name]),
    ]


@pytest.fixture
def staff_without_role(db):
    return UserFactory(username="uden-rolle", is_staff=True)


def test_a_staff_user_without_a_role_is_refused_every_page_in_danish(
    client, pages, staff_without_role
):
    client.force_login(staff_without_role)
    for url in [*pages, reverse("agreements:upload")]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "ingen rolle" in response.content.decode(), url


@pytest.mark.parametrize(
    "user", ["superuser", "secretariat_member", "region_coordinator", "observer"]
)
def test_each_role_gets_every_page(client, pages, user, request):
    client.force_login(request.getfixturevalue(user))
    for url in pages:
        assert client.get(url).status_code == 200, (user, url)


def test_anonymous_visitors_are_sent_to_the_login(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_the_front_page_tells_a_user_without_a_role_whom_to_ask(
    client, obligation, staff_without_role
):
    client.force_login(staff_without_role)
    html = client.get(reverse("admin:index")).content.decode()
    assert "ingen rolle" in html
    assert "Bed Taskforcens sekretariat om at give dig en rolle." in html
    assert obligation.action not in html
