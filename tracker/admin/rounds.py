"""The status rounds: the secretariat's progress page, reminders, closing, and the links.

A round is opened from its meeting (`meetings.admin`) or with `manage.py status_round`;
this admin shows where it stands, and revokes a link that went astray.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from common import roles
from common.audit import AuditedAdmin
from tracker.models import RoundLink, StatusRound
from tracker.rounds import progress


@admin.register(StatusRound)
class StatusRoundAdmin(AuditedAdmin):
    list_display = ["__str__", "answer_by", "answered", "state", "opened_at"]
    list_filter = ["forum", ("closed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["forum"]
    date_hierarchy = "meeting_date"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                asked=Count("items", distinct=True),
                answered_count=Count(
                    "items", filter=Q(items__answered_at__isnull=False), distinct=True
                ),
            )
        )

    @admin.display(description="besvaret")
    def answered(self, obj):
        return f"{obj.answered_count}/{obj.asked}"

    @admin.display(description="tilstand", ordering="closed_at")
    def state(self, obj):
        if obj.is_open:
            return "Åben"
        return f"Lukket {timezone.localtime(obj.closed_at):%d.%m.%Y}"

    def has_add_permission(self, request):
        # Opened from its meeting, which it belongs to.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The progress page, in place of a form: a round is not edited, it is run."""
        status_round = get_object_or_404(StatusRound.objects.select_related("forum"), pk=object_id)
        if not self.has_view_or_change_permission(request, status_round):
            raise PermissionDenied
        unanswered = []
        if request.method == "POST":
            if not roles.is_secretariat(request.user):
                raise PermissionDenied
            if "remind" in request.POST:
                written = progress.remind(status_round)
                if not status_round.is_open:
                    self.message_user(request, "Runden er lukket.", messages.ERROR)
                elif written:
                    self.message_user(
                        request,
                        "Påmindelsen sendes til kontaktpersonerne hos de parter, der ikke "
                        "har svaret på alt.",
                        messages.SUCCESS,
                    )
                else:
                    self.message_user(
                        request,
                        "Ingen påmindelse: alle har svaret, eller der er allerede sendt en "
                        "påmindelse i dag.",
                        messages.WARNING,
                    )
                return redirect(request.path)
            if "close" in request.POST:
                progress.close(status_round, request.user)
                self.message_user(
                    request, "Runden er lukket; linkene virker ikke længere.", messages.SUCCESS
                )
                return redirect(request.path)
        status_round.refresh_from_db()
        parties = progress.progress(status_round, with_unanswered=not status_round.is_open)
        if not status_round.is_open:
            unanswered = [p for p in parties if p.unanswered]
        context = {
            **self.admin_site.each_context(request),
            "title": str(status_round),
            "status_round": status_round,
            "parties": parties,
            "asked": status_round.items.count(),
            "answered": status_round.items.filter(answered_at__isnull=False).count(),
            "unanswered": unanswered,
            "may_run": roles.is_secretariat(request.user) and status_round.is_open,
            "opts": self.model._meta,
            "original": status_round,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/tracker/statusround/progress.html", context)


@admin.register(RoundLink)
class RoundLinkAdmin(admin.ModelAdmin):
    """The personal links the round's e-mails carried: revoke one that went astray."""

    list_display = [
        "contact",
        "party",
        "status_round",
        "created_at",
        "first_opened_at",
        "last_used_at",
        "state",
    ]
    list_filter = ["status_round", "party", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["contact", "party", "status_round__forum"]
    search_fields = ["contact__name", "contact__email", "party__name"]
    fields = [*list_display[:-1], "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    @admin.display(description="tilstand")
    def state(self, obj):
        if obj.revoked_at:
            return "Tilbagekaldt"
        return "Virker" if obj.status_round.is_open else "Runden er lukket"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Tilbagekald valgte svarlinks", permissions=["change"])
    def revoke(self, request, queryset):
        revoked = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            f"{revoked} svarlink(s) tilbagekaldt. Send en påmindelse fra runden, hvis "
            "kontaktpersonen skal have et nyt link.",
            messages.SUCCESS,
        )
