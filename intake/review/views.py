"""Coordinator views: the queue, one submission and its actions, export, metrics.

Access: anonymous users go to the login page; a signed-in user without the
review permission gets 403 on every page; a submission outside the queue (a
draft, no contact request, deleted, or a patient's resume token in the URL) is
a 404. Pages that show a submission are sent with `Cache-Control: no-store`.
Every look at a submission, every change and every export writes exactly one
audit record (identifiers only).

The forms live in forms.py, the queue's reads in queries.py (its rows written
in rows.py), the dashboard's in metrics.py, the CSV in export.py and the
writes in services.py.
"""

from __future__ import annotations

import functools

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from ..audit import audit_event_create, client_ip
from ..models import AuditEvent, ReviewEvent, Submission, search_kind
from .access import get_submission_for_coordinator, require_coordinator
from .export import csv_lines, export_words, exported_ids
from .facts import submission_facts
from .forms import (
    AssignForm,
    CallForm,
    NoteForm,
    QueueFilterForm,
    ReferralForm,
    RevisionForm,
    StatusForm,
    StepBackForm,
    SummaryForm,
    person_name,
)
from .metrics import dashboard
from .queries import Cursor, open_count, queue_page, shown_count, status_counts
from .response_time import target_words
from .rows import queue_rows
from .services import (
    BACK,
    STATUS_COUNTS_KEY,
    SubmissionConflict,
    TransitionNotAllowed,
    allowed_transitions,
    submission_add_note,
    submission_assign,
    submission_change_status,
    submission_log_call,
    submission_mark_spam,
    submission_refer,
    submission_step_back,
)
from .shared_cache import kept_or_computed
from .undelivered import urgent_without_alert_banner

Status = Submission.ReviewStatus
COUNTS_TTL = 10
METRICS_TTL = 60

# Access helpers ---------------------------------------------------------------


