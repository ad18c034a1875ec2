"""Only the secretariat publishes an agreement or withdraws it (with who and when), and only
the secretariat marks a status report's text public."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agreements import publishing
from agreements.models import Agreement
from tracker import completion
from tracker.models import StatusReport

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/agreements/agreement/"


def run_action(client, action: str, agreement):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [agreement.pk], "index": 0}
    )


@pytest.mark.parametrize("user", ["superuser", "secretariat_member"])
def test_the_secretariat_publishes_and_withdraws_in_the_admin(client, agreement, user, request):
    member = request.getfixturevalue(user)
    client.force_login(member)
    assert "Offentliggør valgte aftaler" in client.get(CHANGELIST).content.decode()
    run_action(client, "publish", agreement)
    agreement.refresh_from_db()
    assert agreement.published_at is not None
    assert agreement.published_by == member
    assert client.get(f"/offentlig/aftaler/{agreement.slug}/").status_code == 200
    assert agreement.history.first().history_change_reason == "Offentliggjort"
    run_action(client, "withdraw", agreement)
    agreement.refresh_from_db()
    assert agreement.published_at is None


@pytest.mark.parametrize("user", ["region_coordinator", "observer"])
def test_no_one_else_may_publish(client, agreement, user, request):
    member = request.getfixturevalue(user)
    client.force_login(member)
    assert "Offentliggør" not in client.get(CHANGELIST).content.decode()
    run_action(client, "publish", agreement)
    agreement.refresh_from_db()
    assert agreement.published_at is None
    with pytest.raises(PermissionDenied):
        publishing.publish(Agreement.objects.all(), member)


def test_only_the_secretariat_makes_a_report_text_public(obligation, region_coordinator, superuser):
    report = StatusReport(obligation=obligation, status="igangsat", text="Tekst", public=True)
    with pytest.raises(ValidationError) as refused:
        completion.write_report(report, region_coordinator)
    assert "public" in refused.value.message_dict
    report = completion.write_report(
        StatusReport(obligation=obligation, status="igangsat", text="Tekst"), region_coordinator
    )
    report.public = True
    with pytest.raises(ValidationError):
        completion.write_report(report, region_coordinator)
    report.public = True
    completion.write_report(report, superuser)
    assert StatusReport.objects.get(pk=report.pk).public


def test_the_coordinator_sees_the_public_mark_read_only(client, obligation, region_coordinator):
    client.force_login(region_coordinator)
    page = client.get(f"/admin/agreements/obligation/{obligation.pk}/change/").content.decode()
    assert 'name="status_reports-0-public"' not in page
