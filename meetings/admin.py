from django.contrib import admin
from django.utils.html import format_html

from agreements.models import Forum
from common.audit import AuditedAdmin
from meetings.models import Meeting
from meetings.report import DEFAULT_FORUM_SLUG


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
