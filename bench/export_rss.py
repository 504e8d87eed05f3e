"""The CSV export of every row, in its own process: `python -m bench.export_rss`.

A signed-in coordinator's test Client requests `/review/export.csv?status=all`
and consumes `streaming_content` chunk by chunk, keeping nothing. Printed as
JSON: rows, bytes, seconds, SQL statements, and the process's peak RSS
(`ru_maxrss`) before the export (Django loaded, one small page served) and
after it. The difference is what streaming the rows cost.
"""

from __future__ import annotations

import resource
import time

from bench import _django

PATH = "/review/export.csv?status=all"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _django.coordinator_client()
    client.get("/review/")  # warm: imports, templates, catalog cache
    before = _peak_mb()
    rows = size = 0
    start = time.perf_counter()
    first_byte = None
    with CaptureQueriesContext(connection) as captured:
        response = client.get(PATH)
        for chunk in response.streaming_content:
            if first_byte is None:
                first_byte = time.perf_counter() - start
            size += len(chunk)
            rows += chunk.count(b"\n")
    seconds = time.perf_counter() - start
    return {
        "status": response.status_code,
        "rows": rows - 1,  # the header line
        "bytes": size,
        "seconds": round(seconds, 2),
        "first_byte_s": round(first_byte or 0, 3),
        "rows_per_s": round((rows - 1) / seconds) if seconds else None,
        "queries": len(captured),
        "peak_rss_mb_before": round(before, 1),
        "peak_rss_mb": round(_peak_mb(), 1),
    }


if __name__ == "__main__":
    _django.setup()
    _django.emit(run())
