from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agreements.models import Obligation
from tracker.models import StatusReport

pytestmark = pytest.mark.django_db


def generate(*args) -> str:
    out = StringIO()
    call_command("generate_synthetic", "--no-progress", *args, stdout=out)
    return out.getvalue()


def test_it_makes_obligations_with_windows_reports_and_history():
    out = generate("--obligations", "450", "--reports-per-obligation", "2", "--seed", "7")
    assert "Made 450 obligations in 2 agreements" in out
    assert Obligation.objects.count() == 450
    assert Obligation.objects.filter(due_end__isnull=False).count() > 400
    assert Obligation.history.count() == 450
    assert StatusReport.objects.count() > 0
    assert StatusReport.history.count() == StatusReport.objects.count()
    assert Obligation.objects.filter(co_owners__isnull=False).exists()


def test_the_latest_report_is_the_obligations_status():
    generate("--obligations", "200")
    for ob in Obligation.objects.filter(status_changed_at__isnull=False)[:50]:
        latest = ob.status_reports.order_by("-reported_at").first()
        assert (ob.status, ob.status_changed_at) == (latest.status, latest.reported_at)


def test_the_same_seed_gives_the_same_data():
    generate("--obligations", "100", "--seed", "3")
    first = list(Obligation.objects.order_by("key").values_list("phrase", "status"))
    Obligation.objects.all().delete()
    generate("--obligations", "100", "--seed", "3")
    assert list(Obligation.objects.order_by("key").values_list("phrase", "status")) == first


def test_a_bad_count_is_an_error():
    with pytest.raises(CommandError, match="at least 1"):
        generate("--obligations", "0")
