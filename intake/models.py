"""Patients' submissions (drafts until submitted), the coordinators' timeline on
them, and the audit trail of every look at one.

A submission is found by its resume token (at least 128 bits from `secrets`),
never by its sequential id. Coordinators see a submission only once the patient
submitted it and asked to be contacted.
"""

import datetime
import functools
import re
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from therapies.vocabulary import DiseaseCode, RelapseStatus

# Letters and digits that cannot be misread over the phone (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CONSENT_VERSION = "2026-11-v1"


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


def new_reference() -> str:
    return "CT-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


REFERENCE_PATTERN = re.compile("CT-[" + REFERENCE_ALPHABET + "]{8}")
# What a typed phone number may hold besides digits: "+1 (202) 555-0100 ext 12".
PHONE_PATTERN = re.compile(r"[0-9\s().+\-/]+((ext\.?|x)\s*[0-9]+)?", re.IGNORECASE)
# Fewer digits than this is no phone number to look for (a "2" would match most).
PHONE_SEARCH_MIN_DIGITS = 4


def phone_digits(phone: str) -> str:
    """A phone number's digits only, so "+1 202-555 0100" finds "12025550100"."""
    return re.sub(r"[^0-9]", "", phone)


def search_kind(text: str) -> str:
    """What a coordinator's search looks for: "reference", "phone" or "text"
    (a name or an email). The audit records this, never the text."""
    text = text.strip()
    if REFERENCE_PATTERN.fullmatch(text.upper()):
        return "reference"
    if (
        PHONE_PATTERN.fullmatch(text)
        and len(phone_digits(text)) >= PHONE_SEARCH_MIN_DIGITS
    ):
        return "phone"
    return "text"


# What a row of the coordinators' queue shows (and the queue's indexes carry).
QUEUE_ROW_FIELDS = (
    "reference",
    "urgent",
    "disease",
    "prior_lines",
    "relapse_status",
    "contact_requested_at",
    "first_contacted_at",
    "review_status",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)


class Worklist(models.TextChoices):
    """The coordinators' worklists: views of the queue a morning starts from."""

    FIRST_CONTACT = "first_contact", _("Needs first contact")
    URGENT_UNTOUCHED = "urgent_untouched", _("Urgent and untouched")
    MY_FOLLOW_UPS = "my_follow_ups", _("My follow-ups due today")
    FOLLOW_UPS = "follow_ups", _("Team follow-ups due today")


