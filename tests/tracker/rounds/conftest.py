"""A small world for the status rounds: two parties with their contacts, obligations of
each, one co-owned, and one already closed."""

import datetime

import pytest
from django.utils import timezone

from agreements.status import Status
from tests.factories import ContactFactory, DatedObligationFactory
from tracker.rounds import links, opening


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def meeting_date(today):
    return today + datetime.timedelta(days=30)


@pytest.fixture
def world(agreement, regions, kl, taskforce, today):
    """Danske Regioner leads two open obligations and co-owns KL's; one of its obligations
    is done. Regions has a second contact, and one who gets no e-mails."""
    ContactFactory(party=regions, name="Rasmus Region", email="rasmus@regioner.example.org")
    ContactFactory(
        party=regions, name="Stille Region", email="stille@regioner.example.org",
        receives_reminders=False,
    )  # fmt: skip
    late = DatedObligationFactory(
        agreement=agreement,
        lead_owner=regions,
        action="Hvidbog om patientansvarlig læge",
        due_end=today - datetime.timedelta(days=400),
        status=Status.DELAYED,
    )
    soon = DatedObligationFactory(
        agreement=agreement,
        lead_owner=regions,
        action="Oplæg om behandling i hjemmet",
        due_end=today + datetime.timedelta(days=60),
    )
    shared = DatedObligationFactory(
        agreement=agreement,
        lead_owner=kl,
        action="Fælles plan for opfølgning",
        due_end=today + datetime.timedelta(days=90),
        status=Status.ON_TRACK,
    )
    shared.co_owners.add(regions)
    done = DatedObligationFactory(
        agreement=agreement,
        lead_owner=regions,
        action="Analyse af ventetider",
        due_end=today - datetime.timedelta(days=100),
        status=Status.DONE,
    )
    return {"late": late, "soon": soon, "shared": shared, "done": done}


@pytest.fixture
def status_round(world, taskforce, meeting_date):
    return opening.open_round(taskforce, meeting_date)


@pytest.fixture
def rikke(regions):
    return regions.contacts.get(email="rikke@regioner.example.org")


@pytest.fixture
def karl(kl):
    return kl.contacts.get(email="karl@kl.example.org")


@pytest.fixture
def rikke_token(status_round, rikke):
    """Rikke's personal link, as her invitation would carry it."""
    return links.mint(status_round, rikke)[1]


def answer_path(token: str) -> str:
    return f"/svar/{token}/"
