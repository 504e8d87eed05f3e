"""Coordinator forms: the queue's filters and the actions on one submission.

They validate and normalise; the views decide and the services write.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from therapies.vocabulary import DiseaseCode, RelapseStatus

from ..models import Submission
from ..permissions import coordinator_users
from .services import CLOSE_REASON_MAX, NOTE_MAX

Status = Submission.ReviewStatus
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


def person_name(user) -> str:
    return user.get_full_name() or user.get_username()
