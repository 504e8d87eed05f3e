"""Coordinator views: the queue, one submission and its actions, export, metrics.

Access: anonymous users go to the login page; a signed-in user without the
review permission gets 403 on every page; a submission outside the queue (a
draft, no contact request, deleted, or a patient's resume token in the URL) is
a 404. Pages that show a submission are sent with `Cache-Control: no-store`.
Every look at a submission, every change and every export writes exactly one
audit record (identifiers only).
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from therapies.snapshot import get_catalog
from therapies.vocabulary import DiseaseCode, RelapseStatus

from .answers import answers_from_stored
from .models import AuditEvent, ReviewEvent, Submission
from .presentation import answer_rows
from .review_services import (
    CLOSE_REASON_MAX,
    NOTE_MAX,
    SubmissionConflict,
    TransitionNotAllowed,
    allowed_transitions,
    audit_event_create,
    can_review,
    client_ip,
    coordinator_users,
    submission_add_note,
    submission_assign,
    submission_change_status,
)
from .suggestions import suggest

Status = Submission.ReviewStatus
PAGE_SIZE = 50
REFERENCE_MAX = 12
# Coordinators' short names for the patient-worded labels, for dense tables.
DISEASE_SHORT = {
    DiseaseCode.B_ALL: gettext_lazy("B-ALL"),
    DiseaseCode.LBCL: gettext_lazy("Large B-cell lymphoma"),
    DiseaseCode.FL: gettext_lazy("Follicular lymphoma"),
    DiseaseCode.MCL: gettext_lazy("Mantle cell lymphoma"),
    DiseaseCode.CLL: gettext_lazy("CLL / SLL"),
    DiseaseCode.MZL: gettext_lazy("Marginal zone lymphoma"),
    DiseaseCode.MM: gettext_lazy("Multiple myeloma"),
    DiseaseCode.OTHER_BLOOD: gettext_lazy("Other blood cancer"),
    DiseaseCode.SOLID: gettext_lazy("Solid tumor"),
    DiseaseCode.UNSURE: gettext_lazy("Not sure"),
}
RELAPSE_SHORT = {
    RelapseStatus.NEWLY_DIAGNOSED: gettext_lazy("Newly diagnosed"),
    RelapseStatus.IN_TREATMENT: gettext_lazy("In first treatment"),
    RelapseStatus.REMISSION: gettext_lazy("In remission"),
    RelapseStatus.REFRACTORY: gettext_lazy("Refractory"),
    RelapseStatus.EARLY_RELAPSE: gettext_lazy("Relapse within 12 months"),
    RelapseStatus.LATE_RELAPSE: gettext_lazy("Relapse after 12 months"),
    RelapseStatus.UNSURE: gettext_lazy("Not sure"),
}


# Access helpers ---------------------------------------------------------------


def _require_coordinator(request) -> None:
    if not can_review(request.user):
        raise PermissionDenied


def _get_submission_for_coordinator(request, reference: str) -> Submission:
    """A submission in the coordinators' queue, by reference; anything else is 404."""
    _require_coordinator(request)
    if len(reference) > REFERENCE_MAX:
        raise Http404
    return get_object_or_404(
        Submission.objects.visible_to_coordinators().select_related("assignee"),
        reference=reference,
    )


