"""HTTP for the soak: a browser-like client, the request log, form parsing.

Production cookies are Secure, and cookie jars do not send Secure cookies over
plain http, so the client keeps its cookies by hand. Like a patient pressing
reload, it retries a request that got a 503 or a connection error after a
short back-off, and every attempt is recorded, not only the last one.
"""

from __future__ import annotations

import http.client
import re
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

CONN_ERROR = "conn_error"
# What a stack trace or a debug page would show; never on a page patients see.
TRACE_MARKERS = (
    "Traceback (most recent call last)",
    "Exception Value",
    'File "/',
    "django.db.utils",
    "psycopg",
    "OperationalError",
)
# The 503 page's <title> is not translated, so it identifies the page in any
# language.
FRIENDLY_503_MARK = "Service unavailable"
BACKOFF = (0.2, 0.4, 0.8, 1.0)

_ROUTES = (
    (re.compile(r"/i/[A-Za-z0-9_-]{20,}/"), "/i/<token>/"),
    (re.compile(r"/review/CT-[A-Z0-9]+/"), "/review/<ref>/"),
    (re.compile(r"\?.*$"), ""),
)


def route_of(path: str) -> str:
    for pattern, replacement in _ROUTES:
        path = pattern.sub(replacement, path)
    return path


@dataclass
class Response:
    status: int | None  # None: the connection failed or was cut
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    location: str | None = None
    attempts: list = field(default_factory=list)  # every attempt's status
    error: str = ""

    @property
    def uncertain_attempts(self) -> int:
        """Attempts whose outcome the client cannot know (503 or cut off)."""
        return sum(1 for status in self.attempts if status in (None, 503))


@dataclass
class Event:
    at: float
    who: str
    method: str
    route: str
    status: int | None


class Recorder:
    """Every request attempt, and what was wrong with any response."""

    def __init__(self, t0: float):
        self.t0 = t0
        self.lock = threading.Lock()
        self.events: list[Event] = []
        self.problems: list[str] = []  # in responses: 500s, traces, bad 503s
        self.flow_problems: list[str] = []  # in what clients were shown

    def now(self) -> float:
        return time.monotonic() - self.t0

    def record(self, who, method, path, status, body, headers) -> None:
        route = route_of(path)
        problems = []
        if status is not None:
            if status >= 500 and status != 503:
                problems.append(f"{status} on {method} {route}")
            if any(marker in body for marker in TRACE_MARKERS):
                problems.append(f"stack trace in the body of {method} {route}")
            if status == 503:
                if FRIENDLY_503_MARK not in body:
                    problems.append(f"503 without the friendly page on {route}")
                if "retry-after" not in headers:
                    problems.append(f"503 without Retry-After on {route}")
        with self.lock:
            self.events.append(Event(self.now(), who, method, route, status))
            self.problems.extend(problems)

    def problem(self, text: str) -> None:
        """Something a client was shown that is wrong, though answered fine."""
        with self.lock:
            self.flow_problems.append(text)

    def by_status(self, who: str | None = None) -> Counter:
        with self.lock:
            return Counter(
                CONN_ERROR if e.status is None else e.status
                for e in self.events
                if who is None or e.who == who
            )