def _login_then_detail(view):
    """`login_required` for the actions on one request (POST only), with the
    request's page as where to go after signing in.

    Signed out while typing (the idle limit), the form's POST lands on the
    login page; after signing in again the browser GETs `next`, which must be
    the page, not the action (that would be a 405). What was typed is kept
    in the browser (static/js/keep-draft.js) and put back on the page.
    """

    @functools.wraps(view)
    def wrapper(request, reference, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(reverse("review:detail", args=[reference]))
        return view(request, reference, *args, **kwargs)

    return wrapper


# Queue --------------------------------------------------------------------------


def _bound_filter_form(request) -> QueueFilterForm:
    form = QueueFilterForm(request.GET)
    if not form.is_valid():
        messages.warning(
            request,
            _("Some filters were not understood and were left out: %(fields)s.")
            % {
                "fields": ", ".join(
                    str(form.fields[name].label) for name in form.errors
                )
            },
        )
    return form


def _cursor(request) -> Cursor | None:
    """Where the page starts: the `after` cursor, or None for the first page."""
    raw = request.GET.get("after", "")
    if not raw:
        return None
    try:
        return Cursor.decode(raw)
    except (ValueError, OverflowError):
        messages.warning(
            request, _("That page link was not valid: here is the first page.")
        )
        return None


def _page_urls(request, next_cursor: Cursor | None) -> dict:
    """The next page's and the first page's addresses, with the same filters
    (every value of a filter given several times, as statuses are)."""
    filters = request.GET.copy()
    filters.pop("after", None)
    first = filters.urlencode()
    if next_cursor:
        filters["after"] = next_cursor.encode()
    return {
        "next_url": f"?{filters.urlencode()}" if next_cursor else None,
        "first_url": f"?{first}" if "after" in request.GET else None,
    }


def _audit_search(request, text: str, rows: list, more: bool) -> None:
    """A search is a look at whoever it finds: audited like a view, with what
    was looked for (a reference, a phone number or a name or email) and how
    many it found on the page, never the text, which is personal data."""
    found = f"{len(rows)}+" if more else str(len(rows))
    audit_event_create(
        user=request.user,
        action=AuditEvent.Action.SEARCH,
        detail=f"kind={search_kind(text)} results={found}",
        ip_address=client_ip(request),
    )


def _status_counts() -> dict[str, int]:
    """The same for every coordinator, and each page of the queue shows them:
    a process keeps them COUNTS_TTL seconds; a status change made in this
    process drops them (`services.forget_status_counts`)."""
    return kept_or_computed(STATUS_COUNTS_KEY, status_counts, COUNTS_TTL)


@never_cache
@require_safe
@login_required
def queue(request):
    require_coordinator(request)
    form = _bound_filter_form(request)
    filters = form.applied()
    rows, next_cursor = queue_page(filters, request.user, _cursor(request))
    if "q" in filters:
        _audit_search(request, filters["q"], rows, next_cursor is not None)
    counts = _status_counts()
    return render(
        request,
        "review/queue.html",
        {
            "form": form,
            "rows": rows,
            "row_html": queue_rows(rows, timezone.now()),
            "status_counts": [
                (code, label, shown_count(counts[code]))
                for code, label in Status.choices
            ],
            "open_count": open_count(counts),
            **_page_urls(request, next_cursor),
            "export_query": urlencode(filters),
            "urgent_without_alert": urgent_without_alert_banner(),
            "worklists": _worklist_links(form),
            **target_words(),
            "section": "queue",
        },
    )


def _audited_filters(filters: dict) -> str:
    """The filters as the audit keeps them: a search by its kind, never its
    text (a name, an email or a phone number)."""
    kept = {k: v for k, v in filters.items() if k != "q"}
    if "q" in filters:
        kept["search"] = search_kind(filters["q"])
    return urlencode(sorted(kept.items()), doseq=True)


def _worklist_links(form: QueueFilterForm) -> list[tuple[str, str, bool]]:
    """The worklists as links: (query, label, whether it is the one shown)."""
    current = form.applied().get("worklist", "")
    return [
        (urlencode({"worklist": code}) if code else "", label, code == current)
        for code, label in form.fields["worklist"].choices
    ]


# One submission -------------------------------------------------------------------


def _render_detail(
    request, submission: Submission, *, status=200, note_text="", call_form=None
):
    revision = {"revision": submission.revision}
    events = list(ReviewEvent.objects.timeline(submission))
    return render(
        request,
        "review/detail.html",
        {
            "submission": submission,
            **submission_facts(submission),
            "events": events,
            "summary_form": SummaryForm(timeline=events),
            "assign_form": AssignForm(
                initial={**revision, "assignee": submission.assignee_id},
                user=request.user,
            ),
            "note_form": NoteForm(initial={**revision, "text": note_text}),
            "close_form": StatusForm(initial={**revision, "to_status": Status.CLOSED}),
            "call_form": call_form or _blank_call_form(submission),
            "step_back_to": BACK.get(submission.review_status),
            # Their own ids: the page has other "reason" and "revision" fields.
            "step_back_form": StepBackForm(initial=revision, auto_id="back_%s"),
            "referral_form": ReferralForm(
                initial={**revision, "referred_on": timezone.localdate()},
                auto_id="refer_%s",
            )
            if Status.REFERRED in allowed_transitions(submission.review_status)
            else None,
            "transitions": [
                (code, Status(code).label)
                for code in allowed_transitions(submission.review_status)
                if code not in (*Submission.FINISHED, Status.REFERRED)
            ],
            "can_mark_spam": Status.SPAM
            in allowed_transitions(submission.review_status),
            "can_close": Status.CLOSED in allowed_transitions(submission.review_status),
            "conflict": status == 409,
            "section": "queue",
        },
        status=status,
    )


@never_cache
@require_safe
@login_required
def detail(request, reference):
    submission = get_submission_for_coordinator(request, reference)
    audit_event_create(
        user=request.user,
        action=AuditEvent.Action.VIEW,
        submission=submission,
        ip_address=client_ip(request),
    )
    return _render_detail(request, submission)


def _conflict(request, submission: Submission, *, note_text: str = ""):
    """Someone changed it first: show the latest version (a view, so audited) with 409."""
    fresh = get_object_or_404(
        Submission.objects.visible_to_coordinators().select_related("assignee"),
        pk=submission.pk,
    )
    audit_event_create(
        user=request.user,
        action=AuditEvent.Action.VIEW,
        submission=fresh,
        detail="conflict",
        ip_address=client_ip(request),
    )
    return _render_detail(request, fresh, status=409, note_text=note_text)


def _draft_saved(form_name: str, submission: Submission) -> str:
    """The key of a form's kept draft (`data-keep-draft` in detail.html): the
    success message carries it so keep-draft.js forgets the saved text."""
    return f"{form_name}-{submission.reference}"


def _back(submission: Submission):
    return redirect("review:detail", submission.reference)


def _change(request, submission: Submission, change, done):
    """Run a workflow change (a service call); on success say `done()` and
    return None, else the response: the conflict page, or the detail page
    with why the move is not allowed."""
    try:
        change()
    except SubmissionConflict:
        return _conflict(request, submission)
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
        return _back(submission)
    messages.success(request, done())
    return None


@never_cache
@require_POST
@_login_then_detail
def assign(request, reference):
    submission = get_submission_for_coordinator(request, reference)
    form = AssignForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose a coordinator from the list."))
        return _back(submission)
    try:
        submission_assign(
            submission=submission,
            assignee=form.cleaned_data["assignee"],
            by=request.user,
            revision=form.cleaned_data["revision"],
            ip_address=client_ip(request),
        )
    except SubmissionConflict:
        return _conflict(request, submission)
    assignee = form.cleaned_data["assignee"]
    messages.success(
        request,
        _("Assigned to %(name)s.") % {"name": person_name(assignee)}
        if assignee
        else _("Nobody is assigned now."),
    )
    return _back(submission)


@never_cache
@require_POST
@_login_then_detail
def change_status(request, reference):
    submission = get_submission_for_coordinator(request, reference)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The status could not be changed: %(why)s")
            % {"why": _form_problem(form)},
        )
        return _back(submission)
    refused = _change(
        request,
        submission,
        lambda: submission_change_status(
            submission=submission,
            to_status=form.cleaned_data["to_status"],
            reason=form.cleaned_data["reason"],
            by=request.user,
            revision=form.cleaned_data["revision"],
            ip_address=client_ip(request),
        ),
        lambda: (
            _("Status is now “%(status)s”.")
            % {"status": submission.get_review_status_display()}
        ),
    )
    return refused or _back(submission)


