import datetime

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html

from agreements.models import Forum
from common import roles
from common.audit import AuditedAdmin
from meetings.models import Meeting
from meetings.report import DEFAULT_FORUM_SLUG
from tracker.models import StatusRound
from tracker.rounds import opening


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["date", "forum", "title", "report_links"]
    list_filter = ["forum"]
    search_fields = ["title", "notes"]
    date_hierarchy = "date"
    list_select_related = ["forum"]
    fields = ["forum", "date", "title", "notes"]

    @admin.display(description="statusrapport")
    def report_links(self, obj):
        return format_html(
            '<a href="{}">Åbn</a> · <a href="{}">PDF</a>', obj.get_absolute_url(), obj.get_pdf_url()
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "forum" not in initial:
            forum = Forum.objects.filter(slug=DEFAULT_FORUM_SLUG).first()
            if forum:
                initial["forum"] = forum.pk
        return initial

    def get_urls(self):
        view = self.admin_site.admin_view(self.open_round_view)
        return [
            path("<int:pk>/statusrunde/", view, name="meetings_meeting_status_round"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        extra_context["status_round"] = _round_of(object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def open_round_view(self, request, pk: int):
        """The secretariat opens the status round before the meeting: every owner is asked."""
        meeting = get_object_or_404(Meeting.objects.select_related("forum"), pk=pk)
        if not roles.is_secretariat(request.user):
            raise PermissionDenied
        existing = _round_of(meeting.pk)
        if existing:
            return redirect(existing.get_absolute_url())
        today = timezone.localdate()
        answer_by = opening.default_answer_by(meeting.date, today)
        error = ""
        if request.method == "POST":
            try:
                answer_by = datetime.date.fromisoformat(request.POST.get("answer_by", ""))
            except ValueError:
                error = "Skriv svarfristen som en dato, fx 2027-01-15."
            if not error:
                try:
                    status_round = opening.open_round(
                        meeting.forum, meeting.date, answer_by, request.user, today
                    )
                except ValidationError as problem:
                    error = " ".join(problem.messages)
                else:
                    self.message_user(
                        request,
                        f"Statusrunden er åbnet: {status_round.items.count()} forpligtelser; "
                        "invitationerne sendes inden for "
                        f"{settings.REMINDER_DELIVERY_EVERY_MINUTES} minutter.",
                        messages.SUCCESS,
                    )
                    return redirect(status_round.get_absolute_url())
        context = {
            **self.admin_site.each_context(request),
            "title": "Åbn statusrunde",
            "meeting": meeting,
            "answer_by": answer_by,
            "error": error,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/meetings/meeting/open_round.html", context)


def _round_of(meeting_pk) -> StatusRound | None:
    meeting = Meeting.objects.filter(pk=meeting_pk).values("forum_id", "date").first()
    if meeting is None:
        return None
    return StatusRound.objects.filter(
        forum_id=meeting["forum_id"], meeting_date=meeting["date"]
    ).first()
