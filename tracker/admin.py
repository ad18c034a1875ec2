from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from tracker.models import CalendarFeed, Reminder, StatusReport


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
