"""Each public page and data file costs the same queries for a small and a larger
published agreement."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import publishing
from agreements.models import Agreement
from tests.factories import (
    AgreementFactory,
    InitiativeFactory,
    ObligationFactory,
    PartyFactory,
    StatusReportFactory,
)

pytestmark = pytest.mark.django_db


def an_agreement(slug: str, obligations: int, superuser) -> Agreement:
    agreement = AgreementFactory(slug=slug)
    parties = [PartyFactory() for _ in range(3)]
    initiatives = [InitiativeFactory(agreement=agreement) for _ in range(3)]
    for i in range(obligations):
        ob = ObligationFactory(
            agreement=agreement, initiative=initiatives[i % 3], lead_owner=parties[i % 3]
        )
        ob.co_owners.add(parties[(i + 1) % 3])
        StatusReportFactory(obligation=ob, status="igangsat", public=True)
        if i % 2:
            # A claim not confirmed: the page looks up the report before it.
            StatusReportFactory(obligation=ob, status="faerdiggjort")
    publishing.publish(Agreement.objects.filter(pk=agreement.pk), superuser)
    return agreement


def queries(client, url: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def pages(agreement: Agreement) -> list[str]:
    key = agreement.obligations.order_by("pk").last().key
    return [
        f"/offentlig/aftaler/{agreement.slug}/",
        f"/offentlig/aftaler/{agreement.slug}/{key}/",
        f"/offentlig/data/aftaler/{agreement.slug}/forpligtelser.json",
        f"/offentlig/data/aftaler/{agreement.slug}/forpligtelser.csv",
    ]


def test_small_and_larger_agreements_cost_the_same_queries(client, superuser):
    small = an_agreement("lille", 2, superuser)
    list_with_one = queries(client, "/offentlig/")
    large = an_agreement("stor", 30, superuser)
    assert queries(client, "/offentlig/") == list_with_one
    for small_url, large_url in zip(pages(small), pages(large), strict=True):
        assert queries(client, small_url) == queries(client, large_url), large_url
    assert queries(client, "/offentlig/data/forpligtelser.json") <= 5