class SubmissionQuerySet(models.QuerySet):
    def visible_to_coordinators(self):
        return self.filter(stage=Submission.Stage.SUBMITTED, contact_requested=True)

    def still_open(self):
        """Requests that still need a coordinator: neither closed nor spam."""
        return self.exclude(review_status__in=Submission.FINISHED)

    def queue(self):
        """Urgent first, then oldest request first, with what a queue row shows."""
        return (
            self.visible_to_coordinators()
            .select_related("assignee")
            .only(*QUEUE_ROW_FIELDS)
            .order_by("-urgent", "contact_requested_at", "id")
        )

    def filtered(
        self,
        *,
        user=None,
        status: str | list[str] = "",
        disease: str | None = None,
        urgent: str | None = None,
        assigned: str | None = None,
        waiting: int | None = None,
        worklist: str | None = None,
        language: str | None = None,
        q: str | None = None,
    ):
        """The queue's filters, as the coordinators' filter form gives them.

        Closed requests (and spam) are left out unless a status asks for them ("all" for
        every status; several statuses at once as a list) or a search does.
        `urgent` is "yes" or "no", `assigned` "me" (`user`) or "none",
        `waiting` more than that many days since the last action on the
        request (the patient's request or a coordinator's change, see
        `last_action_at`), `worklist` one of `Worklist`, `language` the
        patient's preferred language, `q` a search (see `search`).
        """
        statuses = [status] if isinstance(status, str) else list(status)
        queryset = self
        if "all" in statuses:
            pass
        elif statuses and statuses != [""]:
            queryset = queryset.filter(review_status__in=statuses)
        elif not q:
            queryset = queryset.still_open()
        if disease is not None:
            queryset = queryset.filter(disease=disease)
        if urgent is not None:
            queryset = queryset.filter(urgent=urgent == "yes")
        if assigned == "me":
            queryset = queryset.filter(assignee=user)
        elif assigned == "none":
            queryset = queryset.filter(assignee__isnull=True)
        if waiting is not None:
            since = timezone.now() - datetime.timedelta(days=waiting)
            # The second condition follows from the first (a last action is
            # never before the request): it is the index range.
            queryset = queryset.filter(
                last_action_at__lt=since, contact_requested_at__lt=since
            )
        if worklist:
            queryset = queryset.worklist(worklist, user=user)
        if language:
            queryset = queryset.filter(contact_language=language)
        if q:
            queryset = queryset.search(q)
        return queryset

    def worklist(self, name: str, *, user=None):
        """One of the coordinators' worklists (`Worklist`), on open requests.

        "Untouched" is a request no coordinator has done anything with: its
        last action is still the patient's request. Follow-ups are due today
        or overdue; "mine" are those of requests assigned to `user`.
        """
        open_ = self.exclude(review_status=Submission.ReviewStatus.CLOSED)
        today = timezone.localdate()
        if name == Worklist.FIRST_CONTACT:
            return open_.filter(first_contacted_at__isnull=True)
        if name == Worklist.URGENT_UNTOUCHED:
            return open_.filter(
                urgent=True,
                first_contacted_at__isnull=True,
                last_action_at=models.F("contact_requested_at"),
            )
        if name == Worklist.MY_FOLLOW_UPS:
            return open_.filter(follow_up_on__lte=today, assignee=user)
        if name == Worklist.FOLLOW_UPS:
            return open_.filter(follow_up_on__lte=today)
        raise ValueError(name)

    def search(self, text: str):
        """Requests by reference (exact), or by name or email (contains, any
        case) or phone number (its digits, however the number is typed)."""
        text = text.strip()
        kind = search_kind(text)
        if kind == "reference":
            return self.filter(reference=text.upper())
        found = Q(contact_name__icontains=text) | Q(contact_email__icontains=text)
        if kind == "phone":
            found |= Q(contact_phone_digits__contains=phone_digits(text))
        return self.filter(found)

    def after(self, cursor):
        """The queue's rows after `cursor` (its `urgent`, `at` and `pk`: a
        position in the queue's order), with the cursor's urgency.

        `urgent` is a boolean, so "after" is an equality on it plus a range on
        (contact_requested_at, id), which the queue's indexes serve as an index
        condition. An "(...) OR NOT urgent" in the same query would not be:
        PostgreSQL would walk and discard every urgent row before the position.
        The rows of the other urgency are `filter(urgent=False)`.
        """
        at = cursor.at
        return self.filter(
            Q(urgent=cursor.urgent, contact_requested_at__gte=at)
            & (Q(contact_requested_at__gt=at) | Q(pk__gt=cursor.pk))
        )

    def abandoned_drafts(self, older_than):
        return self.filter(
            stage=Submission.Stage.DRAFT, updated_at__lt=timezone.now() - older_than
        )

    def urgent_not_alerted(self):
        """Urgent requests in the queue whose coordinators were not emailed yet."""
        return (
            self.visible_to_coordinators()
            .filter(urgent=True, urgent_alerted_at__isnull=True)
            .exclude(review_status=Submission.ReviewStatus.SPAM)
        )

    def unreachable(self, idle: datetime.timedelta):
        """Submitted answers nobody asked about whose link expired: nobody can
        reach them any more."""
        return self.filter(
            stage=Submission.Stage.SUBMITTED,
            contact_requested=False,
            updated_at__lt=timezone.now() - idle,
        )

    def finished_before(self, retention: datetime.timedelta):
        """Requests coordinators closed or marked as spam, unchanged since."""
        return self.visible_to_coordinators().filter(
            review_status__in=Submission.FINISHED,
            updated_at__lt=timezone.now() - retention,
        )


