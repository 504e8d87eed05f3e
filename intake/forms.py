"""One form per intake step. Field names and values are the contract's codes.

Forms validate and normalise; which step comes next and what is cleared when an
earlier answer changes is decided in steps.py and services.py.
"""

import time
from dataclasses import replace

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from therapies.vocabulary import (
    DiseaseCode,
    LbclSubtype,
    PriorCarT,
    PriorTherapy,
    RelapseStatus,
    Symptom,
    YesNo,
    YesNoUnsure,
    prior_therapies_for,
)

from .answers import (
    AGE_RANGE,
    NOT_ASKED,
    PRIOR_LINES_RANGE,
    UNSURE_LINES,
    Answers,
)
from .widgets import LongSelect

MAX_TEXT = 120


ANSWER_THIS = _("Please answer this question.")
ANSWER_THIS_OR_UNSURE = _(
    "Please answer this question. If you do not know, pick “I am not sure”."
)


class StepForm(forms.Form):
    """A step's form, built from the draft's current answers.

    Nothing is pre-selected but what the patient answered before: a skipped
    question is asked again with a plain message, never filled in for them.
    """

    def __init__(self, *args, answers: Answers, **kwargs):
        self.answers = answers
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            codes = [str(code) for code, _label in getattr(field, "choices", ())]
            field.error_messages["required"] = (
                ANSWER_THIS_OR_UNSURE if "unsure" in codes else ANSWER_THIS
            )

    def values(self) -> dict:
        """The cleaned answers this step contributes to the draft."""
        return dict(self.cleaned_data)

    def is_complete(self) -> bool:
        """Whether the step is done once saved (the safety step may not be)."""
        return True


