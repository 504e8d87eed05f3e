"""One form per intake step. Field names and values are the contract's codes.

Forms validate and normalise; which step comes next and what is cleared when an
earlier answer changes is decided in steps.py and services.py.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from therapies.vocabulary import (
    DiseaseCode,
    PriorCarT,
    PriorTherapy,
    RelapseStatus,
    Symptom,
    YesNo,
    YesNoUnsure,
    prior_therapies_for,
)

from .answers import AGE_RANGE, PRIOR_LINES_RANGE, TRANSPLANT_QUESTION_DISEASES, Answers

MAX_TEXT = 120


class StepForm(forms.Form):
    """A step's form, built from the draft's current answers."""

    def __init__(self, *args, answers: Answers, **kwargs):
        self.answers = answers
        super().__init__(*args, **kwargs)

    def values(self) -> dict:
        """The cleaned answers this step contributes to the draft."""
        return dict(self.cleaned_data)


class SafetyForm(StepForm):
    recent_infusion = forms.ChoiceField(
        label=_("Have you had a CAR T-cell infusion in the last 8 weeks?"),
        choices=YesNo.choices,
        widget=forms.RadioSelect,
    )
    symptoms = forms.MultipleChoiceField(
        label=_("If yes: do you have any of these now?"),
        help_text=_(
            "Only answer this if you had an infusion in the last 8 weeks. Pick all that apply."
        ),
        choices=Symptom.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("recent_infusion") == YesNo.YES:
            symptoms = data.get("symptoms") or []
            if not symptoms:
                self.add_error(
                    "symptoms", _("Pick the symptoms you have now, or “None of these”.")
                )
            elif Symptom.NONE in symptoms and len(symptoms) > 1:
                self.add_error(
                    "symptoms",
                    _(
                        "You picked “None of these” and a symptom. Please pick one or the other."
                    ),
                )
        else:
            data["symptoms"] = []
        return data


class DiseaseForm(StepForm):
    disease = forms.ChoiceField(
        label=_("What kind of cancer do you have?"),
        help_text=_(
            "Pick the closest match. If you are not sure, pick “I am not sure”."
        ),
        choices=DiseaseCode.choices,
        widget=forms.RadioSelect,
    )


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
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose a country")), *list(countries)]


class HistoryForm(StepForm):
    prior_lines = forms.IntegerField(
        label=_("How many lines of treatment have you had?"),
        help_text=_(
            "A line of treatment is one plan of cancer drugs, such as 6 rounds of R-CHOP. "
            "A new plan after the cancer came back is a new line. Write 0 if you have not been treated yet."
        ),
        min_value=PRIOR_LINES_RANGE[0],
        max_value=PRIOR_LINES_RANGE[1],
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
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
        offered = set(prior_therapies_for(disease))
        self.fields["prior_therapies"].choices = [
            (code, label) for code, label in PriorTherapy.choices if code in offered
        ]
        if disease != DiseaseCode.MM:
            del self.fields["lenalidomide_refractory"]
        if disease not in TRANSPLANT_QUESTION_DISEASES:
            del self.fields["transplant_eligible"]

    def clean(self):
        data = super().clean()
        lines = data.get("prior_lines")
        if lines is None:
            return data
        if lines > 0:
            for name in ("lenalidomide_refractory", "transplant_eligible"):
                if name in self.fields and not data.get(name):
                    self.add_error(
                        name, _("Please answer this question, or pick “I am not sure”.")
                    )
        else:
            data["prior_therapies"] = []
            for name in ("lenalidomide_refractory", "transplant_eligible"):
                data[name] = ""
        return data


class CarTForm(StepForm):
    prior_car_t = forms.ChoiceField(
        label=_("How did your CAR T-cell therapy go?"),
        choices=[c for c in PriorCarT.choices if c[0] != PriorCarT.NONE],
        widget=forms.RadioSelect,
    )
    antigen_loss = forms.ChoiceField(
        label=_("Did tests show the cancer lost the CAR T target?"),
        help_text=_(
            "For example, a CD19-negative relapse after CD19 CAR T. Your doctor may call it “antigen loss”."
        ),
        choices=YesNoUnsure.choices,
        widget=forms.RadioSelect,
    )


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


class ContactForm(forms.Form):
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

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = [
            (code, _(name)) for code, name in settings.LANGUAGES
        ]

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
        return data
