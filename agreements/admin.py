"""The coordinators' admin for agreements, parties and funding. The obligations' own page,
where their follow-up is written, is in `tracker.admin.obligations`; how its anchors are
chosen (`AnchorPicker`) is here, with the agreement's structure."""

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, Exists, OuterRef, When
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from agreements import publishing
from agreements.closing import close_out, not_final
from agreements.models import (
    Agreement,
    Contact,
    Forum,
    FundingLine,
    FundingTotal,
    Initiative,
    Obligation,
    Party,
    Series,
)
from common import roles
from common.audit import AuditedAdmin
from common.display import changed_by


def obligation_name(obligation: Obligation) -> str:
    """An obligation where its id would say nothing: its action and its agreement."""
    return f"{obligation.action} ({obligation.agreement})"


class AnchorsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obligation_name(obj)


class AnchorsWidget(AutocompleteSelectMultiple):
    """A search field for the anchors, by name, that asks `AnchorSearchView`.

    select2 gives its combobox and search field no accessible name and points the open list
    with aria-owns, not the aria-controls ARIA 1.2 asks for; `labelled-autocomplete.js`
    names both by the field's label, which WCAG 2.1 AA (4.1.2) requires."""

    def __init__(self, field, admin_site, obligation_id: str | None = None, **kwargs):
        super().__init__(field, admin_site, **kwargs)
        self.obligation_id = obligation_id

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        # select2 puts its "remove all" mark straight into the <ul> of choices, where a list
        # may hold only items; each choice keeps its own, and Backspace removes the last.
        attrs["data-allow-clear"] = "false"
        return attrs

    def get_url(self):
        url = reverse(f"{self.admin_site.name}:agreements_obligation_anchors")
        if not self.obligation_id:
            return url
        return f"{url}?{urlencode({'forpligtelse': self.obligation_id})}"

    @property
    def media(self):
        # Named with the script it follows: the admin merges each list's order, not the sum's.
        after = forms.Media(js=["admin/js/autocomplete.js", "agreements/labelled-autocomplete.js"])
        return super().media + after


class AnchorSearchView(AutocompleteJsonView):
    """The obligations found by a word of their action, quote or phrase (the obligation
    admin's search), named with their agreement; the edited obligation's own agreement first,
    and never the obligation itself."""

    def get_queryset(self):
        queryset = super().get_queryset().select_related("agreement")
        edited = self.request.GET.get("forpligtelse", "")
        if not edited.isdigit():
            return queryset
        same_agreement = Exists(
            Obligation.objects.filter(pk=edited, agreement_id=OuterRef("agreement_id"))
        )
        return queryset.exclude(pk=edited).order_by(
            Case(When(same_agreement, then=0), default=1), "agreement_id", "order", "pk"
        )

    def serialize_result(self, obj, to_field_name):
        return {"id": str(getattr(obj, to_field_name)), "text": obligation_name(obj)}


class AnchorPicker:
    """For the obligation's admin: the anchors, which the deadline counts from, are chosen by
    name in a search field rather than typed as ids."""

    def get_urls(self):
        search = AnchorSearchView.as_view(admin_site=self.admin_site)
        view = self.admin_site.admin_view(roles.role_required(search))
        # Before the admin's own, whose "<object_id>/" would take the path.
        return [
            path("forankringer/", view, name="agreements_obligation_anchors"),
            *super().get_urls(),
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "anchors":
            edited = request.resolver_match.kwargs.get("object_id")
            kwargs["widget"] = AnchorsWidget(db_field, self.admin_site, edited)
            kwargs["form_class"] = AnchorsField
            kwargs["queryset"] = Obligation.objects.select_related("agreement")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


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
        "published_text",
        "reader_link",
    ]
    list_filter = [
        ("closed_on", admin.EmptyFieldListFilter),
        ("published_at", admin.EmptyFieldListFilter),
    ]
    readonly_fields = ["reader_link", "closed_text", "published_text"]
    actions = ["publish", "withdraw"]
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

    @admin.display(description="offentliggjort", ordering="published_at")
    def published_text(self, obj):
        if not obj.is_published:
            return "Nej"
        return f"{timezone.localtime(obj.published_at):%d.%m.%Y} af {changed_by(obj.published_by)}"

    def has_publish_permission(self, request) -> bool:
        """Only the secretariat publishes; the actions are not offered to anyone else."""
        return roles.is_secretariat(request.user)

    @admin.action(description="Offentliggør valgte aftaler", permissions=["publish"])
    def publish(self, request, queryset):
        count = publishing.publish(queryset, request.user)
        self.message_user(
            request, f"{count} aftale(r) offentliggjort på de offentlige sider.", messages.SUCCESS
        )

    @admin.action(description="Træk valgte aftaler tilbage fra de offentlige sider",
                  permissions=["publish"])  # fmt: skip
    def withdraw(self, request, queryset):
        count = publishing.withdraw(queryset, request.user)
        self.message_user(
            request, f"{count} aftale(r) trukket tilbage fra de offentlige sider.", messages.SUCCESS
        )

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
