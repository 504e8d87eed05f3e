"""What a patient was shown, from the catalog release recorded with the request.

The detail page shows the suggestions computed with the release the patient's
results came from; when a later release changed them, it also says what
today's release shows instead, therapy by therapy and topic by topic.
"""

from __future__ import annotations

from dataclasses import dataclass

from therapies.snapshot import Catalog, get_catalog, release_catalog

from ..answers import Answers
from ..models import Submission
from ..suggestions import Suggestions, suggest


@dataclass(frozen=True)
class Differences:
    """What today's release shows differently from what the patient saw."""

    therapies_added: tuple[str, ...]
    therapies_removed: tuple[str, ...]
    topics_added: tuple[str, ...]
    topics_removed: tuple[str, ...]

    def __bool__(self) -> bool:
        return any(
            (
                self.therapies_added,
                self.therapies_removed,
                self.topics_added,
                self.topics_removed,
            )
        )


@dataclass(frozen=True)
class Shown:
    suggestions: Suggestions  # what the patient saw (or today's, see `recorded`)
    catalog: Catalog
    recorded: bool  # False: asked before releases existed; today's release used
    today: Catalog
    differences: Differences | None  # None when today's release is the same one


def shown_to_patient(submission: Submission, answers: Answers) -> Shown:
    today = get_catalog()
    seen = None
    if submission.catalog_release_id:
        seen = release_catalog(submission.catalog_release_id)
    if seen is None or seen.release == today.release:
        return Shown(suggest(answers, today), today, seen is not None, today, None)
    then = suggest(answers, seen)
    return Shown(then, seen, True, today, _differences(then, suggest(answers, today)))


def _differences(then: Suggestions, now: Suggestions) -> Differences:
    return Differences(
        *_added_removed(_therapies(then), _therapies(now)),
        *_added_removed(_topics(then), _topics(now)),
    )


def _therapies(suggestions: Suggestions) -> dict[str, str]:
    return {
        f"{m.therapy.slug}/{m.regulator}": f"{m.therapy.brand_name} ({m.regulator})"
        for m in suggestions.therapies
    }


def _topics(suggestions: Suggestions) -> dict[str, str]:
    return {t.topic.slug: t.topic.title for t in suggestions.topics}


def _added_removed(before: dict, after: dict) -> tuple[tuple, tuple]:
    return (
        tuple(after[k] for k in after if k not in before),
        tuple(before[k] for k in before if k not in after),
    )
