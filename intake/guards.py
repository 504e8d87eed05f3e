"""Two rules for every request: patient pages are not indexed, and no file
uploads outside the admin.

Under /i/ (any language prefix) each page is a patient's own: search engines
are told not to index or follow it, whatever the status. No patient or
coordinator view takes files, so a multipart body is refused with 415 before
anything parses it (the CSRF check would otherwise read it); the admin keeps
its forms as Django builds them.
"""

import re

from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

PATIENT_PAGE = re.compile(r"^/(?:[\w-]+/)?i/")


class NoRobotsOnPatientPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if PATIENT_PAGE.match(request.path_info):
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


def _is_admin(path: str) -> bool:
    try:
        return resolve(path).app_name == "admin"
    except Resolver404:
        return False


class NoUploadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.content_type == "multipart/form-data" and not _is_admin(
            request.path_info
        ):
            return HttpResponse(
                _(
                    "This site does not take file uploads. Please go back and try again."
                ),
                status=415,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