# Queue --------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[
            ("", gettext_lazy("Open")),
            *Status.choices,
            ("all", gettext_lazy("All, including closed")),
        ],
    )
    disease = forms.ChoiceField(
        label=gettext_lazy("Disease"),
        required=False,
        choices=[("", gettext_lazy("Any")), *DISEASE_SHORT.items()],
    )
    urgent = forms.ChoiceField(
        label=gettext_lazy("Urgent"),
        required=False,
        choices=[
            ("", gettext_lazy("Any")),
            ("yes", gettext_lazy("Urgent only")),
            ("no", gettext_lazy("Not urgent")),
        ],
    )
    assigned = forms.ChoiceField(
        label=gettext_lazy("Assigned to"),
        required=False,
        choices=[
            ("", gettext_lazy("Anyone")),
            ("me", gettext_lazy("Me")),
            ("none", gettext_lazy("Nobody yet")),
        ],
    )
    waiting = forms.IntegerField(
        label=gettext_lazy("Waiting more than (days)"),
        required=False,
        min_value=0,
        max_value=3650,
    )
    q = forms.CharField(
        label=gettext_lazy("Reference"), required=False, max_length=REFERENCE_MAX
    )

    def clean_q(self) -> str:
        # References are stored in capitals: an exact match on the normalised
        # value uses the unique index, where iexact would not.
        return self.cleaned_data["q"].strip().upper()

    def applied(self) -> dict:
        """The filters that validated, without blanks (invalid ones are ignored)."""
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in ("", None)}


def _filtered(queryset: QuerySet, filters: dict, user) -> QuerySet:
    status = filters.get("status", "")
    if status == "" and not filters.get("q"):
        queryset = queryset.exclude(review_status=Status.CLOSED)
    elif status not in ("", "all"):
        queryset = queryset.filter(review_status=status)
    if "disease" in filters:
        queryset = queryset.filter(disease=filters["disease"])
    if "urgent" in filters:
        queryset = queryset.filter(urgent=filters["urgent"] == "yes")
    if filters.get("assigned") == "me":
        queryset = queryset.filter(assignee=user)
    elif filters.get("assigned") == "none":
        queryset = queryset.filter(assignee__isnull=True)
    if "waiting" in filters:
        since = timezone.now() - datetime.timedelta(days=filters["waiting"])
        queryset = queryset.filter(contact_requested_at__lt=since)
    if "q" in filters:
        queryset = queryset.filter(reference=filters["q"])
    return queryset


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


@dataclass(frozen=True)
class Cursor:
    """A position in the queue's order (urgent first, then oldest, then id).

    Keyset pagination: the next page is "rows after this one", found through
    the `queue_order` index (or the filter's own partial index) whatever the
    page number, with no OFFSET to skip and no COUNT(*) of the table. Because
    `urgent` is a boolean, "after" is an equality on it plus a range on
    (contact_requested_at, id), which the index serves as an index condition.
    An "(...) OR NOT urgent" in the same query would not be: PostgreSQL would
    walk and discard every urgent row before the cursor. So a page that runs
    past the last urgent row takes its remaining rows with a second query.
    """

    urgent: bool
    at: datetime.datetime
    pk: int

    EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)

    @classmethod
    def of(cls, submission: Submission) -> Cursor:
        return cls(submission.urgent, submission.contact_requested_at, submission.pk)

    def encode(self) -> str:
        micros = (self.at - self.EPOCH) // datetime.timedelta(microseconds=1)
        return f"{int(self.urgent)}_{micros}_{self.pk}"

    @classmethod
    def decode(cls, raw: str) -> Cursor:
        urgent, micros, pk = (int(part) for part in raw.split("_"))
        if urgent not in (0, 1) or not 0 < pk < 2**63:
            raise ValueError(raw)
        return cls(
            bool(urgent), cls.EPOCH + datetime.timedelta(microseconds=micros), pk
        )

    def later_same_urgency(self) -> Q:
        return Q(urgent=self.urgent, contact_requested_at__gte=self.at) & (
            Q(contact_requested_at__gt=self.at) | Q(pk__gt=self.pk)
        )