# The coordinators' queue (see intake/review/queries.py): every combination of its
# equality filters (status, disease, assignee) has an index that leads with
# exactly those columns, then the queue order. A combination that matches few
# rows or none ("new" and assigned to me) is then a short index range, where
# an index leading with one of them walks all that filter's rows (63 ms at a
# million submissions; well under 1 ms this way).
#
# "Unassigned" has indexes of its own: `assignee IS NULL` does not fix the
# column for the planner's ordering (an `=` does), so an index leading with
# the assignee is no use for it. Each index also carries what a queue row
# shows (INCLUDE, PostgreSQL only), so a page is an index-only scan: with an
# estimate that cannot see that a combination is empty, the planner then
# prefers the index that visits fewest entries, which is the right one.
_QUEUE = Q(stage="submitted", contact_requested=True)
_QUEUE_ORDER = ["-urgent", "contact_requested_at", "id"]
_QUEUE_FILTERS = ["review_status", "disease", "assignee"]
_QUEUE_SHOWN = ["reference", "prior_lines", "relapse_status", "first_contacted_at"]


def _queue_index(name: str, leading: list[str], *, unassigned=False) -> models.Index:
    others = [
        column
        for column in _QUEUE_FILTERS
        if column not in leading and not (unassigned and column == "assignee")
    ]
    return models.Index(
        fields=[*leading, *_QUEUE_ORDER, *others],
        # The unassigned ones carry the (empty) assignee for the page's join.
        include=[*_QUEUE_SHOWN, "assignee"] if unassigned else _QUEUE_SHOWN,
        name=name,
        condition=_QUEUE & Q(assignee__isnull=True) if unassigned else _QUEUE,
    )


_QUEUE_INDEXES = [
    _queue_index("queue_order", []),
    _queue_index("queue_by_status", ["review_status"]),
    _queue_index("queue_by_disease", ["disease"]),
    _queue_index("queue_by_assignee", ["assignee"]),
    _queue_index("queue_by_status_disease", ["review_status", "disease"]),
    _queue_index("queue_by_status_assignee", ["review_status", "assignee"]),
    _queue_index("queue_by_disease_assignee", ["disease", "assignee"]),
    _queue_index("queue_by_all_filters", ["review_status", "disease", "assignee"]),
    _queue_index("queue_unassigned", [], unassigned=True),
    _queue_index("queue_unassigned_by_status", ["review_status"], unassigned=True),
    _queue_index("queue_unassigned_by_disease", ["disease"], unassigned=True),
    _queue_index(
        "queue_unassigned_by_both", ["review_status", "disease"], unassigned=True
    ),
    # The worklists "needs first contact" and "urgent and untouched": open
    # requests nobody has reached yet, a small part of a long history, read in
    # the queue's order.
    models.Index(
        fields=_QUEUE_ORDER,
        include=[*_QUEUE_SHOWN, "assignee", "review_status", "disease"],
        name="queue_needs_first_contact",
        condition=_QUEUE
        & Q(first_contacted_at__isnull=True)
        & ~Q(review_status="closed"),
    ),
    # "Waiting on us more than N days": open requests in the queue's order,
    # with their last action carried along, so the filter on it is read from
    # the index. The filter also bounds the request time (a last action is
    # never before the request, see the constraint below), so the walk is a
    # range, not the whole open backlog.
    models.Index(
        fields=_QUEUE_ORDER,
        include=[
            *_QUEUE_SHOWN,
            *("last_action_at", "assignee", "review_status", "disease"),
        ],
        name="queue_waiting_on_us",
        condition=_QUEUE & ~Q(review_status__in=["closed", "spam"]),
    ),
    # Follow-ups due: the few requests with a follow-up date, by that date.
    models.Index(
        fields=["follow_up_on"],
        name="queue_follow_ups",
        condition=_QUEUE & Q(follow_up_on__isnull=False),
    ),
]


