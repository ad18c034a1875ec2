"""The status report form shared by the status report admin and the obligation's inline,
and how a report's state reads there."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from common.concurrency import VersionedForm
from tracker import completion
from tracker.models import StatusReport

# Only the secretariat gives a report an earlier day than the one it is registered.
BACKDATING_FIELDS = ["effective_from", "effective_reason"]
# What only the secretariat sets on a report: an earlier day, and whether its text is public.
SECRETARIAT_FIELDS = [*BACKDATING_FIELDS, "public"]


class StatusReportForm(VersionedForm):
    """Checks the report by `completion.check_report` for the user it is shown to.

    The admin sets `user` on the form class it makes for each request."""

    user = None

    class Meta:
        model = StatusReport
        fields = [
            "obligation",
            "status",
            "text",
            "evidence_url",
            "evidence_file",
            "source",
            *SECRETARIAT_FIELDS,
        ]

    def _post_clean(self):
        super()._post_clean()
        if self.user is None or self.errors or not self.instance.obligation_id:
            return
        if self.instance.pk and not self.has_changed():
            return
        try:
            completion.check_report(self.instance, self.user)
        except PermissionDenied as refused:
            self.add_error(None, str(refused) or "Du kan ikke gemme denne statusrapport.")
        except ValidationError as problem:
            fields = set(self.fields)
            for field, messages in problem.message_dict.items():
                self.add_error(field if field in fields else None, messages)


def holds_from_text(report: StatusReport) -> str:
    """The day a report holds from, with the secretariat's reason when it is earlier."""
    if report.pk is None:
        return "–"
    text = f"{report.holds_from():%d.%m.%Y}"
    if report.effective_from:
        text += f" (sat af sekretariatet: {report.effective_reason})"
    return text


def review_text(report: StatusReport) -> str:
    """Where a closing status stands: confirmed, sent back, or waiting, with a link to review."""
    if report.pk is None or not report.is_claim:
        return "–"
    if report.confirmed_at:
        who = report.confirmed_by.get_username() if report.confirmed_by else "sekretariatet"
        return f"Bekræftet af {who} {timezone.localtime(report.confirmed_at):%d.%m.%Y}"
    if report.returned_at:
        return f"Sendt tilbage: {report.returned_reason}"
    url = reverse("admin:tracker_statusreport_review", args=[report.pk])
    return format_html('Anmeldt – afventer sekretariatet. <a href="{}">Behandl</a>', url)
