"""Shared fixtures: named domain objects and real servers on localhost."""

import os

import pytest
from django.db import transaction

from operations.loading import load_agreements
from tests.browser import page  # noqa: F401 - a fixture for the browser tests
from tests.factories import (
    AgreementFactory,
    ContactFactory,
    ForumFactory,
    InitiativeFactory,
    ObligationFactory,
    PartyFactory,
)
from tests.meeting_scenario import scenario  # noqa: F401 - a Taskforce meeting with history
from tests.servers import celery_worker, redis_server, smtp_server  # noqa: F401
from tests.users import (  # noqa: F401 - the users, one per role
    kl_coordinator,
    kl_obligation,
    observer,
    region_coordinator,
    secretariat_member,
    superuser,
)

# Playwright's synchronous API runs an event loop in the test's thread; the live
# server and the test's own database calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def regions(db):
    party = PartyFactory(name="Danske Regioner", slug="danske-regioner")
    ContactFactory(party=party, name="Rikke Region", email="rikke@regioner.example.org")
    return party


@pytest.fixture
def kl(db):
    party = PartyFactory(name="KL", slug="kl", kind="kommune")
    ContactFactory(party=party, name="Karl Kommune", email="karl@kl.example.org")
    return party


@pytest.fixture
def taskforce(db):
    return ForumFactory()


@pytest.fixture
def agreement(regions, kl):
    return AgreementFactory(
        title="Udmøntningsaftale om Kræftplan IV (2017-2020)",
        short_name="Kræftplan IV",
        slug="kraeftplan-iv",
        year=2017,
        parties=[regions, kl],
    )


@pytest.fixture
def initiative(agreement):
    return InitiativeFactory(agreement=agreement, label="3", title="Behandling i hjemmet")


@pytest.fixture
def obligation(agreement, initiative, regions, taskforce):
    """Danske Regioner's oplæg, to be presented to the Taskforce primo 2017."""
    ob = ObligationFactory(
        agreement=agreement,
        initiative=initiative,
        key="oplaeg-behandling-i-hjemmet",
        action="Oplæg om anvendelse af midlerne præsenteres i Taskforcen",
        phrase="primo 2017",
        lead_owner=regions,
    )
    ob.forums.add(taskforce)
    return ob


@pytest.fixture(scope="module")
def agreements_loaded(django_db_setup, django_db_blocker):
    """The five agreements with their status history, loaded once for a whole test module
    and rolled back after it. Each test still runs in a transaction of its own (a savepoint
    inside this one), so what a test changes is gone for the next. Not for modules with
    transactional or live-server tests: they need a database that is not held open."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_agreements(with_history=True)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
