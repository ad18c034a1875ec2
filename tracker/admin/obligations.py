"""The obligation's page in the admin, where its follow-up happens: the status, the
deadline, the filters coordinators work by, and the status reports added on the page."""

import datetime

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from agreements import dates, export
from agreements.admin import AnchorPicker
from agreements.dates import window_text
from agreements.models import Agreement, Initiative, Obligation, Party, phrase_reading
from agreements.status import CLOSED, Status
from common import roles
from common.audit import AuditedAdmin
from common.concurrency import VersionedForm
from tracker import closing, completion
from tracker.forms import SECRETARIAT_FIELDS, StatusReportForm, holds_from_text, review_text
from tracker.models import StatusReport


def status_badge(obligation: Obligation, today: datetime.date | None = None) -> str:
    """The status as a coloured badge that also says it in words (colours in admin.css)."""
    today = today or timezone.localdate()
    light = obligation.traffic_light(today)
    label = obligation.status_label()
    if obligation.is_overdue(today):
        label = f"{label} – overskredet"
    return format_html('<span class="status-badge status-{}">{}</span>', light.value, label)


class DueFilter(admin.SimpleListFilter):
    title = "frist"
    parameter_name = "frist"

    def lookups(self, request, model_admin):
        return [
            ("overskredet", "Overskredet"),
            ("30", "Næste 30 dage"),
            ("90", "Næste 90 dage"),
            ("uden", "Uden dato"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        match self.value():
            case "overskredet":
                return queryset.overdue(today)
            case "30" | "90" as days:
                return queryset.due_between(today, today + datetime.timedelta(days=int(days)))
            case "uden":
                return queryset.filter(due_end__isnull=True)
        return queryset


class AgreementFilter(admin.SimpleListFilter):
    """The agreements by name, read without their texts: a national data set has hundreds
    of agreements, each with its full source text."""

    title = "aftale"
    parameter_name = "agreement__id__exact"

    def lookups(self, request, model_admin):
        return [
            (str(pk), short_name or title)
            for pk, short_name, title in Agreement.objects.values_list("pk", "short_name", "title")
        ]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(agreement_id=self.value())
        return queryset


class InitiativeFilter(admin.SimpleListFilter):
    """The initiatives of the agreement chosen in the agreement filter.

    A national data set has thousands of initiatives; listing them all would make every page
    of the list slow and the filter useless."""

    title = "initiativ"
    parameter_name = "initiativ"

    def lookups(self, request, model_admin):
        agreement = request.GET.get("agreement__id__exact")
        if not agreement or not agreement.isdigit():
            return []
        return [(str(i.pk), str(i)) for i in Initiative.objects.filter(agreement_id=agreement)]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(initiative_id=self.value())
        return queryset


class OwnerFilter(admin.SimpleListFilter):
    """Lead owner or co-owner."""

    title = "ansvarlig"
    parameter_name = "ansvarlig"

    def lookups(self, request, model_admin):
        return [(str(p.pk), p.name) for p in Party.objects.all()]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.owned_by(int(self.value()))
        return queryset


class StatusReportInline(admin.StackedInline):
    """New reports on the obligation's page. The reports already written are shown as they
    stand: a correction is made on the report's own page, by whom the rules allow."""

    model = StatusReport
    form = StatusReportForm
    extra = 1
    fields = [
        "status",
        "text",
        "evidence_url",
        "evidence_file",
        "source",
        *SECRETARIAT_FIELDS,
        "written_by",
        "reported_at",
        "holds_from",
        "review",
        "correction",
        "expected_version",
    ]
    readonly_fields = ["written_by", "reported_at", "holds_from", "review", "correction"]
    ordering = ["-reported_at", "-pk"]
    verbose_name = "statusrapport"
    verbose_name_plural = "statusrapporter (nyeste først)"

    def get_readonly_fields(self, request, obj=None):
        if roles.is_secretariat(request.user):
            return self.readonly_fields
        return [*self.readonly_fields, *SECRETARIAT_FIELDS]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.user = request.user
        return formset

    def has_add_permission(self, request, obj=None):
        return (
            obj is not None
            and super().has_add_permission(request, obj)
            and roles.can_report_on(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="gælder fra")
    def holds_from(self, report):
        return holds_from_text(report)

    @admin.display(description="behandling")
    def review(self, report):
        return review_text(report)

    @admin.display(description="ret")
    def correction(self, report):
        if report.pk is None:
            return "–"
        url = reverse("admin:tracker_statusreport_change", args=[report.pk])
        return format_html('<a href="{}">Åbn rapporten</a>', url)


class ObligationForm(VersionedForm):
    class Meta:
        model = Obligation
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("due_set_manually"):
            if not cleaned.get("due_end"):
                self.add_error("due_end", "Angiv en frist, når tidsvinduet sættes manuelt.")
            if not cleaned.get("due_manual_reason"):
                self.add_error("due_manual_reason", "Angiv hvorfor tidsvinduet sættes manuelt.")
            start, end = cleaned.get("due_start"), cleaned.get("due_end")
            if start and end and start > end:
                self.add_error("due_start", "Tidsvinduet kan ikke starte efter fristen.")
            return cleaned
        phrase, agreement = cleaned.get("phrase"), cleaned.get("agreement")
        if phrase and agreement:
            reading = phrase_reading(phrase, agreement.year, cleaned.get("occurrence"))
            if isinstance(reading, dates.Unreadable):
                self.add_error("phrase", reading.error)
        return cleaned


@admin.register(Obligation)
class ObligationAdmin(AnchorPicker, AuditedAdmin):
    form = ObligationForm
    list_display = [
        "action",
        "agreement",
        "initiative_label",
        "lead_owner",
        "phrase",
        "due_end",
        "status_display",
    ]
    list_display_links = ["action"]
    list_filter = [
        AgreementFilter,
        InitiativeFilter,
        OwnerFilter,
        "forums",
        "status",
        DueFilter,
        "kind",
    ]
    search_fields = ["action", "quote", "phrase"]
    list_select_related = ["agreement", "initiative", "lead_owner"]
    list_per_page = 50
    # One count of the filtered rows is enough; a second one of all rows costs at 100k.
    show_full_result_count = False
    # The id makes the order total, so the admin adds no "-pk" that no index has.
    ordering = ["due_end", "pk"]
    readonly_fields = [
        "due_window",
        "relative_to",
        "status",
        "closure_confirmed",
        "status_changed_at",
        "created_at",
    ]
    inlines = [StatusReportInline]
    actions = ["export_csv", "export_xlsx", "close_selected"]
    history_list_display = ["status_label", "due_end"]
    fieldsets = [
        (None, {"fields": ["agreement", "initiative", "key", "action", "kind", "quote"]}),
        ("Ansvar", {"fields": ["lead_owner", "co_owners", "forums"]}),
        (
            "Frist",
            {
                "fields": [
                    "phrase",
                    "due_window",
                    "relative_to",
                    "anchors",
                    "due_set_manually",
                    "due_start",
                    "due_end",
                    "due_manual_reason",
                    "series",
                    "occurrence",
                ],
                "description": "Tidsvinduet beregnes ud fra tidsudtrykket, når der gemmes. "
                "Sæt flueben i »tidsvindue sat manuelt« for at bestemme det selv.",
            },
        ),
        (
            "Status",
            {
                "fields": [
                    "status",
                    "closure_confirmed",
                    "status_changed_at",
                    "created_at",
                    "order",
                    "expected_version",
                ]
            },
        ),
    ]

    @admin.display(description="initiativ", ordering="initiative__order")
    def initiative_label(self, obj):
        return obj.initiative.label or obj.initiative.title if obj.initiative else ""

    @admin.display(description="status")
    def status_label(self, obj):
        return obj.get_status_display()

    @admin.display(description="status", ordering="status")
    def status_display(self, obj):
        return status_badge(obj)

    @admin.display(description="tidsvindue")
    def due_window(self, obj):
        if obj.pk is None:
            return "Beregnes når der gemmes."
        text = window_text(obj.due_start, obj.due_end)
        if obj.due_set_manually:
            return f"{text} (sat manuelt: {obj.due_manual_reason})"
        if obj.relative_to and obj.due_end is None:
            return f"Relativ frist: afventer »{obj.relative_to}«"
        return text

    def _export(self, queryset, fmt: str) -> HttpResponse:
        stamp = timezone.localdate().isoformat()
        response = HttpResponse(
            export.export(fmt, queryset), content_type=export.CONTENT_TYPES[fmt]
        )
        response["Content-Disposition"] = f'attachment; filename="forpligtelser-{stamp}.{fmt}"'
        return response

    @admin.action(description="Eksportér valgte forpligtelser til CSV")
    def export_csv(self, request, queryset):
        return self._export(queryset, "csv")

    @admin.action(description="Eksportér valgte forpligtelser til Excel")
    def export_xlsx(self, request, queryset):
        return self._export(queryset, "xlsx")

    @admin.action(description="Afslut valgte forpligtelser (samme status og begrundelse)")
    def close_selected(self, request, queryset):
        """One closing status with one reason for the selected obligations, as the
        secretariat's confirmed status reports; asked on a page of its own first."""
        if not roles.is_secretariat(request.user):
            self.message_user(
                request, "Kun sekretariatet kan afslutte forpligtelser samlet.", messages.ERROR
            )
            return None
        errors = {}
        status = request.POST.get("closing_status", "")
        reason = request.POST.get("closing_reason", "")
        if "apply" in request.POST:
            try:
                changed = closing.close_obligations(queryset, status, reason, request.user)
            except ValidationError as problem:
                errors = problem.message_dict
            else:
                self.message_user(
                    request,
                    f"{changed} forpligtelse(r) afsluttet som »{Status(status).label}« og "
                    "bekræftet.",
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Afslut valgte forpligtelser",
            "obligations": queryset.select_related("agreement"),
            "choices": [(s.value, s.label) for s in Status if s in CLOSED],
            "status": status,
            "reason": reason,
            "errors": errors,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/agreements/obligation/close_selected.html", context)

    class Media:
        css = {"all": ["agreements/admin.css"]}

    def get_readonly_fields(self, request, obj=None):
        if roles.can_edit_obligations(request.user):
            return self.readonly_fields
        # Coordinators and observers read the obligation; they only add status reports.
        fields = [f for _, options in self.fieldsets for f in options["fields"]]
        return [f for f in fields if f != "expected_version"]

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or roles.is_secretariat(request.user) or roles.owns(request.user, obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is StatusReport:
            for report in formset.save(commit=False):
                completion.write_report(report, request.user)
            return
        super().save_formset(request, form, formset, change)
