"""HTTP load against the benchmark's gunicorn: wrk for pages, Python for the export.

Everything here talks to 127.0.0.1 only, and every run is bounded: wrk by its
duration, the export client by its request count and socket timeout.
"""

from __future__ import annotations

import http.client
import json
import shutil
import statistics
import subprocess
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LUA = HERE / "wrk_report.lua"


def ensure_wrk() -> str:
    """Debian's wrk, installed on first use (the machines here run as root)."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: apt-get install -y wrk", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=False)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed; install Debian's wrk package.")
    return found


def _lua_string(value: str) -> str:
    return "[==[" + value + "]==]"


def write_config(path: Path, endpoint: dict, headers: dict) -> None:
    paths = ", ".join(_lua_string(p) for p in endpoint["paths"])
    head = ", ".join(
        f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in headers.items()
    )
    body = _lua_string(endpoint["body"]) if endpoint.get("body") else "nil"
    path.write_text(
        f"return {{method = {_lua_string(endpoint['method'])}, paths = {{{paths}}}, "
        f"headers = {{{head}}}, body = {body}}}\n"
    )


def run_wrk(wrk: str, base_url: str, config: Path, connections: int, seconds: int):
    """One wrk run; the figures printed by wrk_report.lua's done()."""
    command = [
        wrk,
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        base_url,
        "--",
        str(config),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith("BENCHJSON "):
            raw = json.loads(line[len("BENCHJSON ") :])
            break
    else:
        raise RuntimeError(f"wrk printed no figures: {done.stdout} {done.stderr}")
    seconds_run = raw["duration_us"] / 1e6
    lat = raw["latency_us"]
    return {
        "connections": connections,
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds_run, 1) if seconds_run else 0.0,
        "p50_ms": round(lat["p50"] / 1000, 2),
        "p90_ms": round(lat["p90"] / 1000, 2),
        "p95_ms": round(lat["p95"] / 1000, 2),
        "p99_ms": round(lat["p99"] / 1000, 2),
        "max_ms": round(lat["max"] / 1000, 2),
        "mean_ms": round(lat["mean"] / 1000, 2),
        "statuses": raw["statuses"],
        "errors": raw["errors"],
        "bytes_per_request": round(raw["bytes"] / raw["requests"])
        if raw["requests"]
        else 0,
    }


def fetch(
    port: int,
    method: str,
    path: str,
    headers: dict,
    body: str | None = None,
    limit: int | None = None,
):
    """One request, no redirects followed: (status, headers, body bytes).

    With `limit`, only that many bytes of the body are read before the
    connection is closed (a look at the start of a big download).
    """
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read(limit)
    finally:
        conn.close()


def csrf_cookie(port: int, path: str) -> str:
    """The csrftoken a patient's browser gets from a step page."""
    status, headers, _body = fetch(port, "GET", path, {})
    for name, value in headers.items():
        if name.lower() == "set-cookie" and value.startswith("csrftoken="):
            return value.split(";", 1)[0].split("=", 1)[1]
    raise RuntimeError(f"no csrftoken cookie from {path} (status {status})")


def _download(port: int, path: str, headers: dict, out: list) -> None:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        first = None
        size = 0
        while chunk := response.read(65536):
            if first is None:
                first = time.perf_counter() - start
            size += len(chunk)
        out.append(
            {
                "status": response.status,
                "bytes": size,
                "first_byte_s": round(first or 0.0, 3),
                "seconds": round(time.perf_counter() - start, 3),
            }
        )
    finally:
        conn.close()


class RssSampler(threading.Thread):
    """The largest resident set of gunicorn's workers while something runs."""

    def __init__(self, pids: list[int]):
        super().__init__(daemon=True)
        self.pids = pids
        self.peak_kb = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            for pid in self.pids:
                self.peak_kb = max(self.peak_kb, _status_kb(pid, "VmRSS"))
            self._done.wait(0.1)

    def stop(self) -> float:
        self._done.set()
        self.join()
        return round(self.peak_kb / 1024, 1)


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def worker_hwm_mb(pids: list[int]) -> float:
    """The high-water mark of the biggest worker since it started (VmHWM)."""
    return round(max((_status_kb(p, "VmHWM") for p in pids), default=0) / 1024, 1)


def run_downloads(port, path, headers, connections: int, per_connection: int, pids):
    """`connections` clients each downloading `path` `per_connection` times."""
    out: list = []
    sampler = RssSampler(pids)
    sampler.start()
    start = time.perf_counter()

    def client():
        for _ in range(per_connection):
            _download(port, path, headers, out)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    peak = sampler.stop()
    seconds = sorted(r["seconds"] for r in out)
    return {
        "connections": connections,
        "requests": len(out),
        "rps": round(len(out) / wall, 3),
        "p50_ms": round(1000 * statistics.median(seconds), 1),
        "p95_ms": round(1000 * seconds[int(0.95 * (len(seconds) - 1))], 1),
        "p99_ms": round(1000 * seconds[-1], 1),
        "max_ms": round(1000 * seconds[-1], 1),
        "first_byte_ms": round(1000 * min(r["first_byte_s"] for r in out), 1),
        "statuses": {
            str(s): sum(r["status"] == s for r in out)
            for s in {r["status"] for r in out}
        },
        "errors": {},
        "bytes_per_request": round(statistics.mean(r["bytes"] for r in out)),
        "worker_peak_rss_mb": peak,
    }
