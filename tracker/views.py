from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from tracker.feeds import party_calendar
from tracker.models import CalendarFeed


def calendar_feed(request, token: str) -> HttpResponse:
    """A party's deadlines as iCalendar; the token is the only key, so a revoked one is 404."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("party"), token=token, revoked_at__isnull=True
    )
    response = HttpResponse(party_calendar(feed.party), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="frister.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
