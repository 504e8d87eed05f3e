"""The one-page referral summary of a request: a page to print, and a PDF.

What it shows: the contact details and preferences, the answers in plain
words and what the patient was shown (facts.py, as on the detail page), the
referral if there is one, and only the notes the coordinator ticked.

The PDF is rendered here by WeasyPrint: no external service, and nothing is
fetched but the summary's own stylesheet, read from the static folders.
Each look, on screen or as a PDF, is audited like a view of the request.
"""

from __future__ import annotations

import mimetypes
import posixpath
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..audit import audit_event_create, client_ip
from ..models import AuditEvent, Referral, ReviewEvent, Submission
from .access import get_submission_for_coordinator
from .facts import submission_facts
from .forms import SummaryForm

# The stylesheet the summary links, for the page and the PDF alike.
SUMMARY_CSS = "css/summary.css"


class StaticFilesOnly(URLFetcher):
    """Serves the site's own static files from their source folders and
    refuses every other address: a PDF never waits on, or leaks to, the
    network, whatever a note or an answer holds."""

    def fetch(self, url, headers=None):
        prefix = urlsplit(settings.STATIC_URL).path
        path = posixpath.normpath(urlsplit(url).path)
        if not path.startswith(prefix):
            raise ValueError("only the site's static files are fetched")
        found = finders.find(path.removeprefix(prefix))
        if not found:
            raise ValueError("no such static file")
        with open(found, "rb") as file:
            body = file.read()
        kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": kind})


def render_pdf(html: str, base_url: str) -> bytes:
    return HTML(
        string=html, base_url=base_url, url_fetcher=StaticFilesOnly()
    ).write_pdf()


def _summary_context(request, submission: Submission, form: SummaryForm) -> dict:
    return {
        "submission": submission,
        **submission_facts(submission),
        "form": form,
        "notes": form.chosen(),
        "referral": Referral.objects.latest_of(submission),
        "prepared_by": request.user,
        "prepared_at": timezone.now(),
        "summary_css": SUMMARY_CSS,
        "section": "queue",
    }


def _read(request, reference: str, what: str):
    """The request, its bound notes form and the summary's context; the look
    is audited (how many notes were ticked, never which or what they say)."""
    submission = get_submission_for_coordinator(request, reference)
    timeline = ReviewEvent.objects.timeline(submission)
    form = SummaryForm(request.GET, timeline=timeline)
    valid = form.is_valid()
    audit_event_create(
        user=request.user,
        action=AuditEvent.Action.VIEW,
        submission=submission,
        detail=f"{what} notes={len(form.chosen())}",
        ip_address=client_ip(request),
    )
    return valid, _summary_context(request, submission, form)


@never_cache
@require_safe
@login_required
def summary(request, reference):
    valid, context = _read(request, reference, "referral summary")
    return render(request, "review/summary.html", context, status=200 if valid else 400)


@never_cache
@require_safe
@login_required
def summary_pdf(request, reference):
    valid, context = _read(request, reference, "referral summary pdf")
    if not valid:
        return render(request, "review/summary.html", context, status=400)
    html = render_to_string("review/summary_pdf.html", context, request=request)
    response = HttpResponse(
        render_pdf(html, request.build_absolute_uri("/")),
        content_type="application/pdf",
    )
    filename = f"referral-summary-{context['submission'].reference}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