def _page(queryset: QuerySet, raw_cursor: str, request) -> tuple[list, str | None]:
    """One page of the queue after the cursor, and the next page's cursor."""
    wanted = PAGE_SIZE + 1  # one more than shown, to know whether a next page exists
    cursor = None
    if raw_cursor:
        try:
            cursor = Cursor.decode(raw_cursor)
        except (ValueError, OverflowError):
            messages.warning(
                request, _("That page link was not valid: here is the first page.")
            )
    if cursor is None:
        rows = list(queryset[:wanted])
    else:
        rows = list(queryset.filter(cursor.later_same_urgency())[:wanted])
        if cursor.urgent and len(rows) < wanted:
            rows += list(queryset.filter(urgent=False)[: wanted - len(rows)])
    if len(rows) <= PAGE_SIZE:
        return rows, None
    rows = rows[:PAGE_SIZE]
    return rows, Cursor.of(rows[-1]).encode()


COUNT_CAP = 1000


def _status_counts() -> dict[str, int]:
    """Requests per status, each counted only up to COUNT_CAP (+1 to know it was).

    One COUNT over a LIMITed index range per status: five small queries that cost
    the same at a thousand rows or a million, where one GROUP BY would read every
    closed request ever made. Past the cap the page says "1000+".
    """
    queue = Submission.objects.visible_to_coordinators().order_by()
    return {
        code: queue.filter(review_status=code)[: COUNT_CAP + 1].count()
        for code in Status.values
    }


def _shown_count(n: int) -> str:
    return f"{COUNT_CAP}+" if n > COUNT_CAP else str(n)


def _open_count(counts: dict[str, int]) -> str:
    open_counts = [n for code, n in counts.items() if code != Status.CLOSED]
    total = sum(min(n, COUNT_CAP) for n in open_counts)
    return f"{total}+" if any(n > COUNT_CAP for n in open_counts) else str(total)


QUEUE_ROW_FIELDS = (
    "reference",
    "urgent",
    "disease",
    "prior_lines",
    "relapse_status",
    "contact_requested_at",
    "review_status",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)


@never_cache
@require_safe
@login_required
def queue(request):
    _require_coordinator(request)
    form = _bound_filter_form(request)
    filters = form.applied()
    rows, next_cursor = _page(
        _filtered(Submission.objects.queue(), filters, request.user).only(
            *QUEUE_ROW_FIELDS
        ),
        request.GET.get("after", ""),
        request,
    )
    for row in rows:
        row.disease_short = DISEASE_SHORT.get(row.disease, row.disease)
        row.relapse_short = RELAPSE_SHORT.get(row.relapse_status, row.relapse_status)
    counts = _status_counts()
    return render(
        request,
        "review/queue.html",
        {
            "form": form,
            "rows": rows,
            "status_counts": [
                (code, label, _shown_count(counts[code]))
                for code, label in Status.choices
            ],
            "open_count": _open_count(counts),
            "next_url": f"?{urlencode({**request.GET.dict(), 'after': next_cursor})}"
            if next_cursor
            else None,
            "first_url": f"?{urlencode({k: v for k, v in request.GET.items() if k != 'after'})}"
            if request.GET.get("after")
            else None,
            "export_query": urlencode(filters),
            "now": timezone.now(),
            "section": "queue",
        },
    )


# One submission -------------------------------------------------------------------


