"""The codes of ../shared/design/intake-contract.md that the catalog's rules use.

Codes are stable identifiers; labels may change and are translated. The intake
app builds its answers on these, so they live here: `therapies` never imports
`intake`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DiseaseCode(models.TextChoices):
    B_ALL = "b_all", _("B-cell acute lymphoblastic leukemia (B-ALL)")
    LBCL = "lbcl", _("Large B-cell lymphoma (including DLBCL)")
    FL = "fl", _("Follicular lymphoma")
    MCL = "mcl", _("Mantle cell lymphoma")
    CLL = "cll", _("Chronic lymphocytic leukemia or small lymphocytic lymphoma")
    MZL = "mzl", _("Marginal zone lymphoma")
    MM = "mm", _("Multiple myeloma")
    OTHER_BLOOD = "other_blood", _("Another blood cancer")
    SOLID = "solid", _("A solid tumor")
    UNSURE = "unsure", _("I am not sure")


class LbclSubtype(models.TextChoices):
    DLBCL = "dlbcl", _("Diffuse large B-cell lymphoma (DLBCL)")
    HGBCL = "hgbcl", _("High-grade B-cell lymphoma")
    PMBCL = "pmbcl", _("Primary mediastinal large B-cell lymphoma")
    TFL = "tfl", _("Transformed from follicular or another slow-growing lymphoma")
    FL3B = "fl3b", _("Follicular lymphoma grade 3B")
    OTHER = "other", _("Another kind")
    UNSURE = "unsure", _("I am not sure")


class RelapseStatus(models.TextChoices):
    NEWLY_DIAGNOSED = "newly_diagnosed", _("Newly diagnosed, no treatment yet")
    IN_TREATMENT = "in_treatment", _("Getting my first treatment now")
    REMISSION = "remission", _("In remission (no sign of cancer now)")
    REFRACTORY = "refractory", _("It did not respond, or it grew during treatment")
    EARLY_RELAPSE = (
        "early_relapse",
        _("It came back within 12 months of my last treatment"),
    )
    LATE_RELAPSE = (
        "late_relapse",
        _("It came back more than 12 months after my last treatment"),
    )
    UNSURE = "unsure", _("I am not sure")


RELAPSED_OR_REFRACTORY = (
    RelapseStatus.REFRACTORY,
    RelapseStatus.EARLY_RELAPSE,
    RelapseStatus.LATE_RELAPSE,
)


class PriorTherapy(models.TextChoices):
    CHEMOIMMUNOTHERAPY = (
        "chemoimmunotherapy",
        _("Chemotherapy, alone or with an antibody such as rituximab"),
    )
    STEM_CELL_TRANSPLANT = "stem_cell_transplant", _("Stem cell transplant")
    BTKI = "btki", _("BTK inhibitor (such as ibrutinib, acalabrutinib, zanubrutinib)")
    BCL2I = "bcl2i", _("BCL-2 inhibitor (venetoclax)")
    PI = "pi", _("Proteasome inhibitor (such as bortezomib, carfilzomib)")
    IMID = (
        "imid",
        _("Immunomodulatory drug (such as lenalidomide, pomalidomide, thalidomide)"),
    )
    ANTI_CD38 = "anti_cd38", _("Anti-CD38 antibody (such as daratumumab, isatuximab)")
    BISPECIFIC = (
        "bispecific",
        _("Bispecific antibody (such as glofitamab, epcoritamab, talquetamab)"),
    )
    CD19_DIRECTED = (
        "cd19_directed",
        _(
            "Another treatment aimed at CD19 (such as blinatumomab, tafasitamab, "
            "loncastuximab)"
        ),
    )
    BCMA_DIRECTED = (
        "bcma_directed",
        _(
            "Another treatment aimed at BCMA (such as teclistamab, elranatamab, "
            "belantamab)"
        ),
    )
    CAR_T = "car_t", _("CAR T-cell therapy")
    RADIATION = "radiation", _("Radiation")
    OTHER = "other", _("Something else")


# Which prior therapies the intake offers for each disease. Every list keeps
# `car_t`, so a prior CAR T can always be reported.
PRIOR_THERAPIES_BY_DISEASE = {
    "b_all": [
        "chemoimmunotherapy",
        "stem_cell_transplant",
        "bispecific",
        "cd19_directed",
        "car_t",
        "radiation",
        "other",
    ],
    "lbcl": [
        "chemoimmunotherapy",
        "stem_cell_transplant",
        "bispecific",
        "cd19_directed",
        "car_t",
        "radiation",
        "other",
    ],
    "fl": [
        "chemoimmunotherapy",
        "stem_cell_transplant",
        "imid",
        "btki",
        "bispecific",
        "cd19_directed",
        "car_t",
        "radiation",
        "other",
    ],
    "mzl": [
        "chemoimmunotherapy",
        "stem_cell_transplant",
        "imid",
        "btki",
        "bispecific",
        "cd19_directed",
        "car_t",
        "radiation",
        "other",
    ],
    "mcl": [
        "chemoimmunotherapy",
        "stem_cell_transplant",
        "btki",
        "bcl2i",
        "bispecific",
        "cd19_directed",
        "car_t",
        "radiation",
        "other",
    ],
    "cll": [
        "chemoimmunotherapy",
        "stem_cell_transplant",
        "btki",
        "bcl2i",
        "bispecific",
        "cd19_directed",
        "car_t",
        "radiation",
        "other",
    ],
    "mm": [
        "stem_cell_transplant",
        "pi",
        "imid",
        "anti_cd38",
        "bispecific",
        "bcma_directed",
        "car_t",
        "radiation",
        "other",
    ],
}
ALL_PRIOR_THERAPIES = [code for code, _label in PriorTherapy.choices]


def prior_therapies_for(disease: str) -> list[str]:
    return PRIOR_THERAPIES_BY_DISEASE.get(disease, ALL_PRIOR_THERAPIES)


class YesNoUnsure(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNSURE = "unsure", _("I am not sure")


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class PriorCarT(models.TextChoices):
    NONE = "none", _("I have not had CAR T-cell therapy")
    TOO_EARLY = (
        "too_early",
        _("I had it recently: it is too early to tell"),
    )
    RELAPSE_EARLY = (
        "relapse_early",
        _("It worked, then the cancer came back within 6 months"),
    )
    RELAPSE_LATE = (
        "relapse_late",
        _("It worked, then the cancer came back after 6 months or more"),
    )
    NO_RESPONSE = "no_response", _("The cancer did not respond")
    PARTIAL_RESPONSE = "partial_response", _("The cancer shrank but did not go away")


# CAR T outcomes after which the cancer is still there: the second-CAR-T,
# target-loss and other failure topics are about these, never about a patient
# for whom it is too early to tell.
AFTER_CAR_T_FAILED = (
    PriorCarT.RELAPSE_EARLY,
    PriorCarT.RELAPSE_LATE,
    PriorCarT.NO_RESPONSE,
    PriorCarT.PARTIAL_RESPONSE,
)


class Symptom(models.TextChoices):
    FEVER = "fever", _("Fever of 38 °C (100.4 °F) or higher, or chills")
    CONFUSION = "confusion", _("Confusion, or being very sleepy")
    TROUBLE_SPEAKING = "trouble_speaking", _("Trouble speaking or finding words")
    SEIZURE = "seizure", _("Seizure or shaking")
    BREATHING = "breathing", _("Trouble breathing")
    LOW_BLOOD_PRESSURE = "low_blood_pressure", _("Dizziness or low blood pressure")
    NONE = "none", _("None of these")
