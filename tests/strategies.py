"""Hypothesis strategies shared by the property-based tests."""

from hypothesis import strategies as st

from therapies.vocabulary import (
    DiseaseCode,
    LbclSubtype,
    PriorCarT,
    PriorTherapy,
    RelapseStatus,
    Symptom,
    YesNoUnsure,
)

yes_no_unsure = st.sampled_from(YesNoUnsure.values)
answers_strategy = st.fixed_dictionaries(
    {
        "disease": st.sampled_from(DiseaseCode.values),
        "age": st.integers(0, 120),
        "prior_lines": st.integers(0, 15),
        "relapse_status": st.sampled_from(RelapseStatus.values),
        "prior_therapies": st.lists(st.sampled_from(PriorTherapy.values), unique=True),
        "lenalidomide_refractory": yes_no_unsure,
        "transplant_eligible": yes_no_unsure,
        "prior_car_t": st.sampled_from(PriorCarT.values),
        "antigen_loss": yes_no_unsure,
        "country": st.sampled_from(
            ["US", "CN", "IN", "DE", "FR", "SG", "KR", "AU", "IL", "BR"]
        ),
        "travel_abroad": yes_no_unsure,
        "caregiver": yes_no_unsure,
        "recent_infusion": st.sampled_from(["yes", "no"]),
        "symptoms": st.lists(st.sampled_from(Symptom.values), unique=True),
    }
)

# Contract version 2: a lymphoma subtype, and lines of treatment not known.
answers_v2_strategy = answers_strategy.flatmap(
    lambda data: st.fixed_dictionaries(
        {
            "lbcl_subtype": st.sampled_from(["", *LbclSubtype.values]),
            "prior_lines": st.integers(0, 15) | st.just("unsure"),
            "age": st.none() | st.integers(0, 120),
        }
    ).map(lambda extra: {**data, **extra})
)
