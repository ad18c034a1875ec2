"""The coordinators' admin for agreements, parties and funding. The obligations' own page,
where their follow-up is written, is in `followup.admin.obligations`."""

import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from agreements.closing import close_out, not_final
from agreements.models import (
    Agreement,
    Contact,
    Forum,
    FundingLine,
    FundingTotal,
    Initiative,
    Party,
    Series,
)
from common import roles
from common.audit import AuditedAdmin


class InitiativeInline(admin.TabularInline):
    model = Initiative
    extra = 0
    fields = ["order", "label", "title", "focus_area"]


@admin.register(Agreement)
class AgreementAdmin(AuditedAdmin):
    list_display = [
        "title",
        "short_name",
        "date",
        "year",
        "obligation_count",
        "closed_text",
        "reader_link",
    ]
    list_filter = [("closed_on", admin.EmptyFieldListFilter)]
    readonly_fields = ["reader_link", "closed_text"]
    search_fields = ["title", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    filter_horizontal = ["parties"]
    inlines = [InitiativeInline]

    @admin.display(description="læser")
    def reader_link(self, obj):
        if obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">Åbn aftalen i læseren</a> · <a href="{}">Tidslinje</a> · '
            '<a href="{}">Finansiering</a>',
            reverse("agreements:reader", args=[obj.slug]),
            reverse("overview:timeline", args=[obj.slug]),
            reverse("overview:funding", args=[obj.slug]),
        )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(obligation_total=Count("obligations"))

    @admin.display(description="forpligtelser", ordering="obligation_total")
    def obligation_count(self, obj):
        return obj.obligation_total

    @admin.display(description="afsluttet", ordering="closed_on")
    def closed_text(self, obj):
        if not obj.is_closed:
            return "Nej"
        return f"{obj.closed_on:%d.%m.%Y}: {obj.closing_note}"

    def get_urls(self):
        view = self.admin_site.admin_view(self.close_out_view)
        return [
            path("<int:pk>/afslut/", view, name="agreements_agreement_close_out"),
            *super().get_urls(),
        ]

    def close_out_view(self, request, pk: int):
        """The secretariat marks the agreement afsluttet, with a date and a note."""
        agreement = get_object_or_404(Agreement, pk=pk)
        if not roles.is_secretariat(request.user):
            raise PermissionDenied
        errors = {}
        closed_on = request.POST.get("closed_on", timezone.localdate().isoformat())
        note = request.POST.get("closing_note", "")
        if request.method == "POST":
            try:
                day = datetime.date.fromisoformat(closed_on)
            except ValueError:
                errors["closed_on"] = ["Skriv datoen som en dato, fx 2026-12-31."]
            else:
                try:
                    close_out(agreement, day, note, request.user)
                except ValidationError as problem:
                    errors = problem.message_dict
                else:
                    self.message_user(request, f"{agreement} er afsluttet.", messages.SUCCESS)
                    return redirect("admin:agreements_agreement_change", agreement.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Afslut {agreement}",
            "agreement": agreement,
            "not_final": not_final(agreement).order_by("due_end", "pk")[:50],
            "not_final_count": not_final(agreement).count(),
            "closed_on": closed_on,
            "closing_note": note,
            "errors": errors,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/agreements/agreement/close_out.html", context)


@admin.register(Initiative)
class InitiativeAdmin(AuditedAdmin):
    list_display = ["__str__", "agreement", "focus_area"]
    list_filter = ["agreement"]
    search_fields = ["label", "title"]
    list_select_related = ["agreement"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 1


@admin.register(Party)
class PartyAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["coordinators"]
    inlines = [ContactInline]


@admin.register(Forum)
class ForumAdmin(AuditedAdmin):
    list_display = ["name", "short_name"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "agreement"]
    list_filter = ["agreement"]
    search_fields = ["title"]


@admin.register(FundingLine)
class FundingLineAdmin(AuditedAdmin):
    list_display = [
        "row",
        "parent_row",
        "agreement",
        "recipient",
        "channel",
        "year",
        "ongoing",
        "amount",
        "derived",
    ]
    list_filter = ["agreement", "table", "recipient_group", "channel", "year", "derived"]
    search_fields = ["row", "recipient"]
    list_select_related = ["agreement"]


@admin.register(FundingTotal)
class FundingTotalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "agreement", "table", "row", "ongoing", "amount"]
    list_filter = ["agreement"]