@never_cache
@require_POST
@_login_then_detail
def add_note(request, reference):
    submission = get_submission_for_coordinator(request, reference)
    form = NoteForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["text"].strip():
        messages.error(
            request, _("The note was not saved: %(why)s") % {"why": _form_problem(form)}
        )
        return _back(submission)
    try:
        submission_add_note(
            submission=submission,
            text=form.cleaned_data["text"],
            by=request.user,
            revision=form.cleaned_data["revision"],
            ip_address=client_ip(request),
        )
    except SubmissionConflict:
        return _conflict(request, submission, note_text=form.cleaned_data["text"])
    messages.success(
        request, _("Note added."), extra_tags=_draft_saved("note", submission)
    )
    return _back(submission)


def _blank_call_form(submission: Submission) -> CallForm:
    # The coordinator's local time: the form reads what is typed in it.
    now = timezone.localtime().replace(second=0, microsecond=0)
    return CallForm(
        initial={
            "called_at": now.strftime("%Y-%m-%dT%H:%M"),
            "follow_up_on": submission.follow_up_on,
        },
        auto_id="call_%s",
    )


@never_cache
@require_POST
@_login_then_detail
def log_call(request, reference):
    submission = get_submission_for_coordinator(request, reference)
    form = CallForm(request.POST, auto_id="call_%s")
    if not form.is_valid():
        # Shown again with what was typed, so the note is not lost.
        messages.error(
            request,
            _("The call was not logged: %(why)s") % {"why": _form_problem(form)},
        )
        return _render_detail(request, submission, status=400, call_form=form)
    submission_log_call(
        submission=submission,
        by=request.user,
        ip_address=client_ip(request),
        **form.cleaned_data,
    )
    messages.success(
        request, _("Call logged."), extra_tags=_draft_saved("call", submission)
    )
    return _back(submission)


