"""The users of the tests, one per role, named so that they cannot be confused:
`superuser` (a Django superuser, who counts as the secretariat), `secretariat_member` (a
staff user in the group Sekretariat), `region_coordinator` and `kl_coordinator` (in the
group Koordinator and their party's coordinators), `observer` (group Observatør)."""

import pytest
from django.contrib.auth.models import Group

from common.roles import COORDINATOR, OBSERVER, SECRETARIAT
from tests.factories import ObligationFactory, UserFactory


def in_group(user, name):
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="sekretariatet", is_superuser=True)


@pytest.fixture
def region_coordinator(regions):
    user = UserFactory(username="rikke", first_name="Rikke", last_name="Region")
    user = in_group(user, COORDINATOR)
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
def secretariat_member(db):
    return in_group(UserFactory(username="sara-sekretariat"), SECRETARIAT)


@pytest.fixture
def kl_obligation(agreement, kl):
    return ObligationFactory(agreement=agreement, lead_owner=kl, key="kl-opgave", phrase="2099")
