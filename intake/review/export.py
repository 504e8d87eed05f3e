"""The queue as CSV: the coordinators' export, streamed in chunks.

Every cell is quoted, and a cell a spreadsheet could run as a formula gets a
leading apostrophe (OWASP CSV injection): one that starts with = + - @ tab or
CR, and, inside a cell, each part after a separator (, ; tab CR LF) that
does, for a program that splits the cell there. Nothing else changes, so a
phone "+1 202 555 0199" reads "'+1 202 555 0199" and "202-555-0199" as is.
"""

from __future__ import annotations

import csv
import datetime
import re

from django.db.models import QuerySet

EXPORT_COLUMNS = (
    ("reference", "reference"),
    ("status", "review_status"),
    ("urgent", "urgent"),
    ("disease", "disease"),
    ("prior_lines", "prior_lines"),
    ("relapse_status", "relapse_status"),
    ("country", "country"),
    ("contact_requested_at", "contact_requested_at"),
    ("first_contacted_at", "first_contacted_at"),
    ("assignee", "assignee__username"),
    ("name", "contact_name"),
    ("email", "contact_email"),
    ("phone", "contact_phone"),
    ("preferred_language", "contact_language"),
    ("preferred_time", "contact_time"),
    ("consent_version", "consent_version"),
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A separator, then spaces, then a formula character: the apostrophe goes
# before that character.
AFTER_SEPARATOR = re.compile(r"([,;\t\r\n] *)(?=[=+\-@\t\r])")


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="seconds")
    text = str(value)
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        text = "'" + text
    return AFTER_SEPARATOR.sub(r"\1'", text)


class _Echo:
    def write(self, value):
        return value


def csv_lines(queryset: QuerySet, lines_per_chunk: int = 500):
    """The CSV in chunks of a few hundred lines: flat memory at any size, and
    far fewer writes to the socket than one per line."""
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    yield writer.writerow([header for header, _field in EXPORT_COLUMNS])
    fields = [field for _header, field in EXPORT_COLUMNS]
    lines = []
    for row in queryset.values_list(*fields).iterator(chunk_size=2000):
        lines.append(writer.writerow([csv_safe(value) for value in row]))
        if len(lines) == lines_per_chunk:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)
