"""Meetings in the admin: recorded with history, with buttons to the report and its PDF."""

from django.urls import reverse

from meetings.models import Meeting


def test_the_meeting_page_has_buttons_for_the_report_and_the_pdf(client, superuser, scenario):
    client.force_login(superuser)
    url = reverse("admin:meetings_meeting_change", args=[scenario.meeting.pk])
    html = client.get(url).content.decode()
    assert (
        f'<a href="/rapporter/taskforce/{scenario.meeting.pk}/" class="report-link">'
        "Åbn statusrapport</a>" in html
    )
    assert f'href="/rapporter/taskforce/{scenario.meeting.pk}.pdf"' in html
    assert "Hent statusrapport som PDF" in html
    # The admin's own history button is still there.
    assert f"/admin/meetings/meeting/{scenario.meeting.pk}/history/" in html


def test_a_new_meeting_proposes_the_taskforce_and_has_no_report_buttons(
    client, superuser, taskforce
):
    client.force_login(superuser)
    response = client.get(reverse("admin:meetings_meeting_add"))
    assert response.context["adminform"].form.initial["forum"] == taskforce.pk
    assert "Åbn statusrapport" not in response.content.decode()


def test_a_meeting_is_recorded_with_history(client, superuser, taskforce):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:meetings_meeting_add"),
        {"forum": taskforce.pk, "date": "12.03.2024", "title": "Marts-mødet", "notes": ""},
    )
    assert response.status_code == 302, response.content.decode()
    meeting = Meeting.objects.get()
    assert str(meeting) == "Taskforcen 12.03.2024: Marts-mødet"
    assert meeting.history.get().history_user == superuser


def test_the_meeting_list_links_to_each_report(client, superuser, scenario):
    client.force_login(superuser)
    html = client.get(reverse("admin:meetings_meeting_changelist")).content.decode()
    for meeting in [scenario.previous, scenario.meeting, scenario.next]:
        assert f'href="/rapporter/taskforce/{meeting.pk}/"' in html
