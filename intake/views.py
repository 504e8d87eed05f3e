"""The patient's intake: no account, one form and URL per step, a results page.

A draft is found by its unguessable resume token, so back, reload, a closed tab
or a new session lose nothing. Every page that shows a patient's answers is
sent with `Cache-Control: no-store`, and POST bodies are kept out of error
reports with `sensitive_post_parameters`.
"""

import functools
import hashlib
import json

import segno
from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from therapies.emergency import emergency_for_request, emergency_help
from therapies.snapshot import get_catalog, read_version, version_columns

from . import services
from .answers import Answers, answers_from_stored
from .audit import client_ip
from .forms import ContactForm, EligibilityForm, LinkEmailForm
from .limits import limit_posts
from .models import CONSENT_VERSION, Submission
from .presentation import answer_rows, short_questions
from .steps import BY_SLUG, next_step, previous_step, progress
from .suggestions import eligibility_questions, suggest

# What the results and print pages read of a submission (the rest is the
# engine's, from the answers): loading only these took a third off the query.
# They are the pages patients come back to, so the same query also reads the
# catalog version (one query less).
RESULTS_FIELDS = (
    "token",
    "stage",
    "answers",
    "contact_requested",
    "reference",
    "updated_at",
)
TOKEN_MAX = 64  # longer is no token of ours: a 404 without a query


def _get_submission(token: str) -> Submission:
    """A patient's submission by resume token; anything else is a 404."""
    if len(token) > TOKEN_MAX:
        raise Http404
    return _unexpired(get_object_or_404(Submission, token=token))


class LinkExpired(Exception):
    """The private link was not used for RESUME_LINK_IDLE_DAYS (a 410 page)."""


def _unexpired(submission: Submission) -> Submission:
    if submission.link_expired():
        raise LinkExpired
    return submission


def live_link(view):
    """A view reached by a private link: an expired link gets a clear 410 page."""

    @functools.wraps(view)
    def wrapped(request, token, *args, **kwargs):
        try:
            return view(request, token, *args, **kwargs)
        except LinkExpired:
            return render(
                request,
                "intake/link_expired.html",
                {"idle_days": settings.RESUME_LINK_IDLE_DAYS},
                status=410,
            )

    return wrapped


def _get_results_submission(token: str) -> Submission:
    """As _get_submission, with only RESULTS_FIELDS loaded."""
    if len(token) > TOKEN_MAX:
        raise Http404
    return _unexpired(
        get_object_or_404(
            Submission.objects.only(*RESULTS_FIELDS).annotate(**version_columns()),
            token=token,
        )
    )


def _step_url(submission: Submission, slug: str) -> str:
    if slug == "review":
        return reverse("intake:review", args=[submission.token])
    return reverse("intake:step", args=[submission.token, slug])


def _resume_url(request, submission: Submission) -> str:
    return request.build_absolute_uri(reverse("intake:resume", args=[submission.token]))


def _link_context(request, submission: Submission | None) -> dict:
    """What the "keep your link" box shows: the link, the email form, the rule."""
    if submission is None:
        return {"resume_url": None}
    return {
        "resume_url": _resume_url(request, submission),
        "retention_days": settings.DRAFT_RETENTION_DAYS,
        "idle_days": settings.RESUME_LINK_IDLE_DAYS,
    }


def _form_for(step, answers: Answers, catalog, data=None, stored=None):
    """The step's form; pre-filled only with what the patient answered (`stored`)."""
    kwargs = {"answers": answers}
    initial = dict(stored or {})
    if step.form_class is EligibilityForm:
        kwargs["questions"] = eligibility_questions(answers, catalog)
        initial = dict(initial.get("eligibility") or {})
    return step.form_class(data, initial=initial, **kwargs)


def _render_step(request, step, form, answers, catalog, submission=None, status=200):
    number, total = progress(step, answers, catalog)
    previous = previous_step(step, answers, catalog) if submission else None
    return render(
        request,
        "intake/step.html",
        {
            "step": step,
            "form": form,
            "submission": submission,
            "number": number,
            "total": total,
            "percent": round(100 * number / total),
            "previous_url": _step_url(submission, previous.slug) if previous else None,
            **_link_context(request, submission),
        },
        status=status,
    )


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("RATE_LIMIT_STARTS_PER_HOUR")
def start(request):
    """The first step. The draft is created only when the patient answers it."""
    catalog = get_catalog()
    step = BY_SLUG["safety"]
    answers = Answers()
    form = _form_for(
        step, answers, catalog, request.POST if request.method == "POST" else None
    )
    if request.method == "POST":
        if form.is_valid():
            submission = services.draft_create(
                step=step.slug,
                values=form.values(),
                language=get_language(),
                complete=form.is_complete(),
            )
            return _after_save(submission, catalog)
        return _render_step(request, step, form, answers, catalog, status=400)
    return _render_step(request, step, form, answers, catalog)


