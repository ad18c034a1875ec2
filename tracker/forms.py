"""The status report form shared by the status report admin and the obligation's inline,
and how a report's state reads there."""

from django import forms
from django.contrib.admin.widgets import AdminURLFieldWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from common.concurrency import VersionedForm
from common.templatefilters import shown_link
from tracker import completion
from tracker.models import StatusReport

# Only the secretariat gives a report an earlier day than the one it is registered.
BACKDATING_FIELDS = ["effective_from", "effective_reason"]
# What only the secretariat sets on a report: an earlier day, and whether its text is public.
SECRETARIAT_FIELDS = [*BACKDATING_FIELDS, "public"]


class ShownLinkInput(AdminURLFieldWidget):
    """The admin's link field, whose »Nu:« link shows hidden characters as «U+202E»."""

    # In tracker/templates: widgets are drawn by the form renderer, which reads apps only.
    template_name = "admin/widgets/shown_url.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["shown_link"] = shown_link(value) if value else ""
        return context


class ShownLink(forms.Widget):
    """A written report's link where it is only shown (the obligation's inline): hidden
    characters written out, so that an address cannot read as another."""

    read_only = True

    def render(self, name, value, attrs=None, renderer=None):
        if not value:
            return "–"
        shown = shown_link(value)
        return format_html('<a href="{}" rel="noopener">{}</a>', shown, shown)


class StatusReportForm(VersionedForm):
    """Checks the report by `completion.check_report` for the user it is shown to.

    The admin sets `user` on the form class it makes for each request, and the obligation's
    inline `shows_written_reports`: its reports already written are only shown."""

    user = None
    shows_written_reports = False

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
        widgets = {"evidence_url": ShownLinkInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.shows_written_reports:
            self.fields["evidence_url"].widget = ShownLink()

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
    claim = "Genåbning anmeldt" if report.reopening else "Anmeldt"
    return format_html('{} – afventer sekretariatet. <a href="{}">Behandl</a>', claim, url)
