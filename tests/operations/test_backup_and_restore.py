"""A backup restores into an empty database with everything there, history included."""

import pytest
from django.core.management import CommandError, call_command

from agreements.models import Agreement, FundingLine, Obligation
from agreements.status import Status
from operations.loading import load_agreements
from tests.factories import UserFactory
from tracker.models import StatusReport

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> dict:
    return {
        "agreements": Agreement.objects.count(),
        "obligations": sorted(Obligation.objects.values_list("key", "due_end", "status")),
        "funding": FundingLine.objects.count(),
        "reports": sorted(StatusReport.objects.values_list("text", "author__username")),
        "obligation history": sorted(
            Obligation.history.values_list("key", "status", "history_user__username")
        ),
        "report history": StatusReport.history.count(),
    }


@pytest.mark.parametrize("name", ["backup.json", "backup.json.gz"])
def test_a_backup_restores_into_an_empty_database_with_its_history(tmp_path, name):
    load_agreements(with_history=True)
    author = UserFactory(username="rikke")
    ob = Obligation.objects.get(agreement__slug="kraeftplan-iv", key="i2-udbud")
    report = StatusReport(obligation=ob, status=Status.DELAYED, text="Udbuddet er forsinket")
    report.author = author
    report._history_user = author
    report.save()
    before = snapshot()
    assert ("i2-udbud", Status.DELAYED, None) in before["obligation history"] or any(
        row[:2] == ("i2-udbud", Status.DELAYED) for row in before["obligation history"]
    )

    call_command("backup_data", str(tmp_path / name))
    call_command("flush", "--no-input")
    assert Obligation.objects.count() == 0
    call_command("restore_data", str(tmp_path / name))

    assert snapshot() == before
    restored = Obligation.objects.get(agreement__slug="kraeftplan-iv", key="i2-udbud")
    assert restored.status_reports.get().author.username == "rikke"
    # New records continue after the restored ids.
    StatusReport.objects.create(obligation=restored, status=Status.ON_TRACK)


def test_restore_refuses_a_database_that_holds_data(tmp_path):
    load_agreements()
    call_command("backup_data", str(tmp_path / "b.json"))
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore_data", str(tmp_path / "b.json"))


def test_a_file_that_is_not_a_backup_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="not a backup"):
        call_command("restore_data", str(bad))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore_data", str(tmp_path / "missing.json"))