class _RevisionForm(forms.Form):
    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class AssignForm(_RevisionForm):
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("Assign to"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Nobody (unassign)"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = coordinator_users(including=user)
        self.fields["assignee"].label_from_instance = _person


class StatusForm(_RevisionForm):
    to_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Reason for closing"),
        required=False,
        max_length=CLOSE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(_RevisionForm):
    text = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def _render_detail(request, submission: Submission, *, status=200, note_text=""):
    catalog = get_catalog()
    answers = answers_from_stored(submission.answers)
    revision = {"revision": submission.revision}
    return render(
        request,
        "review/detail.html",
        {
            "submission": submission,
            "rows": answer_rows(answers, catalog),
            "suggestions": suggest(answers, catalog),
            "answers": answers,
            "catalog": catalog,
            "events": ReviewEvent.objects.filter(submission=submission)
            .select_related("author", "assignee")
            .order_by("created_at", "id"),
            "assign_form": AssignForm(
                initial={**revision, "assignee": submission.assignee_id},
                user=request.user,
            ),
            "note_form": NoteForm(initial={**revision, "text": note_text}),
            "close_form": StatusForm(initial={**revision, "to_status": Status.CLOSED}),
            "transitions": [
                (code, Status(code).label)
                for code in allowed_transitions(submission.review_status)
                if code != Status.CLOSED
            ],
            "can_close": Status.CLOSED in allowed_transitions(submission.review_status),
            "contact_language": _language_name(submission.contact_language),
            "interface_language": _language_name(submission.language),
            "conflict": status == 409,
            "section": "queue",
        },
        status=status,
    )


@never_cache
@require_safe
@login_required
def detail(request, reference):
    submission = _get_submission_for_coordinator(request, reference)
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


def _back(submission: Submission):
    return redirect("review:detail", submission.reference)


@never_cache
@require_POST
@login_required
def assign(request, reference):
    submission = _get_submission_for_coordinator(request, reference)
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
        _("Assigned to %(name)s.") % {"name": _person(assignee)}
        if assignee
        else _("Nobody is assigned now."),
    )
    return _back(submission)


@never_cache
@require_POST
@login_required
def change_status(request, reference):
    submission = _get_submission_for_coordinator(request, reference)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The status could not be changed: %(why)s")
            % {"why": _form_problem(form)},
        )
        return _back(submission)
    try:
        submission_change_status(
            submission=submission,
            to_status=form.cleaned_data["to_status"],
            reason=form.cleaned_data["reason"],
            by=request.user,
            revision=form.cleaned_data["revision"],
            ip_address=client_ip(request),
        )
    except SubmissionConflict:
        return _conflict(request, submission)
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
        return _back(submission)
    messages.success(
        request,
        _("Status is now “%(status)s”.")
        % {"status": submission.get_review_status_display()},
    )
    return _back(submission)


@never_cache
@require_POST
@login_required
def add_note(request, reference):
    submission = _get_submission_for_coordinator(request, reference)
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
    messages.success(request, _("Note added."))
    return _back(submission)


def _form_problem(form: forms.Form) -> str:
    for name, errors in form.errors.items():
        if name == "revision":
            return _("the page was out of date; reload it and try again.")
        return f"{form.fields[name].label}: {errors[0]}"
    return _("write something first.")


# Export ---------------------------------------------------------------------------

EXPORT_COLUMNS = (
    ("reference", "reference"),
    ("status", "review_status"),
    ("urgent", "urgent"),
    ("disease", "disease"),
    ("prior_lines", "prior_lines"),
    ("relapse_status", "relapse_status"),
    ("country", "country"),
    ("contact_requested_at", "contact_requested_at"),
    ("first_contacted_at", "first_contacted_at"),
    ("assignee", "assignee__username"),
    ("name", "contact_name"),
    ("email", "contact_email"),
    ("phone", "contact_phone"),
    ("preferred_language", "contact_language"),
    ("preferred_time", "contact_time"),
    ("consent_version", "consent_version"),
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="seconds")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value):
        return value


def _csv_lines(queryset: QuerySet, lines_per_chunk: int = 500):
    """The CSV in chunks of a few hundred lines: flat memory at any size, and
    far fewer writes to the socket than one per line."""
    writer = csv.writer(_Echo())
    yield writer.writerow([header for header, _field in EXPORT_COLUMNS])
    fields = [field for _header, field in EXPORT_COLUMNS]
    lines = []
    for row in queryset.values_list(*fields).iterator(chunk_size=2000):
        lines.append(writer.writerow([csv_safe(value) for value in row]))
        if len(lines) == lines_per_chunk:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


