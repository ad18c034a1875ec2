from django.urls import reverse

from tracker.models import CalendarFeed


def test_calendar_links_are_shown_revoked_and_renewed_in_the_admin(admin_client, regions, settings):
    settings.SITE_URL = "https://tracker.example.org"
    feed = CalendarFeed.objects.create(party=regions)
    changelist = reverse("admin:tracker_calendarfeed_changelist")

    page = admin_client.get(changelist)
    assert f"https://tracker.example.org/kalender/{feed.token}.ics" in page.text

    admin_client.post(changelist, {"action": "create_new", "_selected_action": [feed.pk]})
    admin_client.post(changelist, {"action": "revoke", "_selected_action": [feed.pk]})

    feed.refresh_from_db()
    new = CalendarFeed.objects.exclude(pk=feed.pk).get()
    assert new.party == regions
    assert new.token != feed.token
    assert feed.revoked_at is not None
    assert new.revoked_at is None
    assert admin_client.get(f"/kalender/{feed.token}.ics").status_code == 404
    assert admin_client.get(f"/kalender/{new.token}.ics").status_code == 200


def test_a_calendar_link_is_created_for_a_party_in_the_admin(admin_client, regions):
    admin_client.post(reverse("admin:tracker_calendarfeed_add"), {"party": regions.pk})

    feed = CalendarFeed.objects.get()
    assert feed.party == regions
    assert len(feed.token) >= 32
