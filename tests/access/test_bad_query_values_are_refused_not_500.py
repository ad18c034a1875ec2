"""A malformed value in an address (a NUL, a control character, an id or a number no column
can hold, a day out of range, an id that is not a number) is a 400 with a Danish sentence, or
an empty result, on every page that reads it: the admin's lists and pages, the report's page,
PDF and Word, the public pages, the API. Never a 500, on SQLite and PostgreSQL."""

import datetime

import pytest
from django.test import Client

from tracker.models import StatusRound

pytestmark = pytest.mark.django_db

BIG = "99999999999999999999"


@pytest.fixture
def browser(superuser, obligation):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    return client


def refused(response, *words):
    text = response.content.decode()
    assert response.status_code == 400, text[:500]
    for word in words:
        assert word in text, text[:500]


TOO_BIG = [
    f"/api/forpligtelser?limit={BIG}",
    f"/api/forpligtelser?offset={BIG}",
    f"/api/statusrapporter?forpligtelse={BIG}",
    f"/admin/agreements/obligation/?agreement__id__exact={BIG}",
    f"/admin/agreements/obligation/?ansvarlig={BIG}",
    f"/admin/agreements/obligation/?initiativ={BIG}",
    f"/admin/agreements/obligation/?forums__id__exact={BIG}",
    f"/admin/agreements/obligation/?lead_owner__id__exact={BIG}",
    f"/admin/agreements/obligation/?p={BIG}",
    f"/admin/agreements/initiative/?agreement__id__exact={BIG}",
    f"/admin/tracker/statusreport/?obligation__agreement__id__exact={BIG}",
    f"/admin/tracker/statusround/?forum__id__exact={BIG}",
    f"/admin/tracker/roundlink/?party__id__exact={BIG}",
    f"/admin/meetings/meeting/?forum__id__exact={BIG}",
    f"/admin/agreements/obligation/autocomplete/?forpligtelse={BIG}",
]


@pytest.mark.parametrize("url", TOO_BIG)
def test_a_number_no_column_holds_is_refused(browser, url):
    refused(browser.get(url), "er for stort")


NUL = [
    "/api/forpligtelser?aftale=%00",
    "/api/forpligtelser?ansvarlig=x%00",
    "/api/statusrapporter?aftale=%00",
    "/rapporter/taskforce/?aftale=%00",
    "/rapporter/taskforce/?ansvarlig=kl%00",
    "/rapporter/taskforce/?forum=%00",
    "/rapporter/taskforce/rapport.pdf?forum=%01",
    "/rapporter/taskforce/rapport.docx?aftale=%00",
    "/admin/agreements/obligation/?q=%00",
    "/admin/tracker/statusreport/?q=a%0bb",
    "/admin/agreements/obligation/?status__exact=%00",
    "/oversigt/aftaler/kraeftplan-iv/tidslinje/?format=%00",
    "/offentlig/aftaler/kraeftplan-iv%00/",
    "/offentlig/?%00=1",
    "/aftaler/kraeftplan-iv%00/laeser/",
    "/kalender/abc%00.ics",
]


@pytest.mark.parametrize("url", NUL)
def test_a_nul_or_control_character_in_the_address_is_refused(browser, url):
    refused(browser.get(url), "kontroltegn")


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
@pytest.mark.parametrize("page", ["", "rapport.pdf", "rapport.docx"])
def test_a_report_day_out_of_range_is_refused(browser, taskforce, page, day):
    refused(browser.get(f"/rapporter/taskforce/{page}?dato={day}"), "uden for", "01.01.1900")


@pytest.mark.parametrize("day", ["2024-02-30", "i morgen", "2024-1-1x"])
def test_a_report_day_that_is_no_day_is_refused(browser, taskforce, day):
    refused(browser.get("/rapporter/taskforce/", {"dato": day}), "ÅÅÅÅ-MM-DD")


@pytest.mark.parametrize(
    "query",
    [
        "reported_at__year=9999",
        "reported_at__year=9999&reported_at__month=12&reported_at__day=31",
        "reported_at__year=0",
        "reported_at__year=2024&reported_at__month=13",
        "reported_at__year=abc",
    ],
)
def test_the_admins_date_drill_down_out_of_range_is_refused(browser, query):
    refused(browser.get(f"/admin/tracker/statusreport/?{query}"))


def test_the_meetings_date_drill_down_at_the_end_of_a_year_is_refused(browser):
    refused(browser.get("/admin/meetings/meeting/?date__year=9999&date__month=12"), "9999")


@pytest.mark.parametrize(
    "query",
    ["ansvarlig=%C2%B2", "agreement__id__exact=%D9%A3", "agreement__id__exact=-1", "ansvarlig=0"],
)
def test_an_id_that_is_no_id_gives_an_empty_list(browser, query):
    response = browser.get(f"/admin/agreements/obligation/?{query}")
    assert response.status_code == 200
    assert "Oplæg om anvendelse af midlerne" not in response.content.decode()


def test_a_rounds_address_that_is_no_id_is_the_admins_not_found(browser, taskforce):
    day = datetime.date(2025, 12, 9)
    StatusRound.objects.create(forum=taskforce, meeting_date=day, answer_by=day)
    response = browser.get("/admin/tracker/statusround/abc/change/", follow=True)
    assert response.status_code == 200
    assert "findes ikke" in response.content.decode() or "eksisterer ikke" in (
        response.content.decode()
    )


def test_a_good_address_still_works(browser, obligation):
    assert browser.get("/api/forpligtelser?limit=500&offset=0").status_code == 200
    owned = browser.get(f"/admin/agreements/obligation/?ansvarlig={obligation.lead_owner_id}")
    assert "Oplæg om anvendelse af midlerne" in owned.content.decode()
    assert browser.get("/admin/tracker/statusreport/?reported_at__year=2024").status_code == 200