@never_cache
@require_safe
@login_required
def export(request):
    _require_coordinator(request)
    form = _bound_filter_form(request)
    filters = form.applied()
    audit_event_create(
        user=request.user,
        action=AuditEvent.Action.EXPORT,
        detail=urlencode(sorted(filters.items())) or "status=open",
        ip_address=client_ip(request),
    )
    queryset = _filtered(Submission.objects.queue(), filters, request.user)
    response = StreamingHttpResponse(
        _csv_lines(queryset), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="queue-{stamp}.csv"'
    return response


# Metrics --------------------------------------------------------------------------


@never_cache
@require_safe
@login_required
def metrics(request):
    _require_coordinator(request)
    return render(
        request, "review/metrics.html", {**_dashboard(), "section": "metrics"}
    )


WEEKS = 12


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    part: int  # the part that asked to be contacted (weekly chart only)
    x: int
    y: int
    width: int
    height: int
    part_y: int
    part_height: int


def _bars(items, *, horizontal: bool) -> list[Bar]:
    """Geometry for a small SVG bar chart (viewBox 600 x 240); the template draws it."""
    top = max((value for _label, value, _part in items), default=0) or 1
    bars = []
    for index, (label, value, part) in enumerate(items):
        if horizontal:
            length = round(360 * value / top)
            bars.append(Bar(label, value, part, 200, 8 + index * 24, length, 18, 0, 0))
        else:
            height = round(180 * value / top)
            part_height = round(180 * part / top)
            x = 20 + index * 48
            bars.append(
                Bar(
                    label,
                    value,
                    part,
                    x,
                    200 - height,
                    36,
                    height,
                    200 - part_height,
                    part_height,
                )
            )
    return bars


def _dashboard() -> dict:
    """The last 12 weeks, aggregated in the database: four queries at any size."""
    now = timezone.now()
    this_week = (now - datetime.timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    since = this_week - datetime.timedelta(weeks=WEEKS - 1)
    submitted = Submission.objects.filter(
        stage=Submission.Stage.SUBMITTED, submitted_at__gte=since
    )
    per_week = {
        row["week"].date(): row
        for row in submitted.annotate(week=TruncWeek("submitted_at"))
        .values("week")
        .annotate(
            total=Count("id"), contact=Count("id", filter=Q(contact_requested=True))
        )
        .order_by("week")
    }
    weeks = []
    for offset in range(WEEKS):
        start = (since + datetime.timedelta(weeks=offset)).date()
        row = per_week.get(start, {"total": 0, "contact": 0})
        weeks.append((date_format(start, "M j"), row["total"], row["contact"]))
    diseases = [
        (str(DISEASE_SHORT.get(code, code or _("Not answered"))), n, 0)
        for code, n in submitted.order_by()
        .values_list("disease")
        .annotate(n=Count("id"))
        .order_by("-n", "disease")
    ]
    contacted = submitted.filter(
        contact_requested=True, first_contacted_at__isnull=False
    )
    totals = submitted.aggregate(
        submitted=Count("id"),
        urgent_submitted=Count("id", filter=Q(urgent=True)),
        asked=Count("id", filter=Q(contact_requested=True)),
        urgent_asked=Count("id", filter=Q(urgent=True, contact_requested=True)),
        contacted=Count(
            "id", filter=Q(contact_requested=True, first_contacted_at__isnull=False)
        ),
    )
    # The median without a database-specific aggregate: the one or two middle
    # waits, found by ordering on the wait and slicing at the known count.
    n = totals["contacted"]
    middle = list(
        contacted.annotate(
            wait=ExpressionWrapper(
                F("first_contacted_at") - F("contact_requested_at"),
                output_field=DurationField(),
            )
        )
        .order_by("wait")
        .values_list("wait", flat=True)[max(0, (n - 1) // 2) : n // 2 + 1]
    )
    median_days = (
        sum(middle, datetime.timedelta()) / len(middle) / datetime.timedelta(days=1)
        if middle
        else None
    )
    return {
        "since": since,
        "weeks": _bars(weeks, horizontal=False),
        "diseases": _bars(diseases, horizontal=True),
        "disease_chart_height": 16 + 24 * len(diseases),
        "totals": totals,
        "median_days": median_days,
    }
