"""Submissions and the audit trail in the admin: superusers only, read only.

Staff edit the catalog in the admin but never see patients' submissions, even
with model permissions granted by mistake: every check here asks for a
superuser. Nobody can add, change or delete a submission, a timeline entry or
an audit record here; coordinators work in /review/, patients delete their own
answers. A superuser opening a submission writes an audit record, as a
coordinator's look does.
"""

from django.contrib import admin

from therapies.models import CatalogRelease

from .audit import audit_event_create, client_ip
from .models import AuditEvent, ReviewEvent, Submission
from .publishing import CatalogReleaseAdmin

admin.site.register(CatalogRelease, CatalogReleaseAdmin)


class SuperuserReadOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReviewEventInline(SuperuserReadOnly, admin.TabularInline):
    model = ReviewEvent
    fields = (
        "created_at",
        "author",
        "kind",
        "from_status",
        "to_status",
        "assignee",
        "text",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Submission)
class SubmissionAdmin(SuperuserReadOnly, admin.ModelAdmin):
    list_display = (
        "reference",
        "stage",
        "review_status",
        "urgent",
        "contact_requested",
        "submitted_at",
        "assignee",
    )
    list_filter = ("stage", "review_status", "urgent", "contact_requested")
    search_fields = ("=reference",)
    list_select_related = ("assignee",)
    date_hierarchy = "submitted_at"
    ordering = ("-created_at",)
    show_full_result_count = False
    exclude = ("token",)
    inlines = [ReviewEventInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        submission = self.get_object(request, object_id)
        if response.status_code == 200 and submission is not None:
            audit_event_create(
                user=request.user,
                action=AuditEvent.Action.VIEW,
                submission=submission,
                detail="admin",
                ip_address=client_ip(request),
            )
        return response


@admin.register(AuditEvent)
class AuditEventAdmin(SuperuserReadOnly, admin.ModelAdmin):
    list_display = (
        "at",
        "user",
        "action",
        "reference",
        "submission_id",
        "ip_address",
        "detail",
    )
    list_filter = ("action", "at", ("user", admin.RelatedOnlyFieldListFilter))
    search_fields = ("=reference", "user__username")
    list_select_related = ("user",)
    date_hierarchy = "at"
    show_full_result_count = False
    readonly_fields = (
        "at",
        "user",
        "action",
        "submission_id",
        "reference",
        "detail",
        "ip_address",
    )
