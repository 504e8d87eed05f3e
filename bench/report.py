"""The benchmark's table and targets, from the figures run_bench.py gathered."""

from __future__ import annotations

from urllib.parse import urlencode

FULL_SIZE = 1_000_000


def _ms(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def _by(result: dict, name: str, connections: int):
    rows = result["http"].get(name, [])
    return next((r for r in rows if r["connections"] == connections), None)


def _share_of_bare(result: dict, name: str, share: float) -> dict | None:
    """A page's req/s at 16 connections against the bare view's next to it."""
    bare, page = _by(result, "bare", 16), _by(result, name, 16)
    if not (bare and page):
        return None
    base = page.get("bare_adjacent_rps") or bare["rps"]
    ratio = page["rps"] / base if base else 0
    return {
        "target": f"{name} rps >= {share:.0%} of bare view rps (16 conn.)",
        "measured": f"{100 * ratio:.1f}% ({page['rps']:.0f} / {base:.0f} rps)",
        "pass": ratio >= share,
    }


def _p95_under(result: dict, prefix: str, connections: int, limit_ms: float):
    rows = [
        (name, row)
        for name, rows in result["http"].items()
        if name.startswith(prefix)
        for row in rows
        if row["connections"] == connections
    ]
    if not rows:
        return None
    name, worst = max(rows, key=lambda item: item[1]["p95_ms"])
    n = result["config"]["submissions"]
    note = "" if n >= FULL_SIZE else f" [at {n:,} rows; target is at 1,000,000]"
    return {
        "target": f"{prefix} p95 < {limit_ms:.0f} ms at {connections} conn.",
        "measured": f"worst p95 {worst['p95_ms']:.1f} ms ({name}, "
        f"{len(rows)} pages){note}",
        "pass": worst["p95_ms"] < limit_ms,
    }


def _same_query_counts(result: dict) -> dict:
    counts, n = result["queries"], result["config"]["submissions"]
    differ = [
        f"{name} {counts['small'][name]} vs {counts['big'].get(name)}"
        for name in counts["small"]
        if counts["small"][name] != counts["big"].get(name)
    ]
    return {
        "target": f"same SQL query count per page at 10 and {n:,} submissions",
        "measured": "all equal (" + f"{len(counts['small'])} pages)"
        if not differ
        else "differ: " + "; ".join(differ),
        "pass": not differ,
    }


def _engine(result: dict) -> dict:
    tenfold = result["engine"]["tenfold"]
    return {
        "target": "engine < 1 ms per patient with the 10x catalog",
        "measured": f"{tenfold['ms_per_patient']:.2f} ms/patient "
        f"(today's catalog: {result['engine']['today']['ms_per_patient']:.2f} ms)",
        "pass": tenfold["ms_per_patient"] < 1,
    }


def _export(result: dict) -> dict:
    export, n = result["export"], result["config"]["submissions"]
    note = "" if n >= FULL_SIZE else f" [at {export['rows']:,} rows]"
    return {
        "target": "export of all rows: peak RSS < 150 MB",
        "measured": f"{export['peak_rss_mb']:.0f} MB peak RSS, "
        f"{export['rows']:,} rows in {export['seconds']:.1f} s{note}",
        "pass": export["peak_rss_mb"] < 150,
    }


def targets(result: dict) -> list[dict]:
    """Issue 13's targets, as restated there (documented Django APIs only)."""
    found = [
        _share_of_bare(result, "results", 0.25),
        _share_of_bare(result, "step_get", 0.12),
        _share_of_bare(result, "step_post", 0.12),
        _p95_under(result, "queue", 1, 50),
        _p95_under(result, "queue", 16, 150),
        _p95_under(result, "detail", 1, 100),
        _same_query_counts(result),
        _engine(result),
        _export(result),
    ]
    return [t for t in found if t is not None]


def _worklists(result: dict) -> list[str]:
    """The worklist views' p95, one line each (issue 18)."""
    views = {
        name: rows
        for name, rows in result["http"].items()
        if name.startswith("queue_worklist_")
    }
    if not views:
        return []
    n = result["config"]["submissions"]
    lines = [f"Worklist views, p95 per view at {n:,} submissions:"]
    for name, rows in views.items():
        cells = ", ".join(
            f"{row['connections']} conn. {_ms(row['p95_ms'])} ms" for row in rows
        )
        lines.append(f"  {name.removeprefix('queue_worklist_'):<20} {cells}")
    return lines


def table(result: dict) -> str:
    lines = []
    cfg = result["config"]
    lines.append(
        f"CAR T navigator benchmark — {cfg['submissions']:,} submissions, "
        f"gunicorn {cfg['server']}, wrk {cfg['duration_s']} s per run, "
        f"{result['machine']['cores']} cores, git {result['git']['head'][:10]}"
        + (" (uncommitted changes)" if result["git"]["dirty"] else "")
    )
    setup = result["setup"]
    if setup.get("reused"):
        lines.append("Database reused (BENCH_REUSE_DB=1): seeding not timed")
    else:
        lines.append(
            f"Seeding {cfg['submissions']:,} submissions: {setup['seed_s']:.1f} s "
            f"({cfg['submissions'] / max(setup['seed_s'], 0.001):,.0f} rows/s); "
            f"VACUUM ANALYZE {setup['vacuum_s']:.1f} s; migrate {setup['migrate_s']:.1f} s"
        )
    lines.append(
        f"Rows: {result['rows']['submissions']:,} submissions, "
        f"{result['rows']['in_queue']:,} in the coordinators' queue"
    )
    machine = result["machine"]
    busy = max(machine["loadavg_start"], machine["loadavg_end"])
    if busy > 1.5:
        lines.append(
            f"WARNING: the machine was busy (load average {machine['loadavg_start']} "
            f"at the start, {machine['loadavg_end']} at the end): other work "
            "shared the 2 cores, so absolute figures are low; ratios hold better."
        )
    lines.append("")
    header = (
        f"{'endpoint':<24}{'conn':>5}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'x bare':>8}{'SQL@N':>7}{'SQL@10':>7}  notes"
    )
    lines.append(header)
    lines.append("-" * len(header))
    bare = {r["connections"]: r["rps"] for r in result["http"].get("bare", [])}
    lines.append(
        "x bare: the page's req/s over the bare view's, measured just before it "
        "at the same connection count"
    )
    big, small = result["queries"]["big"], result["queries"]["small"]
    for name, rows in result["http"].items():
        for row in rows:
            base = row.get("bare_adjacent_rps") or bare.get(row["connections"])
            ratio = f"{row['rps'] / base:.2f}" if base else "—"
            unexpected = {
                k: v for k, v in row["statuses"].items() if k != str(row["expect"])
            }
            notes = []
            if unexpected:
                notes.append(f"unexpected statuses {unexpected}")
            errors = {k: v for k, v in row.get("errors", {}).items() if v}
            if errors:
                notes.append(f"errors {errors}")
            if "worker_peak_rss_mb" in row:
                notes.append(f"worker RSS {row['worker_peak_rss_mb']:.0f} MB")
            if row["requests"] < 30:
                notes.append(f"{row['requests']} requests")
            lines.append(
                f"{name:<24}{row['connections']:>5}{row['rps']:>9.1f}"
                f"{_ms(row['p50_ms']):>9}{_ms(row['p95_ms']):>9}{_ms(row['p99_ms']):>9}"
                f"{ratio:>8}{str(big.get(name, '—')):>7}{str(small.get(name, '—')):>7}"
                f"  {'; '.join(notes)}"
            )
    lines.append("")
    engine = result["engine"]
    lines.append("Engine alone (suggest(), random valid patients):")
    for label in ("today", "tenfold"):
        e = engine[label]
        lines.append(
            f"  {label:<8} {e['indications']:>4} indications {e['topics']:>4} topics "
            f"{e['questions']:>3} questions {e['centers']:>3} centres: "
            f"{e['patients_per_s']:>8.1f} patients/s, {e['ms_per_patient']:.3f} ms/patient "
            f"(p50 {e['p50_ms']:.3f}, p99 {e['p99_ms']:.3f})"
        )
    ex = result["export"]
    lines.append(
        f"Export of all rows (own process, test Client): {ex['rows']:,} rows, "
        f"{ex['bytes'] / 1e6:.1f} MB in {ex['seconds']:.1f} s ({ex['rows_per_s']:,} rows/s), "
        f"peak RSS {ex['peak_rss_mb']:.0f} MB (before: {ex['peak_rss_mb_before']:.0f} MB), "
        f"{ex['queries']} queries"
    )
    sweep = result.get("queue_sweep")
    every = (sweep or {}).get("every_combination")
    if every:
        lines.append(
            f"Queue rows query, first page of every filter combination "
            f"({every['combinations']:,}, in process): median {every['median_ms']:.1f} ms, "
            f"p99 {every['p99_ms']:.1f} ms, slowest {every['max_ms']:.1f} ms "
            f"({urlencode(every['slowest'][0]['filters'])})"
        )
    if sweep:
        lines.append(
            f"Queue filter sweep (in process, 1 client): {sweep['pages']} pages, "
            f"median {sweep['median_ms']:.1f} ms, slowest {sweep['max_ms']:.1f} ms, "
            f"query counts {sweep['query_counts']}"
        )
        for page in sweep["slowest"][:3]:
            lines.append(
                f"  {page['ms']:>7.1f} ms  slowest SQL {page['slowest_sql_ms']:.1f} ms  "
                f"{page['path'][:90]}"
            )
    if result.get("servers"):
        lines.append("Worker models (16 connections, same run):")
        for server in result["servers"]:
            if "error" in server:
                lines.append(f"  {server['server']:<28} failed: {server['error']}")
                continue
            cells = ", ".join(
                f"{name} {row['rps']:.0f} rps p95 {row['p95_ms']:.0f} ms"
                for name, row in server["endpoints"].items()
            )
            lines.append(f"  {server['server']:<28} {cells}")
    lines.extend(_worklists(result))
    lines.append("")
    lines.append("Targets:")
    for t in result["targets"]:
        lines.append(
            f"  [{'PASS' if t['pass'] else 'MISS'}] {t['target']}: {t['measured']}"
        )
    return "\n".join(lines)
