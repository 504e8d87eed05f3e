"""The one rule: no coordinator or admin page before the second factor.

It runs after django-otp's OTPMiddleware (which gives `user.is_verified()`)
and looks at the URL namespace the request resolved to, so every page under
/review/ and /admin/, present and future, is covered without each view having
to remember. The admin's own sign-in and sign-out pages stay open: the first is
how a password is entered, the second lets a person leave.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from intake.permissions import can_review

PROTECTED_NAMESPACES = {"review", "admin"}
OPEN_ADMIN_PAGES = {"login", "logout"}


def needs_second_factor(user) -> bool:
    """Signed-in accounts that reach health data or the admin: staff and coordinators.

    `can_review` covers superusers and the review permission; staff are the
    catalog editors. Both must also have been verified in this session.
    """
    if not user.is_authenticated or user.is_verified():
        return False
    return user.is_staff or can_review(user)


def is_protected(match) -> bool:
    namespaces = set(match.namespaces)
    if not namespaces & PROTECTED_NAMESPACES:
        return False
    return not ("admin" in namespaces and match.url_name in OPEN_ADMIN_PAGES)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not is_protected(match):
            return None
        if not needs_second_factor(request.user):
            return None
        url = reverse("second_factor:verify")
        # After the code, a page that was asked for comes back; a form sent
        # unverified is not sent again (its address answers POST only).
        if request.method in ("GET", "HEAD"):
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
