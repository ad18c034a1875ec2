"""The coordinators' admin for agreements, parties and funding. The obligations' own page,
where their follow-up is written, is in `followup.admin.obligations`."""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

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
from common.audit import AuditedAdmin


class InitiativeInline(admin.TabularInline):
    model = Initiative
    extra = 0
    fields = ["order", "label", "title", "focus_area"]


@admin.register(Agreement)
class AgreementAdmin(AuditedAdmin):
    list_display = ["title", "short_name", "date", "year", "obligation_count", "reader_link"]
    readonly_fields = ["reader_link"]
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
