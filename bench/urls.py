"""The project's URLs plus `/__bench__/bare`: the framework's ceiling.

The bare view goes through the whole middleware stack and returns a fixed
string without touching the database, so "pages per second as a share of the
bare view" measures what a page adds on top of Django itself.
"""

from django.http import HttpResponse
from django.urls import path

from navigator.urls import handler500  # noqa: F401  (the 500 page stays the same)
from navigator.urls import urlpatterns as navigator_urlpatterns


def bare(request):
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [path("__bench__/bare", bare), *navigator_urlpatterns]
