"""Status reports and their review, the reminders' outbox, the calendar links."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html

from agreements.models import Obligation
from common import roles
from common.audit import AuditedAdmin
from tracker import completion
from tracker.forms import SECRETARIAT_FIELDS, StatusReportForm, holds_from_text, review_text
from tracker.models import CalendarFeed, Reminder, StatusReport


@admin.register(StatusReport)
class StatusReportAdmin(AuditedAdmin):
    """Reports, their corrections, and the secretariat's review of closing statuses."""

    form = StatusReportForm
    list_display = ["obligation", "status_label", "written_by", "reported_at", "holds_from_text"]
    list_filter = ["status", "obligation__agreement"]
    search_fields = ["text", "obligation__action", "source"]
    list_select_related = ["obligation", "author", "contact__party"]
    autocomplete_fields = ["obligation"]
    fields = [
        "obligation",
        "status",
        "text",
        "evidence_url",
        "evidence_file",
        "source",
        *SECRETARIAT_FIELDS,
        "written_by",
        "reported_at",
        "review",
        "expected_version",
    ]
    readonly_fields = ["written_by", "reported_at", "review"]
    date_hierarchy = "reported_at"

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        return obj.status_label()

    @admin.display(description="gælder fra", ordering="effective_at")
    def holds_from_text(self, obj):
        return holds_from_text(obj)

    @admin.display(description="behandling")
    def review(self, obj):
        return review_text(obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None:
            fields.append("obligation")
        if not roles.is_secretariat(request.user):
            fields.extend(SECRETARIAT_FIELDS)
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        if not roles.is_secretariat(request.user) and "obligation" in form.base_fields:
            # A coordinator chooses only among their own party's obligations.
            form.base_fields["obligation"].queryset = Obligation.objects.owned_by(
                roles.party_ids(request.user)
            )
        return form

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or completion.may_correct(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not (roles.is_secretariat(request.user) and super().has_delete_permission(request, obj)):
            return False
        # A reviewed report is part of the record; an unreviewed one may be a mistake.
        return obj is None or not obj.is_reviewed

    def save_model(self, request, obj, form, change):
        completion.write_report(obj, request.user)

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        return [
            path("<int:pk>/behandl/", review, name="tracker_statusreport_review"),
            *super().get_urls(),
        ]

    def review_view(self, request, pk: int):
        """The secretariat confirms a claimed closing status, or sends it back with a reason."""
        report = get_object_or_404(StatusReport.objects.select_related("obligation"), pk=pk)
        if not roles.is_secretariat(request.user):
            raise PermissionDenied
        error = ""
        if request.method == "POST":
            try:
                if "confirm" in request.POST:
                    completion.confirm(report, request.user)
                    self.message_user(request, "Afslutningen er bekræftet.", messages.SUCCESS)
                else:
                    completion.send_back(report, request.user, request.POST.get("reason", ""))
                    self.message_user(request, "Afslutningen er sendt tilbage.", messages.SUCCESS)
                return redirect("admin:agreements_obligation_change", report.obligation_id)
            except ValidationError as problem:
                error = " ".join(problem.messages)
        context = {
            **self.admin_site.each_context(request),
            "title": "Behandl afslutning",
            "report": report,
            "obligation": report.obligation,
            "error": error,
            "reason": request.POST.get("reason", ""),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/tracker/statusreport/review.html", context)


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The outbox, read-only: what was sent, what failed and when it is tried again."""

    list_display = [
        "obligation",
        "recipient",
        "step_display",
        "deadline",
        "status",
        "attempts",
        "next_retry",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "deadline"]
    search_fields = ["recipient", "obligation__action", "last_error"]
    list_select_related = ["obligation"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="trin", ordering="step")
    def step_display(self, obj):
        return obj.step_label()

    @admin.display(description="næste forsøg", ordering="next_attempt_at")
    def next_retry(self, obj):
        if obj.status != Reminder.Status.PENDING:
            return "–"
        return timezone.localtime(obj.next_attempt_at).strftime("%d.%m.%Y %H:%M")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Secret calendar links per party: share the address, revoke it when it leaks."""

    list_display = ["party", "feed_url", "created_at", "revoked_at"]
    list_filter = ["party", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["party"]
    fields = ["party", "feed_url", "created_at", "revoked_at"]
    readonly_fields = ["feed_url", "created_at", "revoked_at"]
    actions = ["revoke", "create_new"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "party"] if obj else self.readonly_fields

    @admin.display(description="adresse til abonnement")
    def feed_url(self, obj):
        if obj.pk is None:
            return "Oprettes når der gemmes."
        if not obj.is_active:
            return format_html("<s>{}</s> (tilbagekaldt)", obj.url())
        return format_html('<a href="{0}">{0}</a>', obj.url())

    @admin.action(description="Tilbagekald valgte kalenderlinks")
    def revoke(self, request, queryset):
        revoked = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{revoked} kalenderlink(s) tilbagekaldt.", messages.SUCCESS)

    @admin.action(description="Opret nyt kalenderlink til de valgte parter")
    def create_new(self, request, queryset):
        parties = {feed.party for feed in queryset.select_related("party")}
        for party in parties:
            CalendarFeed.objects.create(party=party)
        self.message_user(
            request,
            f"{len(parties)} nyt/nye kalenderlink(s) oprettet. Tilbagekald de gamle, "
            "hvis de ikke længere skal virke.",
            messages.SUCCESS,
        )
