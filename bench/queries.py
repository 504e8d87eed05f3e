"""SQL queries per request, in process: `python -m bench.queries FIXTURES.json [--skip-big]`.

Each endpoint from fixtures.py is requested through Django's test Client: once
to warm up (the catalog cache is built per process), then twice under
`CaptureQueriesContext`, each time with the next path of its rotation. Streamed
responses are consumed inside the context, so the export's queries count.
Printed as JSON: per endpoint, the counts seen and the statements (shortened).
"""

from __future__ import annotations

import json
import sys

from bench import _django

MEASURED = 2


def request(client, endpoint: dict, path: str):
    if endpoint["method"] == "POST":
        response = client.post(
            path,
            data=endpoint.get("body", ""),
            content_type="application/x-www-form-urlencoded",
        )
    else:
        response = client.get(path)
    size = 0
    if response.streaming:
        for chunk in response.streaming_content:
            size += len(chunk)
    else:
        size = len(response.content)
    return response.status_code, size


def measure(fixtures: dict, skip_big: bool) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    anonymous = Client()
    coordinator = _django.coordinator_client()
    out = {}
    for endpoint in fixtures["endpoints"]:
        if skip_big and endpoint.get("big"):
            continue
        client = coordinator if endpoint["auth"] else anonymous
        paths = endpoint["paths"]
        status, _size = request(client, endpoint, paths[0])
        counts, statements, statuses = [], [], [status]
        for i in range(1, MEASURED + 1):
            with CaptureQueriesContext(connection) as captured:
                status, _size = request(client, endpoint, paths[i % len(paths)])
            statuses.append(status)
            counts.append(len(captured))
            statements = [q["sql"][:160] for q in captured.captured_queries]
        out[endpoint["name"]] = {
            "queries": counts,
            "statuses": statuses,
            "statements": statements,
        }
    return out


if __name__ == "__main__":
    _django.setup()
    with open(sys.argv[1]) as f:
        fixtures = json.load(f)
    _django.emit(measure(fixtures, skip_big="--skip-big" in sys.argv))
