"""The second factor's pages: enter a code, or set up a first authenticator app.

A signed-in person who must give a second factor (middleware.py) is sent to
`verify`; one with no device yet is sent on to `enrol`, which shows the QR code
and the secret, takes a first code and then shows the recovery codes, once.
A wrong code is counted by django-axes like a wrong password: once axes blocks
the account, no code is checked and the person is signed out (signing in again
is refused until the block ends). Each device also slows down repeated tries
on its own (django-otp's throttling), which a new sign-in does not reset.
"""

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_static.models import StaticDevice

from intake.permissions import can_review

from .devices import (
    app_device_confirm,
    app_device_to_enrol,
    qr_data_uri,
    recovery_codes_left,
    recovery_codes_replace,
    secret_text,
)
from .forms import CodeForm, EnrolForm


def _next_url(request) -> str:
    """Where to go once verified: the page asked for, if it is on this site."""
    candidate = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        candidate,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return candidate
    return reverse("review:queue" if can_review(request.user) else "admin:index")


def _go_to(name: str, request):
    """One of this package's pages, carrying where to go afterwards."""
    query = urlencode({"next": _next_url(request)})
    return redirect(f"{reverse(name)}?{query}")


def _credentials(request) -> dict:
    return {"username": request.user.get_username()}


def _count_failure(request) -> None:
    """django-axes counts a wrong code as a failed sign-in for this account."""
    user_login_failed.send(
        sender=__name__, credentials=_credentials(request), request=request
    )


def _locked_out(request):
    """While django-axes blocks the account: signed out, with axes' own page."""
    credentials = _credentials(request)
    if not AxesProxyHandler.is_locked(request, credentials):
        return None
    logout(request)
    return get_lockout_response(request, credentials=credentials)


def _mark_verified(request, device) -> None:
    # A new session key for the stronger sign-in, as Django does at login.
    request.session.cycle_key()
    django_otp.login(request, device)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def verify(request):
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not django_otp.user_has_device(user):
        return _go_to("second_factor:enrol", request)
    form = CodeForm(user)
    if request.method == "POST":
        if blocked := _locked_out(request):
            return blocked
        form = CodeForm(user, request.POST)
        if form.is_valid():
            _mark_verified(request, form.device)
            if isinstance(form.device, StaticDevice):
                # A recovery code was used: say how many are left, offer new ones.
                return _go_to("second_factor:recovery_codes", request)
            return redirect(_next_url(request))
        _count_failure(request)
        if blocked := _locked_out(request):
            return blocked
    return render(
        request,
        "registration/second_factor.html",
        {"form": form, "next": _next_url(request)},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def enrol(request):
    user = request.user
    if django_otp.user_has_device(user):
        # Adding an app needs the one already set up: no second enrolment here.
        return _go_to("second_factor:verify", request)
    device = app_device_to_enrol(user)
    form = EnrolForm(device)
    if request.method == "POST":
        if blocked := _locked_out(request):
            return blocked
        form = EnrolForm(device, request.POST)
        if form.is_valid():
            codes = app_device_confirm(device=device)
            _mark_verified(request, device)
            return render(
                request,
                "registration/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        _count_failure(request)
        if blocked := _locked_out(request):
            return blocked
    return render(
        request,
        "registration/second_factor_enrol.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_code": qr_data_uri(device),
            "secret": secret_text(device),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def recovery_codes(request):
    """How many recovery codes are left; new ones (the old ones stop working)."""
    if not request.user.is_verified():
        return _go_to("second_factor:verify", request)
    if request.method == "POST":
        return render(
            request,
            "registration/recovery_codes.html",
            {
                "codes": recovery_codes_replace(user=request.user),
                "next": _next_url(request),
                "replaced": True,
            },
        )
    return render(
        request,
        "registration/recovery_codes_left.html",
        {"left": recovery_codes_left(request.user), "next": _next_url(request)},
    )
