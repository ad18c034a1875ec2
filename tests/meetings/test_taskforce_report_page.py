"""The Taskforce report as a page and a PDF download, for logged-in staff only."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import UserFactory
from tests.meeting_scenario import MEETING_DAY


@pytest.fixture
def staff_client(client, superuser):
    client.force_login(superuser)
    return client


def test_a_staff_user_sees_the_report_page_with_its_sections(staff_client, scenario):
    response = staff_client.get(reverse("meetings:report", args=[scenario.meeting.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Taskforce for Patientforløb på Kræft- og Hjerteområdet</h1>" in html
    assert "Møde 1. juni 2017: Sommermødet" in html
    assert html.index("2. Overskredne forpligtelser") < html.index("7. Tidslinje over milepæle")
    assert "Hvidbogen afventer høring i regionerne." in html
    assert html.count("<svg") == 2
    # A page of its own: no admin chrome.
    assert 'id="header"' not in html
    assert f'href="/rapporter/taskforce/{scenario.meeting.pk}.pdf"' in html


def test_an_anonymous_visitor_is_sent_to_the_login(client, scenario):
    for name in ["meetings:report", "meetings:report-pdf"]:
        url = reverse(name, args=[scenario.meeting.pk])
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    response = client.get(reverse("meetings:preview"))
    assert response.status_code == 302


def test_a_user_who_is_not_staff_is_sent_to_the_login(client, scenario):
    client.force_login(UserFactory(username="udenfor", is_staff=False))
    response = client.get(reverse("meetings:report", args=[scenario.meeting.pk]))
    assert response.status_code == 302


def test_the_pdf_is_downloaded_as_an_attachment(staff_client, scenario):
    response = staff_client.get(reverse("meetings:report-pdf", args=[scenario.meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="statusrapport-taskforce-2017-06-01.pdf"'
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Hvidbog om patientansvarlig" in text


def test_the_preview_by_date_needs_no_recorded_meeting(staff_client, scenario):
    response = staff_client.get(
        reverse("meetings:preview"), {"dato": "2017-07-01", "forum": "taskforce"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Forhåndsvisning for 1. juli 2017" in html
    assert "Der er ikke registreret et møde" in html
    pdf = staff_client.get(reverse("meetings:preview-pdf"), {"dato": "2017-07-01"})
    assert pdf["Content-Disposition"].endswith('statusrapport-taskforce-2017-07-01.pdf"')


def test_the_preview_of_a_recorded_meeting_day_is_that_meeting(staff_client, scenario):
    html = staff_client.get(
        reverse("meetings:preview"), {"dato": MEETING_DAY.isoformat()}
    ).content.decode()
    assert "Møde 1. juni 2017: Sommermødet" in html


def test_query_parameters_filter_the_report(staff_client, scenario):
    url = reverse("meetings:report", args=[scenario.meeting.pk])
    html = staff_client.get(url, {"ansvarlig": "kl"}).content.decode()
    assert "Kommunal plan for rehabilitering" in html
    assert "Hvidbog om patientansvarlig læge" not in html
    assert "Ansvarlige: KL." in html
    html = staff_client.get(url, {"aftale": scenario.other_agreement.slug}).content.decode()
    assert "Oplæg om hurtigere udredning" not in html
    # The PDF link keeps the filter.
    assert f"{scenario.meeting.pk}.pdf?aftale={scenario.other_agreement.slug}" in html


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"dato": "1. juni"}, 400, "Ugyldig dato »1. juni«"),
        ({"dato": "2017-02-30"}, 400, "Ugyldig dato"),
        ({"aftale": "findes-ikke"}, 400, "Ukendt aftale: findes-ikke"),
        ({"ansvarlig": "ingen"}, 400, "Ukendt ansvarlig: ingen"),
        ({"forum": "findes-ikke"}, 404, ""),
    ],
)
def test_bad_query_parameters_are_refused_in_danish(staff_client, scenario, query, status, message):
    response = staff_client.get(reverse("meetings:preview"), query)
    assert response.status_code == status
    assert message in response.content.decode()


def test_an_unknown_meeting_is_not_found(staff_client, db):
    assert staff_client.get(reverse("meetings:report", args=[999])).status_code == 404