def _after_save(submission: Submission, catalog):
    answers = answers_from_stored(submission.answers)
    if answers.urgent and "urgent-seen" not in submission.completed_steps:
        return redirect("intake:urgent", submission.token)
    return redirect(
        _step_url(
            submission, next_step(answers, submission.completed_steps, catalog).slug
        )
    )


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
@live_link
def step(request, token, slug):
    submission = _get_submission(token)
    catalog = get_catalog()
    step = BY_SLUG.get(slug)
    if step is None or step.form_class is None:
        raise Http404
    answers = answers_from_stored(submission.answers)
    if not step.applies(answers, catalog):
        messages.info(
            request,
            _("That question does not apply to your answers, so we skipped it."),
        )
        return redirect(
            _step_url(
                submission, next_step(answers, submission.completed_steps, catalog).slug
            )
        )
    if request.method == "POST":
        form = _form_for(step, answers, catalog, request.POST)
        if form.is_valid():
            submission = services.draft_save_step(
                submission=submission,
                step=step.slug,
                values=form.values(),
                language=get_language(),
                complete=form.is_complete(),
            )
            return _after_save(submission, catalog)
        return _render_step(
            request, step, form, answers, catalog, submission, status=400
        )
    form = _form_for(step, answers, catalog, stored=submission.answers)
    return _render_step(request, step, form, answers, catalog, submission)


@never_cache
@require_safe
@live_link
def resume(request, token):
    submission = _get_submission(token)
    if submission.stage == Submission.Stage.SUBMITTED:
        return redirect("intake:results", submission.token)
    answers = answers_from_stored(submission.answers)
    return redirect(
        _step_url(
            submission,
            next_step(answers, submission.completed_steps, get_catalog()).slug,
        )
    )


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
@live_link
def urgent(request, token):
    """The call-now message when symptoms are ticked, before anything else,
    with the emergency number for the patient's country (or a best guess)."""
    submission = _get_submission(token)
    answers = answers_from_stored(submission.answers)
    if request.method == "POST":
        if "urgent-seen" not in submission.completed_steps:
            submission.completed_steps = [*submission.completed_steps, "urgent-seen"]
            submission.save(update_fields=["completed_steps", "updated_at"])
        if "safety" not in submission.completed_steps:
            messages.info(
                request,
                _(
                    "Your symptoms are saved. One question is left on this page: "
                    "have you had a CAR T-cell infusion in the last 8 weeks?"
                ),
            )
        return redirect(
            _step_url(
                submission,
                next_step(answers, submission.completed_steps, get_catalog()).slug,
            )
        )
    form, emergency = emergency_for_request(request, known=answers.country)
    return render(
        request,
        "intake/urgent.html",
        {
            "submission": submission,
            "answers": answers,
            "emergency": emergency,
            "country_form": form,
        },
        status=400 if form.errors else 200,
    )


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
@live_link
def review(request, token):
    submission = _get_submission(token)
    catalog = get_catalog()
    answers = answers_from_stored(submission.answers)
    pending = next_step(answers, submission.completed_steps, catalog)
    if pending.slug != "review":
        messages.info(request, _("A few questions still need an answer."))
        return redirect(_step_url(submission, pending.slug))
    if request.method == "POST":
        services.submission_submit(submission=submission)
        return redirect("intake:results", submission.token)
    step = BY_SLUG["review"]
    number, total = progress(step, answers, catalog)
    return render(
        request,
        "intake/review.html",
        {
            "submission": submission,
            "rows": answer_rows(answers, catalog),
            "step": step,
            "number": number,
            "total": total,
            "percent": 100,
            **_link_context(request, submission),
        },
    )


def _results_context(request, submission):
    # The submission was read with the catalog version (_get_results_submission).
    catalog = get_catalog(version=read_version(submission))
    return {
        **results_context(answers_from_stored(submission.answers), catalog),
        "submission": submission,
        **_link_context(request, submission),
    }


def results_context(answers, catalog) -> dict:
    """What the results page shows for `answers` with `catalog` (also the
    admin's preview of the working copy)."""
    suggestions = suggest(answers, catalog)
    return {
        "answers": answers,
        "suggestions": suggestions,
        "questions": short_questions(suggestions),
        "rows": answer_rows(answers, catalog),
        # From the patient's answer only (the page is kept per answers).
        "emergency": emergency_help(country=answers.country)
        if suggestions.urgent and answers.country
        else None,
        "catalog": catalog,
    }


