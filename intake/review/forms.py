"""Coordinator forms: the queue's filters and the actions on one submission.

They validate and normalise; the views decide and the services write.
"""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy

from therapies.models import TreatmentCenter
from therapies.vocabulary import DiseaseCode, RelapseStatus

from ..models import ContactAttempt, Submission, Worklist
from ..permissions import coordinator_users
from .services import CENTRE_NAME_MAX, CLOSE_REASON_MAX, NOTE_MAX

Status = Submission.ReviewStatus
REFERENCE_MAX = 12
# Long enough for any name, email or phone number typed in full.
SEARCH_MAX = 120
# A call logged a little ahead of the server's clock is still "now".
CLOCK_SLACK = datetime.timedelta(minutes=5)
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


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Find a request"),
        help_text=gettext_lazy("Reference, name, email or phone number."),
        required=False,
        max_length=SEARCH_MAX,
    )
    worklist = forms.ChoiceField(
        label=gettext_lazy("Worklist"),
        required=False,
        choices=[("", gettext_lazy("Whole queue")), *Worklist.choices],
    )
    # Several at once (?status=new&status=in_review); none means every open one.
    status = forms.MultipleChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[*Status.choices, ("all", gettext_lazy("All, including closed"))],
        widget=forms.CheckboxSelectMultiple,
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
        label=gettext_lazy("Waiting on us more than (days)"),
        help_text=gettext_lazy("Since the last call, note or change."),
        required=False,
        min_value=0,
        max_value=3650,
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Patient's language"),
        required=False,
        choices=[("", gettext_lazy("Any")), *settings.LANGUAGES],
    )

    def clean_q(self) -> str:
        # The search itself normalises (Submission.objects.search).
        return self.cleaned_data["q"].strip()

    def applied(self) -> dict:
        """The filters that validated, without blanks (invalid ones are ignored)."""
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in ("", None, [])}


class _RevisionForm(forms.Form):
    revision = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


# Actions that carry nothing but the revision the coordinator saw (spam).
RevisionForm = _RevisionForm


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
        self.fields["assignee"].label_from_instance = person_name


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


class StepBackForm(_RevisionForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason for stepping back"),
        max_length=CLOSE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CallForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        choices=ContactAttempt.Outcome.choices,
        widget=forms.RadioSelect,
    )
    called_at = forms.DateTimeField(
        label=gettext_lazy("Time of the call (UTC)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    note = forms.CharField(
        label=gettext_lazy("What was said"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_up_on = forms.DateField(
        label=gettext_lazy("Follow up on"),
        help_text=gettext_lazy("Leave empty for no follow-up."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_called_at(self) -> datetime.datetime:
        called_at = self.cleaned_data["called_at"]
        if called_at > timezone.now() + CLOCK_SLACK:
            raise forms.ValidationError(gettext_lazy("A call cannot be in the future."))
        return called_at

    def clean_follow_up_on(self) -> datetime.date | None:
        day = self.cleaned_data["follow_up_on"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(
                gettext_lazy("A follow-up cannot be in the past.")
            )
        return day


class ReferralForm(_RevisionForm):
    center = forms.ModelChoiceField(
        label=gettext_lazy("Treatment centre"),
        queryset=TreatmentCenter.objects.order_by("country", "name"),
        required=False,
        empty_label=gettext_lazy("Not listed: type it below"),
    )
    center_name = forms.CharField(
        label=gettext_lazy("Or a centre not listed"),
        required=False,
        max_length=CENTRE_NAME_MAX,
    )
    referred_on = forms.DateField(
        label=gettext_lazy("Referred on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not data.get("center") and not (data.get("center_name") or "").strip():
            raise forms.ValidationError(
                gettext_lazy("Choose a centre from the list or type its name.")
            )
        return data


def person_name(user) -> str:
    return user.get_full_name() or user.get_username()


# How much of a note its checkbox shows.
NOTE_PREVIEW_CHARS = 90


class SummaryForm(forms.Form):
    """Which of the request's notes go on the referral summary: none unless
    ticked, because a note may hold what the centre need not read."""

    note = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Notes to include"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": gettext_lazy(
                "A chosen note is not one of this request's notes: choose again."
            )
        },
    )

    def __init__(self, *args, timeline, **kwargs):
        super().__init__(*args, **kwargs)
        self.notes = [event for event in timeline if event.note_text]
        self.fields["note"].choices = [(n.pk, note_label(n)) for n in self.notes]

    def chosen(self) -> list:
        """The ticked notes, oldest first (nothing when the form is invalid)."""
        ticked = set(getattr(self, "cleaned_data", {}).get("note", ()))
        return [n for n in self.notes if n.pk in ticked]


def note_label(event) -> str:
    day = formats.date_format(event.created_at, "DATE_FORMAT")
    text = Truncator(" ".join(event.note_text.split())).chars(NOTE_PREVIEW_CHARS)
    return f"{day} · {person_name(event.author)}: {text}"
