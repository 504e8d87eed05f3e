"""Who gets what, for every URL in the project.

The URL list comes from the resolver, so a new URL without a rule here fails
the test until someone decides who may see it. Patients have no accounts:
their resume token is a bearer link, so whoever holds it gets the page (a
coordinator too), and a guessed token is a 404. Coordinator pages send
anonymous visitors to the login page, refuse signed-in users without the
review permission (403), and 404 on an unknown reference or a patient's token.
"""

from django.conf import settings
from django.urls import URLResolver, get_resolver, reverse

from intake import services
from tests.clients import BrowserClient
from tests.factories import (
    CatalogEditorFactory,
    CoordinatorFactory,
    UserFactory,
    sign_in_verified,
)

ROLES = ("anonymous", "patient", "other_patient", "coordinator", "staff", "superuser")
LOGIN = "login"  # 302 to /accounts/login/
ADMIN_LOGIN = "admin login"  # 302 to /admin/login/


def everyone(status):
    return dict.fromkeys(ROLES, status)


def coordinators_only(status):
    return {
        "anonymous": LOGIN,
        "patient": LOGIN,
        "other_patient": LOGIN,
        "coordinator": status,
        "staff": 403,
        "superuser": status,
    }


ADMIN_ONLY = {
    **everyone(ADMIN_LOGIN),
    # CatalogEditorFactory: staff with the catalog's permissions.
    "staff": 200,
    "superuser": 200,
}

SIGNED_IN_GO_ON = {**everyone(LOGIN), **dict.fromkeys(ROLES[3:], 302)}
SIGNED_IN_SEE_IT = {**everyone(LOGIN), **dict.fromkeys(ROLES[3:], 200)}

# name -> (method, expected status per role, expected status per role when a
# URL argument is a stranger's: guessed token, unknown reference or slug).
# POSTs carry no data: the coordinator actions then refuse the empty form and
# redirect back, so the matrix changes nothing.
RULES = {
    "admin:index": ("get", ADMIN_ONLY, None),
    "admin:therapies_discussiontopic_changelist": ("get", ADMIN_ONLY, None),
    "login": ("get", everyone(200), None),
    "logout": ("get", everyone(405), None),  # POST only
    # Signed in with the second factor done (as every role here is): straight on.
    "second_factor:verify": ("get", SIGNED_IN_GO_ON, None),
    "second_factor:enrol": ("get", SIGNED_IN_GO_ON, None),
    "second_factor:recovery_codes": ("get", SIGNED_IN_SEE_IT, None),
    "review:queue": ("get", coordinators_only(200), None),
    "review:export": ("get", coordinators_only(200), None),
    "review:metrics": ("get", coordinators_only(200), None),
    "review:detail": ("get", coordinators_only(200), coordinators_only(404)),
    "review:assign": ("post", coordinators_only(302), coordinators_only(404)),
    "review:status": ("post", coordinators_only(302), coordinators_only(404)),
    "review:note": ("post", coordinators_only(302), coordinators_only(404)),
    "review:spam": ("post", coordinators_only(302), coordinators_only(404)),
    "review:undelivered": ("get", coordinators_only(200), None),
    "review:time_zone": ("get", coordinators_only(200), None),
    "review:summary": ("get", coordinators_only(200), coordinators_only(404)),
    "review:summary_pdf": ("get", coordinators_only(200), coordinators_only(404)),
    # Asked by the idle warning's script: signed out is a 401 it can read.
    "review:stay_signed_in": (
        "post",
        {**coordinators_only(200), **dict.fromkeys(ROLES[:3], 401)},
        None,
    ),
    "therapies_review_due": ("get", ADMIN_ONLY, None),
    # An empty call form is shown again with its errors (what was typed stays).
    "review:call": ("post", coordinators_only(400), coordinators_only(404)),
    "review:step_back": ("post", coordinators_only(302), coordinators_only(404)),
    "review:refer": ("post", coordinators_only(302), coordinators_only(404)),
    "therapies:home": ("get", everyone(200), None),
    "therapies:therapy_list": ("get", everyone(200), None),
    "therapies:therapy_detail": ("get", everyone(200), everyone(404)),
    "therapies:center_list": ("get", everyone(200), None),
    "therapies:unwell": ("get", everyone(200), None),
    "therapies:about": ("get", everyone(200), None),
    "therapies:privacy": ("get", everyone(200), None),
    "therapies:contact": ("get", everyone(200), None),
    "intake:start": ("get", everyone(200), None),
    "intake:deleted": ("get", everyone(200), None),
    # A submitted intake resumes on its results page.
    "intake:resume": ("get", everyone(302), everyone(404)),
    "intake:urgent": ("get", everyone(200), everyone(404)),
    "intake:review": ("get", everyone(200), everyone(404)),
    "intake:results": ("get", everyone(200), everyone(404)),
    "intake:print": ("get", everyone(200), everyone(404)),
    "intake:contact": ("get", everyone(200), everyone(404)),
    "intake:delete": ("get", everyone(200), everyone(404)),
    "intake:email_link": ("get", everyone(200), everyone(404)),
    "intake:step": ("get", everyone(200), everyone(404)),
}
# The admin's own pages are Django's to test; these two stand for them.
ADMIN_KEPT = {"admin:index", "admin:therapies_discussiontopic_changelist"}
NOT_OURS = {"set_language"}


