"""Users in each role, for the access tests."""

import pytest
from django.contrib.auth.models import Group

from common.roles import COORDINATOR, OBSERVER, SECRETARIAT
from tests.factories import ObligationFactory, UserFactory


def in_group(user, name):
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def region_coordinator(regions):
    user = in_group(UserFactory(username="rikke-region"), COORDINATOR)
    regions.coordinators.add(user)
    return user


@pytest.fixture
def kl_coordinator(kl):
    user = in_group(UserFactory(username="karl-kl"), COORDINATOR)
    kl.coordinators.add(user)
    return user


@pytest.fixture
def observer(db):
    return in_group(UserFactory(username="olga-observator"), OBSERVER)


@pytest.fixture
def secretary(db):
    return in_group(UserFactory(username="sara-sekretariat"), SECRETARIAT)


@pytest.fixture
def kl_obligation(agreement, kl):
    return ObligationFactory(agreement=agreement, lead_owner=kl, key="kl-opgave", phrase="2099")
