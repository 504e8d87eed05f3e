"""For every indication of every regulator: the reference patient who meets it,
moved just past one of its limits (a year too young or too old, one line too
few or too many), is no longer matched to it, unless another rule of the same
label covers the moved patient.

The reference patients (therapies/catalog/reference_patients.toml) give a
patient who meets each indication in a country of its regulator; this moves
each of them over each age and line limit of the rule they meet, so a new
indication with a reference patient is checked at its edges without a new
table row.
"""

from intake.answers import parse_answers
from intake.suggestions import suggest

LIMITS = (
    # (the rule's field, the answer it limits, the step that crosses it)
    ("min_age", "age", -1),
    ("max_age", "age", +1),
    ("min_prior_lines", "prior_lines", -1),
    ("max_prior_lines", "prior_lines", +1),
)


def meeting(catalog, indication):
    """The reference patients in the regulator's country who meet `indication`,
    with the rule each meets."""
    for p in catalog.reference_patients:
        if indication.therapy.slug not in p.must_show_therapies:
            continue
        country = p.answers.get("country")
        if catalog.country_regulators.get(country) != indication.regulator:
            continue
        answers = suggest(parse_answers(p.answers), catalog).answers
        for rule in indication.rules:
            if rule.criteria.matches(answers):
                yield p, rule


def edge_cases(catalog):
    """(indication, limit crossed, answers just past it, whether another rule
    of the same indication still covers them)."""
    for indication in catalog.indications:
        for p, rule in meeting(catalog, indication):
            for limit, answer, step in LIMITS:
                bound = getattr(rule.criteria, limit)
                if bound is None or bound + step < 0:
                    continue
                moved = {**p.answers, answer: bound + step}
                parsed = suggest(parse_answers(moved), catalog).answers
                covered = any(
                    other.criteria.matches(parsed)
                    for other in indication.rules
                    if other is not rule
                )
                yield indication, f"{limit} {bound}", moved, covered


def matched_under(catalog, answers, slug) -> bool:
    result = suggest(parse_answers(answers), catalog)
    return any(m.indication.slug == slug for m in result.therapies)


def test_a_patient_just_past_a_limit_of_any_label_is_not_matched_to_it(catalog):
    cases = list(edge_cases(catalog))
    assert len(cases) >= 50
    # Every regulator whose labels set limits is checked at their edges.
    checked = {indication.regulator for indication, *_rest in cases}
    assert {"FDA", "EMA", "MHRA", "Health Canada", "TGA", "PMDA", "NMPA"} <= checked
    assert {limit.split()[0] for _i, limit, *_rest in cases} == {
        name for name, *_rest in LIMITS
    }
    wrong = [
        (indication.slug, limit)
        for indication, limit, answers, covered in cases
        if matched_under(catalog, answers, indication.slug) != covered
    ]
    assert wrong == []
