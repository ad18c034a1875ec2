"""A Taskforce meeting on 1 June 2017 with a known history: who changed what, and when.

The `scenario` fixture is offered to every test through tests/conftest.py.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agreements.models import Agreement, Obligation
from agreements.status import Status
from meetings.models import Meeting
from tests.factories import (
    AgreementFactory,
    DatedObligationFactory,
    MeetingFactory,
    StatusReportFactory,
)

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
PREVIOUS_DAY = datetime.date(2017, 3, 1)
MEETING_DAY = datetime.date(2017, 6, 1)
NEXT_DAY = datetime.date(2017, 9, 1)


def at(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=COPENHAGEN)


def window(start: datetime.date, end: datetime.date) -> dict:
    return {"due_start": start, "due_end": end}


@dataclass
class Scenario:
    previous: Meeting
    meeting: Meeting
    next: Meeting
    other_agreement: Agreement
    overdue: Obligation  # Forsinket since 10 April, by Rikke Region
    due_soon: Obligation  # due July–August, before the next meeting
    informs: Obligation  # the Taskforce is to be told; done on 20 May
    moved: Obligation  # deadline moved on 15 May, by Rikke Region
    later: Obligation  # due in 2018
    kl_overdue: Obligation  # KL's, in the other agreement


def report(obligation: Obligation, status: str, text: str, when: datetime.datetime, author):
    """A status report written by `author` at `when`, as the admin would record it."""
    with time_machine.travel(when, tick=False):
        # The admin's HistoryRequestMiddleware names the user on every history row of
        # the request; outside a request, simple-history reads _history_user.
        obligation._history_user = author
        return StatusReportFactory(obligation=obligation, status=status, text=text, author=author)


@pytest.fixture
def scenario(taskforce, agreement, initiative, regions, kl, region_coordinator) -> Scenario:
    with time_machine.travel(at(2017, 1, 16), tick=False):
        previous = MeetingFactory(forum=taskforce, date=PREVIOUS_DAY)
        meeting = MeetingFactory(forum=taskforce, date=MEETING_DAY, title="Sommermødet")
        following = MeetingFactory(forum=taskforce, date=NEXT_DAY)
        other = AgreementFactory(
            title="Udmøntning af midler til rehabilitering", short_name="Rehabilitering"
        )
        overdue = DatedObligationFactory(
            agreement=agreement,
            initiative=initiative,
            action="Hvidbog om patientansvarlig læge",
            phrase="primo 2017",
            lead_owner=regions,
            **window(datetime.date(2017, 1, 1), datetime.date(2017, 3, 31)),
        )
        due_soon = DatedObligationFactory(
            agreement=agreement,
            action="Oplæg om hurtigere udredning",
            phrase="sommeren 2017",
            lead_owner=kl,
            **window(datetime.date(2017, 7, 1), datetime.date(2017, 8, 31)),
        )
        informs = DatedObligationFactory(
            agreement=agreement,
            initiative=initiative,
            action="Status på behandling i hjemmet præsenteres i Taskforcen",
            phrase="maj 2017",
            lead_owner=regions,
            **window(datetime.date(2017, 5, 1), datetime.date(2017, 5, 31)),
        )
        informs.forums.add(taskforce)
        moved = DatedObligationFactory(
            agreement=agreement,
            action="Evaluering af pakkeforløbene",
            phrase="ultimo 2017",
            lead_owner=regions,
            **window(datetime.date(2017, 10, 1), datetime.date(2017, 12, 31)),
        )
        later = DatedObligationFactory(
            agreement=agreement,
            action="Afrapportering om kræftrehabilitering",
            phrase="2018",
            lead_owner=regions,
            **window(datetime.date(2018, 1, 1), datetime.date(2018, 12, 31)),
        )
        kl_overdue = DatedObligationFactory(
            agreement=other,
            action="Kommunal plan for rehabilitering",
            phrase="februar 2017",
            lead_owner=kl,
            **window(datetime.date(2017, 2, 1), datetime.date(2017, 2, 28)),
        )

    report(overdue, Status.ON_TRACK, "Arbejdet er i gang.", at(2017, 2, 1), region_coordinator)
    report(
        overdue,
        Status.DELAYED,
        "Hvidbogen afventer høring i regionerne.",
        at(2017, 4, 10),
        region_coordinator,
    )
    report(
        informs,
        Status.DONE,
        "Præsenteret på Taskforcens møde.",
        at(2017, 5, 20),
        region_coordinator,
    )
    with time_machine.travel(at(2017, 5, 15), tick=False):
        moved.due_start, moved.due_end = datetime.date(2018, 1, 1), datetime.date(2018, 3, 31)
        moved._history_user = region_coordinator
        moved.save()
    return Scenario(
        previous=previous,
        meeting=meeting,
        next=following,
        other_agreement=other,
        overdue=overdue,
        due_soon=due_soon,
        informs=informs,
        moved=moved,
        later=later,
        kl_overdue=kl_overdue,
    )
