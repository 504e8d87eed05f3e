"""Catalog releases in the admin: the publish page, rollback and the list.

The release model and its rules live in the catalog app (therapies.releases);
these pages live here because a release is checked against the reference
patients before it is published, and running them needs the engine.
"""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from therapies.models import CatalogRelease
from therapies.releases import (
    PublishRefused,
    catalog_changes,
    catalog_editors_since,
    editor_names,
    latest_release,
    may_publish_own_edits,
    pending_changes,
    release_publish,
    release_republish,
)
from therapies.snapshot import SOURCE_LANGUAGE, working_catalog

from .answers import AnswerError, parse_answers
from .reference import run_reference_patients
from .views import results_context

PUBLISH_PERMISSION = "therapies.publish_catalogrelease"


class ReleaseNoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note for this release"),
        help_text=gettext_lazy("What changed and why, in a sentence or two."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PreviewForm(forms.Form):
    """A reference patient, or answers typed as JSON, and a language."""

    patient = forms.ChoiceField(label=gettext_lazy("Reference patient"), required=False)
    answers = forms.CharField(
        label=gettext_lazy("Or answers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            'In the intake contract\'s codes, as JSON: {"disease": "lbcl", '
            '"age": 61, "country": "DE", "prior_lines": 1, '
            '"relapse_status": "early_relapse"}'
        ),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), choices=settings.LANGUAGES, initial="en"
    )

    def __init__(self, *args, catalog, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalog = catalog
        self.fields["patient"].choices = [("", "—")] + [
            (p.name, p.name) for p in catalog.reference_patients
        ]

    def clean(self):
        data = super().clean()
        name, typed = data.get("patient"), data.get("answers", "").strip()
        if bool(name) == bool(typed):
            raise forms.ValidationError(
                _("Pick a reference patient or type answers, not both.")
            )
        if name:
            raw = next(
                p.answers for p in self.catalog.reference_patients if p.name == name
            )
        else:
            try:
                raw = json.loads(typed)
            except json.JSONDecodeError as exc:
                raise forms.ValidationError(
                    {"answers": _("This is not valid JSON: %(error)s") % {"error": exc}}
                ) from exc
        try:
            data["parsed"] = parse_answers(
                raw, question_slugs=self.catalog.question_slugs
            )
        except AnswerError as exc:
            raise forms.ValidationError({"answers": str(exc)}) from exc
        return data


class CatalogReleaseAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "published_at",
        "published_by",
        "note",
        "published_own_edits",
        "republishes",
        "roll_back",
    )
    list_select_related = ("published_by", "republishes")
    fields = list_display[:-1]
    readonly_fields = fields
    change_list_template = "admin/therapies/catalogrelease/change_list.html"

    @admin.display(description=gettext_lazy("roll back"))
    def roll_back(self, release):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:catalog_republish", args=[release.number]),
            _("Publish this one again"),
        )

    def get_queryset(self, request):
        # The list never needs the catalog itself (megabytes per release).
        return super().get_queryset(request).defer("data")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("publish/", wrap(self.publish_view), name="catalog_publish"),
            path(
                "<int:number>/republish/",
                wrap(self.republish_view),
                name="catalog_republish",
            ),
            path("preview/", wrap(self.preview_view), name="catalog_preview"),
            *super().get_urls(),
        ]

    @staticmethod
    def _context(request, **extra):
        return {
            **admin.site.each_context(request),
            "opts": CatalogRelease._meta,
            "can_publish": request.user.has_perm(PUBLISH_PERMISSION),
            **extra,
        }

    @staticmethod
    def _publish_state(request) -> dict:
        last = latest_release()
        editors = catalog_editors_since(last.published_at if last else None)
        own = request.user.pk in editors
        results = run_reference_patients(working_catalog())
        return {
            "reference_results": results,
            "failing": [r for r in results if not r.passed],
            "last": last,
            "changes": pending_changes(last),
            "editors": editor_names(editors),
            "own_edits": own,
            "own_allowed": may_publish_own_edits(),
        }

    def publish_view(self, request):
        return _publish(request, self)

    def republish_view(self, request, number):
        return _republish(request, self, number)

    def preview_view(self, request):
        return _preview(request, self)


@require_http_methods(["GET", "HEAD"])
def _preview(request, model_admin):
    """The results page as the working copy shows it, marked as a preview."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    form = PreviewForm(request.GET or None, catalog=working_catalog())
    if not form.is_valid():
        return TemplateResponse(
            request,
            "admin/therapies/catalogrelease/preview_form.html",
            model_admin._context(request, form=form, title=_("Preview as a patient")),
            status=400 if form.is_bound else 200,
        )
    language = form.cleaned_data["language"]
    with translation.override(language):
        context = results_context(
            form.cleaned_data["parsed"], working_catalog(language)
        )
        return render(request, "intake/results.html", {**context, "preview": True})


@require_http_methods(["GET", "HEAD", "POST"])
def _publish(request, model_admin):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    state = model_admin._publish_state(request)
    form = ReleaseNoteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        if state["failing"]:
            messages.error(
                request,
                _(
                    "%(count)s reference patients fail with the working copy: "
                    "fix the rule, or change the patient's expectation, first."
                )
                % {"count": len(state["failing"])},
            )
            status = 409
        elif form.is_valid():
            try:
                release = release_publish(
                    by=request.user, note=form.cleaned_data["note"]
                )
            except PublishRefused as refusal:
                messages.error(request, str(refusal))
                status = 409
            else:
                messages.success(
                    request,
                    _("Release %(number)s is published: patients see it now.")
                    % {"number": release.number},
                )
                return redirect("admin:therapies_catalogrelease_changelist")
        else:
            status = 400
    return TemplateResponse(
        request,
        "admin/therapies/catalogrelease/publish.html",
        model_admin._context(request, form=form, title=_("Publish"), **state),
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def _republish(request, model_admin, number):
    if not request.user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied
    release = get_object_or_404(CatalogRelease.objects.with_publisher(), number=number)
    form = ReleaseNoteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                new = release_republish(
                    release=release, by=request.user, note=form.cleaned_data["note"]
                )
            except PublishRefused as refusal:
                messages.error(request, str(refusal))
                status = 409
            else:
                messages.success(
                    request,
                    _("Release %(new)s publishes release %(old)s again.")
                    % {"new": new.number, "old": release.number},
                )
                return redirect("admin:therapies_catalogrelease_changelist")
        else:
            status = 400
    return TemplateResponse(
        request,
        "admin/therapies/catalogrelease/republish.html",
        model_admin._context(
            request,
            form=form,
            release=release,
            changes=catalog_changes(
                latest_release().data.get(SOURCE_LANGUAGE, {}),
                release.data.get(SOURCE_LANGUAGE, {}),
            ),
            title=_("Roll back to release %(number)s") % {"number": number},
            cancel_url=reverse("admin:therapies_catalogrelease_changelist"),
        ),
        status=status,
    )