def _submitted_or_redirect(submission):
    if submission.stage != Submission.Stage.SUBMITTED:
        return redirect("intake:resume", submission.token)
    return None


def results_page_key(
    submission: Submission, catalog_version: tuple, language: str
) -> str:
    """The `pages` cache key of a submission's rendered results page.

    Its primary key and a digest of all the page shows: the answers, whether a
    navigator was asked to call, the catalog version and the language. Never the
    resume token: that is a bearer key to health data. A deleted submission's
    copy can no longer be reached, as its token finds nothing.
    """
    shown = json.dumps(
        [submission.answers, submission.contact_requested, catalog_version, language],
        sort_keys=True,
        default=str,
    )
    digest = hashlib.sha256(shown.encode()).hexdigest()
    return f"results-page:{submission.pk}:{digest}"


@never_cache
@require_safe
@live_link
def results(request, token):
    """The results page, kept for a few minutes in this process's `pages` cache
    (settings.CACHES): patients come back to it, and the engine is the costly
    part. The page has no form, so a kept copy holds no CSRF token."""
    submission = _get_results_submission(token)
    if response := _submitted_or_redirect(submission):
        return response
    if messages.get_messages(request):
        # A one-off notice ("Thank you…") is not part of the page to keep.
        return render(
            request, "intake/results.html", _results_context(request, submission)
        )
    pages = caches["pages"]
    key = results_page_key(submission, read_version(submission), get_language())
    html = pages.get(key)
    if html is None:
        context = _results_context(request, submission)
        html = render_to_string("intake/results.html", context, request)
        pages.set(key, html)
    return HttpResponse(html)


@never_cache
@require_safe
@live_link
def print_view(request, token):
    submission = _get_results_submission(token)
    if response := _submitted_or_redirect(submission):
        return response
    context = _results_context(request, submission)
    if request.GET.get("qr") == "1":
        # Only when asked for: anyone who scans it can see the answers.
        code = segno.make(context["resume_url"], error="m")
        context["qr_code"] = code.svg_data_uri(scale=3, border=2)
    return render(request, "intake/print.html", context)


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("RATE_LIMIT_CONTACTS_PER_HOUR")
@live_link
def contact(request, token):
    submission = _get_submission(token)
    if response := _submitted_or_redirect(submission):
        return response
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.submission_request_contact(
                submission=submission,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                preferred_language=data["preferred_language"],
                preferred_time=data["preferred_time"],
            )
            messages.success(
                request, _("Thank you. A patient navigator will contact you.")
            )
            return redirect("intake:results", submission.token)
        status = 400
    else:
        form = ContactForm(
            initial={
                "name": submission.contact_name,
                "email": submission.contact_email,
                "phone": submission.contact_phone,
                "preferred_language": submission.contact_language or get_language(),
                "preferred_time": submission.contact_time,
            }
        )
        status = 200
    return render(
        request,
        "intake/contact.html",
        {"submission": submission, "form": form, "consent_version": CONSENT_VERSION},
        status=status,
    )


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
@live_link
def delete(request, token):
    submission = _get_submission(token)
    if request.method == "POST":
        services.submission_delete(submission=submission, ip_address=client_ip(request))
        return redirect("intake:deleted")
    return render(request, "intake/delete.html", {"submission": submission})


@require_safe
def deleted(request):
    return render(request, "intake/deleted.html")


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts("RATE_LIMIT_LINK_EMAILS_PER_HOUR")
@live_link
def email_link(request, token):
    """Email the patient their private link once; the address is not kept."""
    submission = _get_submission(token)
    context = {"submission": submission, **_link_context(request, submission)}
    if request.method != "POST":
        context["link_form"] = LinkEmailForm()
        return render(request, "intake/email_link.html", context)
    form = context["link_form"] = LinkEmailForm(request.POST)
    if not form.is_valid():
        return render(request, "intake/email_link.html", context, status=400)
    try:
        services.submission_email_link(
            submission=submission,
            email=form.cleaned_data["email"],
            site=request.build_absolute_uri("/").rstrip("/"),
            language=get_language(),
        )
    except services.LinkEmailsUsedUp:
        context["problem"] = _(
            "This link has already been emailed %(count)d times, so we will not "
            "send it again. Copy the link below instead."
        ) % {"count": services.LINK_EMAILS_PER_SUBMISSION}
        return render(request, "intake/email_link.html", context, status=429)
    messages.success(
        request,
        _(
            "We will send your link shortly. Check your email in a few minutes, "
            "and keep a copy of the link below too."
        ),
    )
    return redirect("intake:resume", submission.token)
