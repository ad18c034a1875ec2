import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from icalendar import Calendar

from agreements.status import Status
from tests.factories import DatedObligationFactory, StatusReportFactory
from tracker.models import CalendarFeed

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://tracker.example.org"


@pytest.fixture
def deadlines(agreement, regions, kl):
    """Danske Regioner leads one obligation and co-owns one; KL leads another on its own."""
    with time_machine.travel(datetime.datetime(2024, 1, 5, 9, tzinfo=COPENHAGEN), tick=False):
        led = DatedObligationFactory(
            agreement=agreement,
            lead_owner=regions,
            key="hvidbog-pal",
            action="Hvidbog om patientansvarlig læge",
            phrase="ved årsskiftet 2016/2017",
            due_end=datetime.date(2024, 6, 30),
        )
        co_owned = DatedObligationFactory(
            agreement=agreement, lead_owner=kl, due_end=datetime.date(2024, 9, 1)
        )
        co_owned.co_owners.add(regions)
        DatedObligationFactory(
            agreement=agreement, lead_owner=kl, due_end=datetime.date(2024, 5, 1)
        )
    return led, co_owned


def events(client, feed: CalendarFeed) -> dict[str, dict]:
    response = client.get(f"/kalender/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_a_party_subscribes_to_its_deadlines_in_a_calendar(client, deadlines, regions):
    led, co_owned = deadlines
    feed = CalendarFeed.objects.create(party=regions)

    by_uid = events(client, feed)

    assert sorted(by_uid) == [
        f"kraeftplan-iv.{co_owned.key}@kraeftplan-tracker",
        "kraeftplan-iv.hvidbog-pal@kraeftplan-tracker",
    ]
    event = by_uid["kraeftplan-iv.hvidbog-pal@kraeftplan-tracker"]
    assert event.decoded("DTSTART") == datetime.date(2024, 6, 30)
    assert event.decoded("DTEND") == datetime.date(2024, 7, 1)
    assert str(event["SUMMARY"]) == "Frist: Hvidbog om patientansvarlig læge (Kræftplan IV)"
    link = f"https://tracker.example.org/admin/agreements/obligation/{led.pk}/change/"
    assert f"Se forpligtelsen: {link}" in str(event["DESCRIPTION"])
    assert "Tidsudtryk: ved årsskiftet 2016/2017" in str(event["DESCRIPTION"])
    assert "Status: Ikke igangsat" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == link
    assert event["SEQUENCE"] == 0


def test_a_moved_deadline_updates_the_same_event(client, deadlines, regions):
    led, _ = deadlines
    feed = CalendarFeed.objects.create(party=regions)
    before = events(client, feed)["kraeftplan-iv.hvidbog-pal@kraeftplan-tracker"]

    moved_at = datetime.datetime(2024, 3, 1, 10, tzinfo=COPENHAGEN)
    with time_machine.travel(moved_at, tick=False):
        led.due_end = datetime.date(2024, 8, 31)
        led.save()
    after = events(client, feed)["kraeftplan-iv.hvidbog-pal@kraeftplan-tracker"]

    assert before.decoded("DTSTART") == datetime.date(2024, 6, 30)
    assert after.decoded("DTSTART") == datetime.date(2024, 8, 31)
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)
    assert before.decoded("LAST-MODIFIED") < after.decoded("LAST-MODIFIED")
    assert after.decoded("LAST-MODIFIED") == moved_at
    assert after.decoded("DTSTAMP") == moved_at

    # A new status changes the description, not the date: no new SEQUENCE.
    with time_machine.travel(datetime.datetime(2024, 3, 2, 10, tzinfo=COPENHAGEN), tick=False):
        StatusReportFactory(obligation=led, status=Status.DELAYED)
    reported = events(client, feed)["kraeftplan-iv.hvidbog-pal@kraeftplan-tracker"]
    assert reported["SEQUENCE"] == 1
    assert "Status: Forsinket" in str(reported["DESCRIPTION"])
    assert reported.decoded("LAST-MODIFIED") > after.decoded("LAST-MODIFIED")


def test_a_revoked_or_unknown_link_is_not_found(client, deadlines, regions):
    feed = CalendarFeed.objects.create(party=regions)
    feed.revoke()

    assert client.get(f"/kalender/{feed.token}.ics").status_code == 404
    assert client.get("/kalender/ikke-en-noegle.ics").status_code == 404
