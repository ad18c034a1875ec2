"""The agreement reader and the upload of a new agreement (staff pages)."""

import bisect
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify

from agreements.candidates import LOW_SCORE, find_candidates
from agreements.models import Agreement, Party
from agreements.pages import agreement_page
from agreements.reading import (
    UnreadableFile,
    check_file_size,
    check_text_length,
    read_agreement_file,
    stored_name,
)
from agreements.text import normalize_text
from common import roles


def _segments(text: str, marks: list[tuple[int, int, str, object]]) -> list[dict]:
    """The text cut into plain and marked pieces; marks must not overlap."""
    pieces, at = [], 0
    for start, end, kind, item in sorted(marks, key=lambda m: m[0]):
        if start < at:
            continue
        if start > at:
            pieces.append({"kind": "plain", "text": text[at:start]})
        pieces.append({"kind": kind, "text": text[start:end], "item": item})
        at = end
    if at < len(text):
        pieces.append({"kind": "plain", "text": text[at:]})
    return pieces


class _Covered:
    """Spans as merged, ordered intervals: whether a span overlaps one is one bisection."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.starts, self.ends = [], []
        for start, end in sorted(spans):
            if self.ends and start <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], end)
            else:
                self.starts.append(start)
                self.ends.append(end)

    def overlaps(self, start: int, end: int) -> bool:
        at = bisect.bisect_left(self.starts, end) - 1
        return at >= 0 and self.ends[at] > start


def reader_context(agreement: Agreement, can_create: bool) -> dict:
    text = normalize_text(agreement.source_text)
    try:
        check_text_length(text)
    except UnreadableFile as error:
        # A text stored before the limit, or edited past it: shown, but not searched.
        return {
            "agreement": agreement,
            "segments": [{"kind": "plain", "text": text}],
            "covered": 0,
            "total": 0,
            "low_score": LOW_SCORE,
            "can_create": can_create,
            "too_long": str(error),
        }
    marks = []
    for ob in agreement.obligations.select_related("lead_owner").order_by("order", "pk"):
        start = text.find(normalize_text(ob.quote))
        if start != -1:
            marks.append((start, start + len(normalize_text(ob.quote)), "captured", ob))
    captured = [(s, e) for s, e, _, _ in marks]
    covered = _Covered(captured)
    # Every party once, not one query per candidate.
    party_ids = dict(Party.objects.values_list("name", "pk"))
    candidates, seen = [], set()
    for c in find_candidates(agreement.source_text, agreement.year):
        if covered.overlaps(*c.span) or c.span in seen:
            continue
        seen.add(c.span)
        c.create_url = (
            reverse("admin:agreements_obligation_add")
            + "?"
            + urlencode(
                {
                    "agreement": agreement.pk,
                    "quote": c.quote,
                    "phrase": c.phrase,
                    "kind": c.kind,
                    "action": c.quote[:120],
                    **(
                        {"lead_owner": party_ids[c.actors[0]]}
                        if c.actors and c.actors[0] in party_ids
                        else {}
                    ),
                }
            )
            if can_create
            else ""
        )
        # Actors the text names that are no known party: offered as new parties.
        c.new_parties = [
            (name, reverse("admin:agreements_party_add") + "?" + urlencode({"name": name}))
            for name in c.new_actors
        ]
        candidates.append(c)
        marks.append((c.span[0], c.span[1], "candidate", c))
    phrases_total = len(captured) + len(candidates)
    return {
        "agreement": agreement,
        "segments": _segments(text, marks),
        "covered": len(captured),
        "total": phrases_total,
        "low_score": LOW_SCORE,
        "can_create": can_create,
    }


@roles.role_required
def reader(request, slug: str):
    agreement = get_object_or_404(Agreement, slug=slug)
    # A closed agreement takes no new obligations: the reader offers none to create.
    can_create = roles.is_secretariat(request.user) and not agreement.is_closed
    context = reader_context(agreement, can_create)
    return render(
        request,
        "agreements/reader.html",
        {**agreement_page(request, agreement, "Læser"), **context},
    )


class UploadForm(forms.ModelForm):
    file = forms.FileField(label="Aftaletekst (.txt, .pdf, .html eller .docx)")

    class Meta:
        model = Agreement
        fields = ["title", "short_name", "year", "date", "date_note", "parties"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_file_size(upload.size)
            self.cleaned_data["text"] = read_agreement_file(upload.name, upload.read())
        except UnreadableFile as error:
            raise forms.ValidationError(str(error)) from None
        self.source_name = stored_name(
            upload.name, Agreement._meta.get_field("source_file").max_length
        )
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") is None and not cleaned.get("date_note"):
            self.add_error("date_note", "Angiv hvorfor aftalen ikke har en dato.")
        return cleaned


@roles.role_required
def upload(request):
    if not roles.is_secretariat(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        agreement = form.save(commit=False)
        agreement.source_text = form.cleaned_data["text"]
        agreement.source_file = form.source_name
        base = slugify(agreement.short_name) or "aftale"
        slug, n = base, 1
        while Agreement.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        agreement.slug = slug
        agreement.save()
        form.save_m2m()
        return redirect("agreements:reader", slug=agreement.slug)
    context = {
        **admin.site.each_context(request),
        "title": "Indlæs ny aftale",
        "opts": Agreement._meta,
        "form": form,
    }
    return render(request, "agreements/upload.html", context)