class SafetyForm(StepForm):
    """Fail-safe: any symptom ticked is urgent, whatever the infusion answer,
    and is saved even when nothing else on the page is answered."""

    recent_infusion = forms.ChoiceField(
        label=_("Have you had a CAR T-cell infusion in the last 8 weeks?"),
        choices=YesNo.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    symptoms = forms.MultipleChoiceField(
        label=_("Do you have any of these now?"),
        help_text=_("Pick all that apply."),
        choices=Symptom.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self):
        data = super().clean()
        symptoms = data.get("symptoms") or []
        if Symptom.NONE in symptoms and len(symptoms) > 1:
            self.add_error(
                "symptoms",
                _(
                    "You picked “None of these” and a symptom. Please pick one or the other."
                ),
            )
        elif any(s != Symptom.NONE for s in symptoms):
            return data  # urgent: nothing may stand in the way
        elif not data.get("recent_infusion"):
            self.add_error("recent_infusion", ANSWER_THIS)
        elif data["recent_infusion"] == YesNo.YES and not symptoms:
            self.add_error(
                "symptoms", _("Pick the symptoms you have now, or “None of these”.")
            )
        return data

    def is_complete(self) -> bool:
        return bool(self.cleaned_data.get("recent_infusion"))


class DiseaseForm(StepForm):
    disease = forms.ChoiceField(
        label=_("What kind of cancer do you have?"),
        help_text=_(
            "Pick the closest match. If you have follicular lymphoma grade 3B, pick "
            "large B-cell lymphoma. If you are not sure, pick “I am not sure”."
        ),
        choices=DiseaseCode.choices,
        widget=forms.RadioSelect,
    )
    lbcl_subtype = forms.ChoiceField(
        label=_("Only if you picked large B-cell lymphoma: which kind is it?"),
        help_text=_(
            "Some approvals leave out some kinds. Your doctor’s report says it."
        ),
        choices=LbclSubtype.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("disease") == DiseaseCode.LBCL:
            if not data.get("lbcl_subtype"):
                self.add_error("lbcl_subtype", ANSWER_THIS_OR_UNSURE)
        else:
            data["lbcl_subtype"] = NOT_ASKED
        return data


class AboutForm(StepForm):
    age = forms.IntegerField(
        label=_("How old are you?"),
        help_text=_("If you are filling this in for someone else, give their age."),
        min_value=AGE_RANGE[0],
        max_value=AGE_RANGE[1],
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    country = forms.ChoiceField(
        label=_("Which country do you live in?"),
        help_text=_("Approvals differ from country to country."),
        choices=[("", _("Choose a country"))],
        widget=LongSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose a country")), *list(countries)]


# What one line of treatment looks like, for the diseases where examples help.
LINE_EXAMPLES = {
    DiseaseCode.LBCL: _(
        "For example, 6 rounds of R-CHOP is one line. New chemotherapy and a stem "
        "cell transplant after it came back count as one more line. A bispecific "
        "antibody such as glofitamab is another line."
    ),
    DiseaseCode.FL: _(
        "For example, rituximab with bendamustine, or R-CHOP, is one line. "
        "Rituximab alone counts as a line too."
    ),
    DiseaseCode.MZL: _(
        "For example, rituximab with bendamustine is one line. Rituximab alone "
        "counts as a line too."
    ),
    DiseaseCode.MCL: _(
        "For example, chemotherapy with rituximab is one line. A BTK inhibitor such "
        "as ibrutinib after it came back is another line."
    ),
    DiseaseCode.CLL: _(
        "For example, a BTK inhibitor such as ibrutinib is one line. Venetoclax "
        "after it came back is another line."
    ),
    DiseaseCode.MM: _(
        "For example, first drugs such as VRd, then a stem cell transplant and "
        "lenalidomide to keep it away, usually count as one line together. A new "
        "plan after the myeloma came back is a new line."
    ),
    DiseaseCode.B_ALL: _(
        "For example, the first chemotherapy with all its phases is one line. "
        "Blinatumomab or a transplant after it came back is another line."
    ),
}
LINE_GENERAL = _(
    "A line of treatment is one plan of cancer drugs, such as 6 rounds of R-CHOP. "
    "A new plan after the cancer came back is a new line."
)
LINE_CHOICES = [
    ("", _("Choose")),
    ("0", _("None yet (0)")),
    *((str(n), str(n)) for n in range(1, PRIOR_LINES_RANGE[1] + 1)),
    (UNSURE_LINES, _("I am not sure")),
]
# Where the cancer stands, which says it has been treated.
AFTER_TREATMENT = (
    RelapseStatus.REFRACTORY,
    RelapseStatus.EARLY_RELAPSE,
    RelapseStatus.LATE_RELAPSE,
)


def _lines(value: str) -> int | str:
    return value if value == UNSURE_LINES else int(value)


class HistoryForm(StepForm):
    prior_lines = forms.TypedChoiceField(
        label=_("How many lines of treatment have you had?"),
        choices=LINE_CHOICES,
        coerce=_lines,
        empty_value=None,
    )
    relapse_status = forms.ChoiceField(
        label=_("Where do things stand now?"),
        choices=RelapseStatus.choices,
        widget=forms.RadioSelect,
    )
    prior_therapies = forms.MultipleChoiceField(
        label=_("Which treatments have you had?"),
        help_text=_("Pick all that apply. Skip this if you have not been treated yet."),
        choices=PriorTherapy.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    lenalidomide_refractory = forms.ChoiceField(
        label=_("Did your myeloma grow while you were taking lenalidomide (Revlimid)?"),
        help_text=_(
            "Doctors call this “lenalidomide-refractory”. Answer if you have had treatment."
        ),
        choices=YesNoUnsure.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    transplant_eligible = forms.ChoiceField(
        label=_(
            "Does your care team think a stem cell transplant is an option for you?"
        ),
        help_text=_("Answer if you have had treatment."),
        choices=YesNoUnsure.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        disease = self.answers.disease
        self.fields["prior_lines"].help_text = "{} {}".format(
            LINE_EXAMPLES.get(disease, LINE_GENERAL),
            _("Pick “I am not sure” if you do not know."),
        )
        offered = set(prior_therapies_for(disease))
        self.fields["prior_therapies"].choices = [
            (code, label) for code, label in PriorTherapy.choices if code in offered
        ]
        # Which follow-up questions this page offers is what `Answers` asks
        # once the patient has had treatment (the line count is on this page).
        treated = replace(self.answers, prior_lines=1)
        if not treated.asks_lenalidomide():
            del self.fields["lenalidomide_refractory"]
        if not treated.asks_transplant():
            del self.fields["transplant_eligible"]

    def clean(self):
        data = super().clean()
        lines = data.get("prior_lines")
        if lines is None:
            return data
        self._ask_about_contradictions(data, lines)
        if lines == 0:
            data["prior_therapies"] = []
            for name in ("lenalidomide_refractory", "transplant_eligible"):
                data[name] = ""
            return data
        for name in ("lenalidomide_refractory", "transplant_eligible"):
            if name in self.fields and not data.get(name):
                self.add_error(name, ANSWER_THIS_OR_UNSURE)
        return data

    def _ask_about_contradictions(self, data, lines):
        """Answers that cannot both be true are asked about here, not guessed at."""
        status = data.get("relapse_status")
        therapies = data.get("prior_therapies") or []
        if lines == 0 and status in AFTER_TREATMENT:
            self.add_error(
                "prior_lines",
                _(
                    "You said the cancer came back or did not respond to treatment, "
                    "but also that you have had no treatment. How many lines have "
                    "you had? If you do not know, pick “I am not sure”."
                ),
            )
        if lines != 0 and status == RelapseStatus.NEWLY_DIAGNOSED:
            self.add_error(
                "relapse_status",
                _(
                    "You said you are newly diagnosed with no treatment yet, but also "
                    "that you have had treatment. Please check both answers."
                ),
            )
        if lines == 0 and therapies:
            self.add_error(
                "prior_lines",
                _(
                    "You picked treatments you have had, but also said you have had "
                    "none. Please check both answers."
                ),
            )
        if (
            self.answers.recent_infusion == YesNo.YES
            and lines != 0
            and PriorTherapy.CAR_T not in therapies
        ):
            self.add_error(
                "prior_therapies",
                _(
                    "You said you had a CAR T-cell infusion in the last 8 weeks. "
                    "Please also pick “CAR T-cell therapy” here."
                ),
            )
        elif self.answers.recent_infusion == YesNo.YES and lines == 0:
            self.add_error(
                "prior_lines",
                _(
                    "You said you had a CAR T-cell infusion in the last 8 weeks, so "
                    "you have had at least one line of treatment."
                ),
            )


class CarTForm(StepForm):
    prior_car_t = forms.ChoiceField(
        label=_("How did your CAR T-cell therapy go?"),
        choices=[c for c in PriorCarT.choices if c[0] != PriorCarT.NONE],
        widget=forms.RadioSelect,
    )
    antigen_loss = forms.ChoiceField(
        label=_("Did tests show the cancer lost the CAR T target?"),
        help_text=_(
            "For example, a CD19-negative relapse after CD19 CAR T. Your doctor may "
            "call it “antigen loss”. If it is too early to tell, skip this."
        ),
        choices=YesNoUnsure.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def clean(self):
        data = super().clean()
        outcome = data.get("prior_car_t")
        if outcome == PriorCarT.TOO_EARLY:
            data["antigen_loss"] = data.get("antigen_loss") or NOT_ASKED
        elif outcome and not data.get("antigen_loss"):
            self.add_error("antigen_loss", ANSWER_THIS_OR_UNSURE)
        return data


class EligibilityForm(StepForm):
    """The staff-managed questions for the patient's disease; the field name is the question's slug."""

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.slug] = forms.ChoiceField(
                label=question.text,
                help_text=question.help_text,
                choices=YesNoUnsure.choices,
                widget=forms.RadioSelect,
            )

    def values(self) -> dict:
        return {
            "eligibility": {q.slug: self.cleaned_data[q.slug] for q in self.questions}
        }


class PracticalForm(StepForm):
    caregiver = forms.ChoiceField(
        label=_("Can someone stay with you around the clock for the first weeks?"),
        help_text=_(
            "Most centres ask for a caregiver day and night from cell collection until about a month after the infusion."
        ),
        choices=YesNoUnsure.choices,
        widget=forms.RadioSelect,
    )
    travel_abroad = forms.ChoiceField(
        label=_("Would you travel to another country for treatment?"),
        help_text=_("If yes, we also show products approved in other countries."),
        choices=YesNoUnsure.choices,
        widget=forms.RadioSelect,
    )


CONTACT_SHOWN_SALT = "intake.contact.shown"


def contact_form_stamp(shown_at: float | None = None) -> str:
    """When the contact form was shown, signed so a robot cannot backdate it."""
    return signing.dumps(
        int(time.time() if shown_at is None else shown_at), salt=CONTACT_SHOWN_SALT
    )


def contact_form_age(stamp: str) -> float | None:
    """Seconds since the form with this stamp was shown; None for no stamp of ours."""
    try:
        shown_at = signing.loads(stamp, salt=CONTACT_SHOWN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(shown_at, int):
        return None
    return time.time() - shown_at


class ContactForm(forms.Form):
    """A patient's request to be contacted.

    Two traps for robots, which fill every box and send at once: `website`, a
    box no person sees (hidden from sight and screen readers, out of the tab
    order, no autofill), and `shown_at`, when the form was shown. A filled trap
    or a form sent under settings.CONTACT_MIN_FILL_SECONDS after it was shown
    is refused with a plain message (a 400, nothing saved): a person caught by
    mistake is told to send it again, never told falsely that a navigator
    will call.
    """

    TRAPS = ("website", "shown_at")

    name = forms.CharField(label=_("Your name"), max_length=MAX_TEXT)
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        help_text=_("Give an email or a phone number, or both."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for the call or email"), choices=()
    )
    preferred_time = forms.CharField(
        label=_("Best time to reach you"),
        required=False,
        max_length=MAX_TEXT,
        help_text=_("For example: weekday mornings."),
    )
    consent = forms.BooleanField(
        label=_("I agree that a patient navigator may see my answers and contact me."),
        help_text=_("You can delete your answers at any time with your private link."),
    )
    website = forms.CharField(
        label=_("Leave this box empty"),
        required=False,
        widget=forms.TextInput(
            attrs={"tabindex": "-1", "autocomplete": "off", "aria-hidden": "true"}
        ),
    )
    shown_at = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = [
            (code, _(name)) for code, name in settings.LANGUAGES
        ]

    @property
    def stamp(self) -> str:
        """The `shown_at` to send with the page: the one posted if it is ours
        (fixing a mistake does not restart the clock), else now."""
        posted = self.data.get(self.add_prefix("shown_at"), "")
        if self.is_bound and contact_form_age(posted) is not None:
            return posted
        return contact_form_stamp()

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not all(ch.isdigit() or ch in " +-().ext" for ch in phone):
            raise forms.ValidationError(_("Use digits, spaces and + - ( ) only."))
        return phone

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone"):
            raise forms.ValidationError(
                _("Give an email or a phone number so a navigator can reach you.")
            )
        # Checked last, so a person's own mistakes are what they are told first.
        if not self.errors and self._caught_in_a_trap(data):
            raise forms.ValidationError(
                _(
                    "We could not send your request. Please check your details, "
                    "wait a few seconds and press “Send my request” again."
                ),
                code="unsent",
            )
        return data

    def _caught_in_a_trap(self, data) -> bool:
        age = contact_form_age(data.get("shown_at") or "")
        return bool(data.get("website")) or (
            age is None or age < settings.CONTACT_MIN_FILL_SECONDS
        )


class LinkEmailForm(forms.Form):
    """Where to send the private link, once; the address is not stored."""

    email = forms.EmailField(
        label=_("Email me my link"),
        help_text=_("We send it once and do not keep your email address."),
        max_length=254,
        error_messages={"required": _("Type the email address to send the link to.")},
    )
