"""The queue as CSV for people: the coordinators' export, streamed in chunks.

Values are in words in the coordinator's language (a status's label, not
`in_review`; a disease's name, not `mm`), and times in their time zone, named
in the column headings. The words are looked up when the view runs
(`export_words`): the file is streamed after the view has returned, when
neither the language nor the time zone is active any more.

Every cell is quoted, and a cell a spreadsheet could run as a formula gets a
leading apostrophe (OWASP CSV injection): one that starts with = + - @ tab or
CR, and, inside a cell, each part after a separator (, ; tab CR LF) that
does, for a program that splits the cell there. A phone number made only of
digits, spaces and + ( ) - is left as it is ("+1 202 555 0199"): with no
letter it can name no function and no cell, so it cannot be a formula that
does anything; a "phone" with anything else in it is treated as any cell.

The audit record of an export lists the submissions it holds (`IdRanges`):
their ids are read first, and the stream leaves out any row that was not in
that list (one that came into the filter in between), so the record names
every submission that left in the file.
"""

from __future__ import annotations

import bisect
import csv
import re
from array import array
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django_countries import countries

from ..models import Submission
from .forms import DISEASE_SHORT, RELAPSE_SHORT

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A separator, then spaces, then a formula character: the apostrophe goes
# before that character.
AFTER_SEPARATOR = re.compile(r"([,;\t\r\n] *)(?=[=+\-@\t\r])")
PHONE_LIKE = re.compile(r"[0-9 +()\-]+")
TIME_FORMAT = "%Y-%m-%d %H:%M"

# What a line reads, in this order; each column's words are in `export_words`.
FIELDS = (
    "pk",
    "reference",
    "review_status",
    "urgent",
    "disease",
    "prior_lines",
    "relapse_status",
    "country",
    "contact_requested_at",
    "first_contacted_at",
    "last_action_at",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
    "contact_name",
    "contact_email",
    "contact_phone",
    "contact_language",
    "contact_time",
    "consent_version",
)


def csv_safe(value, *, phone: bool = False) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    if value is None:
        return ""
    text = str(value)
    if phone and PHONE_LIKE.fullmatch(text):
        return text
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        text = "'" + text
    return AFTER_SEPARATOR.sub(r"\1'", text)


def _time(zone) -> Callable:
    def local(at) -> str:
        return at.astimezone(zone).strftime(TIME_FORMAT) if at else ""

    return local


def _assignee(row) -> str:
    # None for both when nobody is assigned (the join found no user).
    names = (row.assignee__first_name, row.assignee__last_name)
    full = " ".join(name for name in names if name)
    return full or row.assignee__username or ""


def _languages() -> dict[str, str]:
    return {
        code: str(get_language_info(code)["name_translated"])
        for code, _name in settings.LANGUAGES
    }


def export_words(zone) -> list[tuple[str, Callable, bool]]:
    """The columns in the active language and time zone `zone` (a tzinfo):
    (heading, the cell's text from a row, whether it holds a phone number)."""
    # Lazy labels turned into text now, while the language is active.
    statuses = {code: str(label) for code, label in Submission.ReviewStatus.choices}
    diseases = {code: str(label) for code, label in DISEASE_SHORT.items()}
    relapses = {code: str(label) for code, label in RELAPSE_SHORT.items()}
    names = {code: str(name) for code, name in countries}
    languages = _languages()
    yes, no = _("Yes"), _("No")
    local = _time(zone)
    zone_name = str(zone)

    def timed(heading: str) -> str:
        return f"{heading} ({zone_name})"

    return [
        (_("Reference"), lambda r: r.reference, False),
        (_("Status"), lambda r: statuses.get(r.review_status, r.review_status), False),
        (_("Urgent"), lambda r: yes if r.urgent else no, False),
        (_("Disease"), lambda r: diseases.get(r.disease, r.disease), False),
        (_("Lines of treatment so far"), lambda r: r.prior_lines, False),
        (
            _("Relapse status"),
            lambda r: relapses.get(r.relapse_status, r.relapse_status),
            False,
        ),
        (_("Country"), lambda r: names.get(r.country, r.country), False),
        (
            timed(_("Asked to be contacted")),
            lambda r: local(r.contact_requested_at),
            False,
        ),
        (timed(_("First contacted")), lambda r: local(r.first_contacted_at), False),
        (timed(_("Last action")), lambda r: local(r.last_action_at), False),
        (_("Assigned to"), _assignee, False),
        (_("Name"), lambda r: r.contact_name, False),
        (_("Email"), lambda r: r.contact_email, False),
        (_("Phone"), lambda r: r.contact_phone, True),
        (
            _("Preferred language"),
            lambda r: languages.get(r.contact_language, r.contact_language),
            False,
        ),
        (_("Preferred time"), lambda r: r.contact_time, False),
        (_("Consent version"), lambda r: r.consent_version, False),
    ]


class IdRanges:
    """A set of ids kept as sorted ranges: an export's list for its audit
    record ("3-7,9"), a few bytes per run of ids however many rows."""

    def __init__(self, starts: array, ends: array):
        self.starts, self.ends = starts, ends

    @classmethod
    def from_sorted(cls, ids: Iterable[int]) -> IdRanges:
        starts, ends = array("q"), array("q")
        for pk in ids:
            if ends and pk == ends[-1] + 1:
                ends[-1] = pk
            elif not ends or pk > ends[-1]:
                starts.append(pk)
                ends.append(pk)
        return cls(starts, ends)

    @classmethod
    def parse(cls, text: str) -> IdRanges:
        """The ranges `str()` wrote; ValueError for anything else."""
        starts, ends = array("q"), array("q")
        for part in filter(None, text.split(",")):
            first, _dash, last = part.partition("-")
            starts.append(int(first))
            ends.append(int(last or first))
        return cls(starts, ends)

    def _pairs(self):
        return zip(self.starts, self.ends, strict=True)

    def __contains__(self, pk: int) -> bool:
        at = bisect.bisect_right(self.starts, pk) - 1
        return at >= 0 and pk <= self.ends[at]

    def __len__(self) -> int:
        return sum(end - start + 1 for start, end in self._pairs())

    def __iter__(self):
        for start, end in self._pairs():
            yield from range(start, end + 1)

    def __str__(self) -> str:
        return ",".join(
            str(start) if start == end else f"{start}-{end}"
            for start, end in self._pairs()
        )


def exported_ids(queryset: QuerySet) -> IdRanges:
    """The ids of the submissions an export of `queryset` holds."""
    ids = queryset.order_by("pk").values_list("pk", flat=True)
    return IdRanges.from_sorted(ids.iterator(chunk_size=5000))


class _Echo:
    def write(self, value):
        return value


def csv_lines(
    queryset: QuerySet, columns: list, ids: IdRanges, lines_per_chunk: int = 500
):
    """The CSV in chunks of a few hundred lines: flat memory at any size, and
    far fewer writes to the socket than one per line. Only rows in `ids`."""
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    yield writer.writerow([csv_safe(heading) for heading, _cell, _phone in columns])
    lines = []
    rows = queryset.values_list(*FIELDS, named=True).iterator(chunk_size=2000)
    for row in rows:
        if row.pk not in ids:
            continue
        cells = [csv_safe(cell(row), phone=phone) for _heading, cell, phone in columns]
        lines.append(writer.writerow(cells))
        if len(lines) == lines_per_chunk:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)
