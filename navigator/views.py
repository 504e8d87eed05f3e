"""Project-wide error views."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string


def server_error(request):
    """A 500 in the site's style; a 503 with Retry-After while the database is
    down or restarting, so patients see "try again in a moment", not a crash.
    Nothing is half-saved: every write runs in a transaction the failure undid."""
    _type, exception, _traceback = sys.exc_info()
    if isinstance(exception, OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(render_to_string("500.html"))
