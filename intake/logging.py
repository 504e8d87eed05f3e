"""No resume token in any log line.

A resume token is a key to a person's health answers, and it is in the URL of
every patient page: Django's "Bad Request: /i/<token>/…" and "Not Found: …"
lines, runserver's request lines and a 500's report would all carry it. This
filter, on every handler in settings.LOGGING, rewrites `/i/<token>` to
`/i/[redacted]` in each record's message, its exception text and the request
it names, before any handler writes it.
"""

import logging
import re

TOKEN_IN_PATH = re.compile(r"/i/[^/\s?#\"'<>]+")
REDACTED = "/i/[redacted]"


def redact(text: str) -> str:
    return TOKEN_IN_PATH.sub(REDACTED, text)


class RedactTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if TOKEN_IN_PATH.search(message):
            record.msg, record.args = redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if isinstance(path, str) and TOKEN_IN_PATH.search(path):
            # The record's own copy: the live request is not changed.
            record.request = redact(repr(request))
        return True