@never_cache
@require_POST
@_login_then_detail
def step_back(request, reference):
    submission = get_submission_for_coordinator(request, reference)
    form = StepBackForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The status was not changed: %(why)s") % {"why": _form_problem(form)},
        )
        return _back(submission)
    refused = _change(
        request,
        submission,
        lambda: submission_step_back(
            submission=submission,
            reason=form.cleaned_data["reason"],
            by=request.user,
            revision=form.cleaned_data["revision"],
            ip_address=client_ip(request),
        ),
        lambda: (
            _("Stepped back to “%(status)s”.")
            % {"status": submission.get_review_status_display()}
        ),
    )
    return refused or _back(submission)


@never_cache
@require_POST
@_login_then_detail
def refer(request, reference):
    """Refer in two steps: the form, then a page that asks to confirm it."""
    submission = get_submission_for_coordinator(request, reference)
    form = ReferralForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The referral was not made: %(why)s") % {"why": _form_problem(form)},
        )
        return _back(submission)
    data = form.cleaned_data
    if not data["confirmed"]:
        audit_event_create(
            user=request.user,
            action=AuditEvent.Action.VIEW,
            submission=submission,
            detail="referral confirmation",
            ip_address=client_ip(request),
        )
        confirm = ReferralForm(initial={**data, "confirmed": True})
        return render(
            request,
            "review/confirm_referral.html",
            {"submission": submission, "form": confirm, "data": data},
        )
    try:
        referral = submission_refer(
            submission=submission,
            center=data["center"],
            center_name=data["center_name"],
            referred_on=data["referred_on"],
            by=request.user,
            revision=data["revision"],
            ip_address=client_ip(request),
        )
    except SubmissionConflict:
        return _conflict(request, submission)
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
        return _back(submission)
    messages.success(
        request, _("Referred to %(centre)s.") % {"centre": referral.centre_label}
    )
    return _back(submission)


@never_cache
@require_POST
@login_required
def mark_spam(request, reference):
    submission = get_submission_for_coordinator(request, reference)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The page was out of date; reload it and try again."))
        return _back(submission)
    refused = _change(
        request,
        submission,
        lambda: submission_mark_spam(
            submission=submission,
            by=request.user,
            revision=form.cleaned_data["revision"],
            ip_address=client_ip(request),
        ),
        lambda: (
            _("%(reference)s was marked as spam and left the queue.")
            % {"reference": submission.reference}
        ),
    )
    return refused or redirect("review:queue")


def _form_problem(form: forms.Form) -> str:
    for name, errors in form.errors.items():
        if name == "revision":
            return _("the page was out of date; reload it and try again.")
        if name == NON_FIELD_ERRORS:
            return errors[0]
        return f"{form.fields[name].label}: {errors[0]}"
    return _("write something first.")


# Export ---------------------------------------------------------------------------


@never_cache
@require_safe
@login_required
def export(request):
    require_coordinator(request)
    form = _bound_filter_form(request)
    filters = form.applied()
    queryset = Submission.objects.queue().filtered(user=request.user, **filters)
    ids = exported_ids(queryset)
    audit_event_create(
        user=request.user,
        action=AuditEvent.Action.EXPORT,
        detail=_audited_filters(filters) or "status=open",
        submission_ids=str(ids),
        ip_address=client_ip(request),
    )
    # In words and times of the coordinator's language and zone, read now:
    # the file is streamed after this view (and its middleware) returned.
    columns = export_words(timezone.get_current_timezone())
    response = StreamingHttpResponse(
        csv_lines(queryset, columns, ids), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="queue-{stamp}.csv"'
    return response


# Metrics --------------------------------------------------------------------------


def _metrics_key() -> str:
    # Per language: the dashboard's labels are translated.
    return f"metrics-dashboard:{get_language()}"


@never_cache
@require_safe
@login_required
def metrics(request):
    """The dashboard, counted at most once a minute per process and language.

    Its aggregates read the last 12 weeks of submissions: 1.3 s at a million.
    They are counts only, and the page says when they were counted.
    """
    require_coordinator(request)
    counted = kept_or_computed(
        _metrics_key(),
        lambda: {**dashboard(), "counted_at": timezone.now()},
        METRICS_TTL,
    )
    return render(request, "review/metrics.html", {**counted, "section": "metrics"})
