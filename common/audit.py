"""The audit trail (django-simple-history) in the admin: readable by everyone with a role,
never reverted."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class AuditedAdmin(SimpleHistoryAdmin):
    """An admin with the change history, which cannot be used to roll a record back."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("Historikken kan kun læses, ikke rulles tilbage.")
        return super().history_form_view(request, object_id, version_id, extra_context)
