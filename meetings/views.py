"""The status report pages: thin views around meetings.report and meetings.render."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, Forum, Party
from common import roles
from common.query import BadQueryValue, bad_request, parse_date
from meetings.models import Meeting
from meetings.render import render_html, render_pdf
from meetings.report import DEFAULT_FORUM_SLUG, Report, UnknownFilter, build_report, find_filters
from meetings.word import CONTENT_TYPE as DOCX
from meetings.word import render_docx

FILTER_NAMES = {"agreement": "aftale", "owner": "ansvarlig"}


def _build(request: HttpRequest, meeting_or_date, forum=None) -> Report | HttpResponse:
    try:
        agreements, owners = find_filters(
            request.GET.getlist("aftale"), request.GET.getlist("ansvarlig")
        )
    except UnknownFilter as error:
        return HttpResponseBadRequest(
            f"Ukendt {FILTER_NAMES[error.kind]}: {', '.join(error.slugs)}",
            content_type="text/plain; charset=utf-8",
        )
    return build_report(meeting_or_date, forum, agreements=agreements, owners=owners)


def _page(
    request: HttpRequest, report: Report, pdf_url: str, docx_url: str, keep: list
) -> HttpResponse:
    query = request.GET.urlencode()
    links = {
        "pdf": f"{pdf_url}?{query}" if query else pdf_url,
        "docx": f"{docx_url}?{query}" if query else docx_url,
        "admin": reverse("admin:meetings_meeting_change", args=[report.meeting.pk])
        if report.meeting
        else "",
        "filter_form": True,
        "keep": keep,
        "all_agreements": Agreement.objects.all(),
        "all_parties": Party.objects.all(),
    }
    return HttpResponse(render_html(report, links=links, request=request))


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _pdf(report: Report) -> HttpResponse:
    return _download(render_pdf(report), "application/pdf", f"{report.filename_stem}.pdf")


def _docx(report: Report) -> HttpResponse:
    return _download(render_docx(report), DOCX, f"{report.filename_stem}.docx")


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("forum"), pk=pk)


@roles.role_required
def meeting_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = _build(request, _meeting(pk))
    if isinstance(report, HttpResponse):
        return report
    return _page(
        request,
        report,
        reverse("meetings:report-pdf", args=[pk]),
        reverse("meetings:report-docx", args=[pk]),
        keep=[],
    )


@roles.role_required
def meeting_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _build(request, _meeting(pk))
    return report if isinstance(report, HttpResponse) else _pdf(report)


@roles.role_required
def meeting_report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _build(request, _meeting(pk))
    return report if isinstance(report, HttpResponse) else _docx(report)


def _preview(request: HttpRequest) -> Report | HttpResponse:
    text = request.GET.get("dato", "")
    try:
        date = parse_date(text, "dato") if text else timezone.localdate()
    except BadQueryValue as refused:
        return bad_request(str(refused))
    slug = request.GET.get("forum") or DEFAULT_FORUM_SLUG
    forum = Forum.objects.filter(slug=slug).first()
    if forum is None:
        raise Http404(f"Ukendt forum: {slug}")
    return _build(request, date, forum)


@roles.role_required
def preview_report(request: HttpRequest) -> HttpResponse:
    report = _preview(request)
    if isinstance(report, HttpResponse):
        return report
    keep = [("dato", report.date.isoformat()), ("forum", report.forum.slug)]
    return _page(
        request,
        report,
        reverse("meetings:preview-pdf"),
        reverse("meetings:preview-docx"),
        keep=keep,
    )


@roles.role_required
def preview_report_pdf(request: HttpRequest) -> HttpResponse:
    report = _preview(request)
    return report if isinstance(report, HttpResponse) else _pdf(report)


@roles.role_required
def preview_report_docx(request: HttpRequest) -> HttpResponse:
    report = _preview(request)
    return report if isinstance(report, HttpResponse) else _docx(report)