class Client:
    """One browser: its own cookies, no automatic redirects.

    `address`: the client's own address, as the trusted proxy on 127.0.0.1
    would pass it in X-Forwarded-For (the soak's TRUSTED_PROXIES), so each
    simulated patient has its own rate limits; none: the client is 127.0.0.1.
    """

    def __init__(
        self, host: str, port: int, recorder: Recorder, who: str, address: str = ""
    ):
        self.host = host
        self.port = port
        self.recorder = recorder
        self.who = who
        self.address = address
        self.cookies: dict[str, str] = {}
        self.lock = threading.Lock()

    def clone(self) -> Client:
        """A second tab of the same browser (same cookies at this moment)."""
        other = Client(self.host, self.port, self.recorder, self.who, self.address)
        with self.lock:
            other.cookies = dict(self.cookies)
        return other

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> Response:
        return self.request("POST", path, data=data, **kwargs)

    def request(self, method, path, data=None, *, retry=True, deadline=60.0):
        started = time.monotonic()
        attempts: list = []
        delay_index = 0
        while True:
            response = self._once(method, path, data)
            attempts.append(response.status)
            response.attempts = attempts
            if response.status not in (None, 503) or not retry:
                return response
            if time.monotonic() - started > deadline:
                return response
            time.sleep(BACKOFF[min(delay_index, len(BACKOFF) - 1)])
            delay_index += 1

    def _once(self, method: str, path: str, data: dict | None) -> Response:
        headers = {"Host": f"{self.host}:{self.port}", "Connection": "close"}
        if self.address:
            headers["X-Forwarded-For"] = self.address
        with self.lock:
            if self.cookies:
                headers["Cookie"] = "; ".join(
                    f"{k}={v}" for k, v in self.cookies.items()
                )
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", "replace")
            set_cookies = raw.msg.get_all("Set-Cookie") or []
            response = Response(
                status=raw.status,
                body=text,
                headers={k.lower(): v for k, v in raw.getheaders()},
                location=raw.getheader("Location"),
            )
        except (OSError, http.client.HTTPException) as error:
            self.recorder.record(self.who, method, path, None, "", {})
            return Response(status=None, error=type(error).__name__)
        finally:
            connection.close()
        self._keep_cookies(set_cookies)
        self.recorder.record(
            self.who, method, path, response.status, response.body, response.headers
        )
        return response

    def _keep_cookies(self, set_cookies: list[str]) -> None:
        with self.lock:
            for line in set_cookies:
                parts = [p.strip() for p in line.split(";")]
                name, _, value = parts[0].partition("=")
                attributes = {p.split("=", 1)[0].lower(): p for p in parts[1:]}
                expired = attributes.get("max-age", "").lower() == "max-age=0" or (
                    "1970" in attributes.get("expires", "")
                )
                if expired or value in ("", '""'):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value


# Forms ------------------------------------------------------------------------


@dataclass
class Form:
    action: str | None
    method: str
    inputs: list[dict] = field(default_factory=list)
    selects: dict[str, list[str]] = field(default_factory=dict)
    textareas: list[str] = field(default_factory=list)
    selected: dict[str, list[str]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # textarea contents
    multiple: set[str] = field(default_factory=set)  # <select multiple> names

    def submission(self) -> list[tuple[str, str]]:
        """What a browser sends for the form as shown (no submit button)."""
        data = []
        for i in self.inputs:
            name, kind = i.get("name"), i.get("type", "text").lower()
            if not name or kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind in ("checkbox", "radio"):
                if "checked" in i:
                    data.append((name, i.get("value", "on")))
                continue
            data.append((name, i.get("value", "")))
        for name, options in self.selects.items():
            chosen = self.selected.get(name, [])
            if name not in self.multiple:
                chosen = chosen[-1:] or options[:1]
            data += [(name, value) for value in chosen]
        data += [(name, self.texts.get(name, "")) for name in self.textareas]
        return data

    def hidden(self) -> dict[str, str]:
        return {
            i["name"]: i.get("value", "")
            for i in self.inputs
            if i.get("type") == "hidden" and i.get("name")
        }

    def groups(self, kind: str) -> dict[str, list[str]]:
        """Radio or checkbox groups: name -> the values offered, in page order."""
        found: dict[str, list[str]] = {}
        for i in self.inputs:
            if i.get("type") == kind and i.get("name"):
                found.setdefault(i["name"], []).append(i.get("value", "on"))
        return found

    def names(self) -> set[str]:
        return (
            {i["name"] for i in self.inputs if i.get("name")}
            | set(self.selects)
            | set(self.textareas)
        )


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action"), a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            a.setdefault("type", "text")
            self._form.inputs.append(a)
        elif tag == "select":
            self._select = a.get("name")
            if self._select:
                self._form.selects[self._select] = []
                if "multiple" in a:
                    self._form.multiple.add(self._select)
        elif tag == "option" and self._select:
            self._form.selects[self._select].append(a.get("value", ""))
            if "selected" in a:
                self._form.selected.setdefault(self._select, []).append(
                    a.get("value", "")
                )
        elif tag == "textarea" and a.get("name"):
            self._form.textareas.append(a["name"])
            self._textarea = a["name"]
            self._form.texts[a["name"]] = ""

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.texts[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea and self._form:
            # Browsers drop the newline that follows <textarea>.
            text = self._form.texts[self._textarea]
            self._form.texts[self._textarea] = text.removeprefix("\n")
            self._textarea = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def page_form(html: str) -> Form | None:
    """The page's own POST form (the one posting to the page itself)."""
    for form in forms_of(html):
        if form.method == "post" and not form.action:
            return form
    return None