def url_patterns(resolver=None, namespace=""):
    """(name, argument names) of every URL pattern, the i18n ones once, unprefixed."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from url_patterns(entry, inner)
            continue
        name = entry.name and ":".join(p for p in (namespace, entry.name) if p)
        if namespace == "admin" and name not in ADMIN_KEPT:
            continue
        if name in NOT_OURS or str(entry.pattern).startswith(settings.STATIC_URL):
            continue
        yield name, sorted(getattr(entry.pattern, "converters", {}))


def in_the_queue(submission):
    """A submitted intake whose patient then asked to be contacted."""
    return services.submission_request_contact(
        submission=submission,
        name="Access Matrix",
        email="matrix@example.org",
        phone="",
        preferred_language="en",
        preferred_time="",
    )


def signed_in(user):
    client = BrowserClient()
    sign_in_verified(client, user)
    return client


def outcome(response):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("login")):
            return LOGIN
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
    return response.status_code


def test_every_url_gives_each_kind_of_visitor_the_expected_status(make_submission):
    patterns = dict(url_patterns())
    assert None not in patterns, "every URL needs a name"
    assert set(patterns) == set(RULES), (
        f"URLs without a rule: {sorted(set(patterns) - set(RULES))}; "
        f"rules without a URL: {sorted(set(RULES) - set(patterns))}"
    )

    mine = in_the_queue(make_submission(submitted=True))
    theirs = in_the_queue(make_submission(submitted=True))
    patient = BrowserClient()
    clients = {
        "anonymous": BrowserClient(),
        "patient": patient,
        "other_patient": patient,
        "coordinator": signed_in(CoordinatorFactory()),
        "staff": signed_in(CatalogEditorFactory()),
        "superuser": signed_in(UserFactory(is_staff=True, is_superuser=True)),
    }

    def arguments(role):
        # The patient's own link, or (same browser) another patient's link.
        link = theirs if role == "other_patient" else mine
        return {
            "token": link.token,
            "reference": mine.reference,
            "slug": "disease",  # the intake step; the therapy page's is below
        }

    strangers = {
        "token": ["guessed-" + "x" * 35],
        "reference": ["ZZZZZZZZ", mine.token],
        "slug": ["no-such-page"],
    }

    failures = []
    for name, (method, expected, expected_stranger) in RULES.items():
        for role in ROLES:
            kwargs = {k: arguments(role)[k] for k in patterns[name]}
            if name == "therapies:therapy_detail":
                kwargs["slug"] = "breyanzi"
            cases = [(kwargs, expected[role])]
            for key in patterns[name]:
                for value in strangers[key]:
                    cases.append(({**kwargs, key: value}, expected_stranger[role]))
            for case_kwargs, want in cases:
                url = reverse(name, kwargs=case_kwargs)
                got = outcome(getattr(clients[role], method)(url))
                if got != want:
                    failures.append(
                        f"{role:>13} {method.upper()} {url}: {got}, not {want}"
                    )
    assert not failures, "\n".join(failures)
