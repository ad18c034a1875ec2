from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tracker.models import StatusReport


@admin.register(StatusReport)
class StatusReportAdmin(SimpleHistoryAdmin):
    list_display = ["obligation", "status", "author", "reported_at", "source"]
    list_filter = ["status", "obligation__agreement"]
    search_fields = ["text", "obligation__action", "source"]
    list_select_related = ["obligation", "author"]
    autocomplete_fields = ["obligation"]
    readonly_fields = ["author"]
    date_hierarchy = "reported_at"

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
