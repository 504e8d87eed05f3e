"""The idle warning's "Stay signed in" (templates/review/_idle_warning.html,
static/js/idle-warning.js): a small POST that counts as activity for the
session limits (intake/middleware.py) and says how long the session now has.

Signed out already (the warning came too late, or another tab signed out),
it answers 401 and the page says so; what was typed stays in the browser
(static/js/keep-draft.js).
"""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..middleware import idle_seconds_left, mark_active
from .access import require_coordinator


@never_cache
@require_POST
def stay_signed_in(request):
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    require_coordinator(request)
    mark_active(request)
    return JsonResponse({"signed_in": True, "seconds_left": idle_seconds_left(request)})
