from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.csrf import csrf_protect

from common import roles
from tracker.feeds import party_calendar
from tracker.models import CalendarFeed, RoundLink, StatusReport
from tracker.rounds import answers, links


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


def _private(response: HttpResponse) -> HttpResponse:
    """An answer page's address holds its credential: not cached, not sent to another
    site, not indexed. (Same-origin, not no-referrer: with no referrer the browser sends
    the form's POST with "Origin: null", which the CSRF check rightly refuses.)"""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _refused(request, message: str, status: int) -> HttpResponse:
    context = {
        **admin.site.each_context(request),
        "message": message,
        "title": "Statusrunde",
        "secretariat": _secretariat(),
    }
    return _private(render(request, "tracker/rounds/refused.html", context, status=status))


def _secretariat() -> str:
    return next((a.strip() for a in settings.TASKFORCE_SECRETARIAT_EMAILS if a.strip()), "")


FOREIGN = (
    "Svarene nævner en forpligtelse, som dit link ikke gælder for, så intet er gemt. "
    "Åbn siden igen fra linket i e-mailen."
)


@csrf_protect
def round_answer(request, token: str) -> HttpResponse:
    """A party's answer page in a status round, opened by a contact's personal link."""
    try:
        link = links.find(token)
    except links.LinkRefused as refused:
        return _refused(request, refused.message, refused.status)
    if request.method not in ("GET", "HEAD", "POST"):
        return _private(HttpResponseNotAllowed(["GET", "POST"]))
    saved = None
    if request.method == "POST":
        allowed = set(
            links.party_items(link.status_round, link.party_id).values_list(
                "obligation_id", flat=True
            )
        )
        try:
            submitted = answers.parse(request.POST, allowed)
            rows, changed = answers.save(link, submitted)
        except answers.ForeignObligation:
            return _refused(request, FOREIGN, 400)
        except links.LinkRefused as refused:
            return _refused(request, refused.message, refused.status)
        if not any(row.errors for row in rows):
            return _private(redirect(f"{request.path}?gemt={changed}"))
    else:
        RoundLink.objects.filter(pk=link.pk, first_opened_at__isnull=True).update(
            first_opened_at=timezone.now()
        )
        rows = answers.rows_for(link)
        if request.GET.get("gemt", "").isdigit():
            saved = int(request.GET["gemt"])
    errors = sum(1 for row in rows if row.errors)
    status_round = link.status_round
    context = {
        **admin.site.each_context(request),
        "title": f"Status før {status_round.forum}s møde "
        f"{date_format(status_round.meeting_date, 'j. F Y')}",
        "link": link,
        "status_round": status_round,
        "rows": rows,
        "choices": answers.ANSWER_CHOICES,
        "text_required": [str(s) for s in answers.TEXT_REQUIRED],
        "answered": sum(1 for row in rows if row.answered),
        "errors": errors,
        "saved": saved,
        "secretariat": _secretariat(),
    }
    return _private(render(request, "tracker/rounds/answer.html", context))