class Submission(models.Model):
    class Stage(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    class ReviewStatus(models.TextChoices):
        NEW = "new", _("New")
        IN_REVIEW = "in_review", _("In review")
        CONTACTED = "contacted", _("Contacted")
        REFERRED = "referred", _("Referred")
        CLOSED = "closed", _("Closed")
        SPAM = "spam", _("Spam")

    # Statuses that leave the queue: the request needs nothing more.
    FINISHED = (ReviewStatus.CLOSED, ReviewStatus.SPAM)

    token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False
    )
    reference = models.CharField(
        _("reference"),
        max_length=12,
        unique=True,
        default=new_reference,
        editable=False,
    )
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.DRAFT
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    completed_steps = models.JSONField(default=list, blank=True)
    # How often the patient had their private link emailed (the address is
    # never kept): a bound on what one link can send.
    link_emails_sent = models.PositiveSmallIntegerField(default=0, editable=False)
    language = models.CharField(_("language"), max_length=10, default="en")
    created_at = models.DateTimeField(
        _("created"), default=timezone.now, editable=False
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # The published catalog release the patient's results came from when
    # they submitted or asked to be contacted; empty for requests made before
    # releases existed.
    catalog_release = models.ForeignKey(
        "therapies.CatalogRelease",
        verbose_name=_("catalog release shown"),
        to_field="number",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # Copied from the answers at submit time, so the queue can filter with indexes.
    urgent = models.BooleanField(_("urgent"), default=False)
    disease = models.CharField(
        _("disease"), max_length=20, choices=DiseaseCode.choices, blank=True
    )
    prior_lines = models.PositiveSmallIntegerField(
        _("prior lines"), null=True, blank=True
    )
    relapse_status = models.CharField(
        _("relapse status"), max_length=20, choices=RelapseStatus.choices, blank=True
    )

    # "Ask a navigator to contact me"
    contact_requested = models.BooleanField(_("asked to be contacted"), default=False)
    contact_requested_at = models.DateTimeField(
        _("contact requested"), null=True, blank=True
    )
    contact_name = models.CharField(_("name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The phone's digits only, written with it (intake.services), for search.
    contact_phone_digits = models.CharField(max_length=40, blank=True, editable=False)
    contact_language = models.CharField(
        _("preferred language"), max_length=10, blank=True
    )
    contact_time = models.CharField(_("preferred time"), max_length=120, blank=True)
    consent_version = models.CharField(_("consent version"), max_length=20, blank=True)
    country = CountryField(_("country"), blank=True)

    # Coordinator workflow
    review_status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReviewStatus.choices,
        default=ReviewStatus.NEW,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_submissions",
        verbose_name=_("assigned to"),
    )
    close_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)
    first_contacted_at = models.DateTimeField(
        _("first contacted"), null=True, blank=True
    )
    # Set once an urgent request's alert email went out (intake/alerts.py):
    # until then the background task tries again.
    urgent_alerted_at = models.DateTimeField(
        _("coordinators alerted"), null=True, blank=True
    )
    # The patient's request, then every coordinator change or logged call:
    # "waiting on us" is measured from here, not from the request.
    last_action_at = models.DateTimeField(_("last action"), null=True, blank=True)
    # When a coordinator means to try again or check back (set with a call).
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    # Bumped on every coordinator change: a stale form is refused, not applied.
    revision = models.PositiveIntegerField(default=1)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("submission")
        permissions = [
            ("review_submission", "Can review, triage and export patient submissions")
        ]
        indexes = [
            *_QUEUE_INDEXES,
            models.Index(fields=["stage", "updated_at"], name="drafts_by_age"),
            models.Index(
                fields=["submitted_at"],
                name="submitted_by_time",
                condition=Q(stage="submitted"),
            ),
        ]
        constraints = [
            # Keyset paging of the queue needs every queue row to have a time.
            models.CheckConstraint(
                condition=Q(contact_requested=False)
                | Q(contact_requested_at__isnull=False),
                name="contact_request_has_time",
            ),
            # The "waiting on us" filter relies on it to bound its index range.
            models.CheckConstraint(
                condition=Q(last_action_at__gte=models.F("contact_requested_at"))
                | Q(last_action_at__isnull=True)
                | Q(contact_requested_at__isnull=True),
                name="last_action_not_before_request",
            ),
        ]

    def __str__(self):
        return self.reference

    def link_expired(self) -> bool:
        """The private link stops working after RESUME_LINK_IDLE_DAYS without a
        change (a saved step, a submit, a contact request, a coordinator's change)."""
        idle = datetime.timedelta(days=settings.RESUME_LINK_IDLE_DAYS)
        return self.updated_at < timezone.now() - idle


class ReviewEventQuerySet(models.QuerySet):
    def timeline(self, submission):
        """A submission's timeline, oldest first, with whom and what each
        entry names (its author, the assignee, the call, the referral)."""
        return (
            self.filter(submission=submission)
            .select_related("author", "assignee", "call", "referral__center")
            .order_by("created_at", "id")
        )


class ReviewEvent(models.Model):
    """One entry in a submission's timeline: a note, a status change, an
    assignment, a call or a referral."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        STATUS = "status", _("Status change")
        ASSIGN = "assign", _("Assignment")
        CALL = "call", _("Call")
        REFERRAL = "referral", _("Referral")

    submission = models.ForeignKey(Submission, models.CASCADE, related_name="events")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(blank=True)
    from_status = models.CharField(
        max_length=12, choices=Submission.ReviewStatus.choices, blank=True
    )
    to_status = models.CharField(
        max_length=12, choices=Submission.ReviewStatus.choices, blank=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    call = models.OneToOneField(
        "ContactAttempt", models.CASCADE, null=True, blank=True, related_name="event"
    )
    referral = models.OneToOneField(
        "Referral", models.CASCADE, null=True, blank=True, related_name="event"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReviewEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.submission_id}"

    @property
    def note_text(self) -> str:
        """What a coordinator wrote: a note's text or a call's note; nothing
        for the other entries (a status change's reason stays with it)."""
        if self.kind == self.Kind.NOTE:
            return self.text
        if self.kind == self.Kind.CALL and self.call_id:
            return self.call.note
        return ""


class ContactAttempt(models.Model):
    """A call a coordinator made to the patient, with what came of it."""

    class Outcome(models.TextChoices):
        REACHED = "reached", _("Reached the patient")
        VOICEMAIL = "voicemail", _("Left a voicemail")
        NO_ANSWER = "no_answer", _("No answer")
        WRONG_NUMBER = "wrong_number", _("Wrong number")

    submission = models.ForeignKey(
        Submission, models.CASCADE, related_name="contact_attempts"
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    called_at = models.DateTimeField(_("time of the call"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["called_at", "id"]
        verbose_name = _("call")

    def __str__(self):
        return f"{self.get_outcome_display()} on {self.submission_id}"

    @property
    def logged_later(self) -> bool:
        """Logged a while after it was made: the timeline then says when it was."""
        return self.created_at - self.called_at > datetime.timedelta(minutes=15)


class ReferralQuerySet(models.QuerySet):
    def latest_of(self, submission):
        """The submission's last referral with its centre, or None."""
        return (
            self.filter(submission=submission)
            .select_related("center")
            .order_by("-created_at", "-id")
            .first()
        )


class Referral(models.Model):
    """The treatment centre a coordinator referred the patient to, and when.

    A centre from the catalog, or one typed in (a centre not listed yet).
    """

    submission = models.ForeignKey(Submission, models.CASCADE, related_name="referrals")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )
    center = models.ForeignKey(
        "therapies.TreatmentCenter",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("treatment centre"),
    )
    center_name = models.CharField(_("other centre"), max_length=200, blank=True)
    referred_on = models.DateField(_("referred on"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("referral")
        constraints = [
            models.CheckConstraint(
                condition=Q(center__isnull=False) | ~Q(center_name=""),
                name="referral_names_a_centre",
            ),
        ]

    def __str__(self):
        return self.centre_label

    @property
    def centre_label(self) -> str:
        return str(self.center) if self.center_id else self.center_name


class AuditEvent(models.Model):
    """Who looked at or changed which submission, when, from where.

    Identifiers only, never health data. Kept when the submission is deleted,
    so the submission is named by id and reference, not by a foreign key.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        CHANGE = "change", _("Changed")
        EXPORT = "export", _("Exported")
        SEARCH = "search", _("Searched")
        DELETE = "delete", _("Deleted by patient")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    submission_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    reference = models.CharField(max_length=12, blank=True)
    detail = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "What changed, as field names; the export's filter; or a search's "
            "kind and number of results (never its text)."
        ),
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # An export's submissions, as ids and ranges of ids ("3-7,9"): the
    # submissions that left in the file, however many (intake.review.export).
    submission_ids = models.TextField(
        _("submission ids"),
        blank=True,
        help_text=_("The ids of the submissions an export held, e.g. 3-7,9."),
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.reference}"


class LinkEmail(models.Model):
    """A patient asked for their private link by email: kept only until it is
    sent or given up (then deleted), and deleted with the submission.

    The address lives here, never in the task queue: the task is given this
    row's id only, so nothing in the queue's tables (arguments, errors) holds it.
    """

    submission = models.ForeignKey(Submission, models.CASCADE, related_name="+")
    email = models.EmailField()
    # The address the patient used (scheme and host) and their language, for
    # the link in the email.
    site = models.CharField(max_length=200)
    language = models.CharField(max_length=10)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"link email {self.pk}"


class UndeliveredEmailQuerySet(models.QuerySet):
    def urgent_alert_open(self):
        return self.filter(kind=UndeliveredEmail.Kind.URGENT_ALERT, sent_at=None)

    def dead(self):
        """Failed as often as settings.EMAIL_ATTEMPTS and still not sent:
        what coordinators are shown."""
        return self.filter(sent_at=None, attempts__gte=settings.EMAIL_ATTEMPTS)


class UndeliveredEmail(models.Model):
    """An email that failed: its retry state while it is tried again, and the
    dead-letter record coordinators see once it failed EMAIL_ATTEMPTS times.

    One open record for urgent alerts (they go out together); one record per
    patient link email given up. Identifiers and the error's class only.
    """

    class Kind(models.TextChoices):
        URGENT_ALERT = "urgent_alert", _("Urgent alert to coordinators")
        PATIENT_LINK = "patient_link", _("Private link to a patient")

    kind = models.CharField(_("email"), max_length=20, choices=Kind.choices)
    reference = models.CharField(_("reference"), max_length=12, blank=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    error = models.CharField(_("last error"), max_length=200, blank=True)
    first_failed_at = models.DateTimeField(_("first failed"), default=timezone.now)
    last_failed_at = models.DateTimeField(_("last failed"), default=timezone.now)
    next_try_at = models.DateTimeField(_("next try"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at last"), null=True, blank=True)

    objects = UndeliveredEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-last_failed_at", "-id"]
        verbose_name = _("undelivered email")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="urgent_alert", sent_at=None),
                name="one_open_urgent_alert_failure",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.reference} ({self.attempts})"


@functools.cache
def known_time_zones() -> frozenset[str]:
    """The IANA zones this system knows (read from disk once per process)."""
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in known_time_zones():
        raise ValidationError(
            _("“%(zone)s” is not a time zone we know. Choose one from the list."),
            params={"zone": value[:64]},
            code="unknown_time_zone",
        )


class CoordinatorPreference(models.Model):
    """A coordinator's own settings for the workspace: the language its pages
    and the CSV export are in (empty: the team's, settings.COORDINATOR_LANGUAGE)
    and the time zone times are shown in (empty: the team's,
    settings.COORDINATOR_TIME_ZONE)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="coordinator_preference",
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_time_zone]
    )
    language = models.CharField(
        _("language"), max_length=16, blank=True, choices=settings.LANGUAGES
    )

    class Meta:
        verbose_name = _("coordinator preference")

    def __str__(self):
        return f"{self.user} {self.language or '-'} {self.time_zone or '-'}"
