from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404

from common import roles
from followup.feeds import party_calendar
from followup.models import CalendarFeed, StatusReport


def calendar_feed(request, token: str) -> HttpResponse:
    """A party's deadlines as iCalendar; the token is the only key, so a revoked one is 404."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("party"), token=token, revoked_at__isnull=True
    )
    response = HttpResponse(party_calendar(feed.party), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="frister.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@roles.role_required
def evidence(request, name: str) -> FileResponse:
    """An evidence file, only to users who may see the obligation it documents.

    Files live outside the web root; the name must be one a status report holds, so no
    other file under MEDIA_ROOT can be reached.
    """
    report = StatusReport.objects.filter(evidence_file=name).select_related("obligation").first()
    if report is None:
        raise Http404
    if not (request.user.is_staff and request.user.has_perm("agreements.view_obligation")):
        raise PermissionDenied
    return FileResponse(report.evidence_file.open("rb"), as_attachment=True)
