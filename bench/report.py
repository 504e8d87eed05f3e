"""The benchmark's table and targets, from the figures run_bench.py gathered."""

from __future__ import annotations

from urllib.parse import urlencode

FULL_SIZE = 1_000_000


def _ms(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def targets(result: dict) -> list[dict]:
    http = result["http"]
    n = result["config"]["submissions"]
    out = []

    def by(name, connections):
        return next(
            (r for r in http.get(name, []) if r["connections"] == connections), None
        )

    bare16, results16 = by("bare", 16), by("results", 16)
    if bare16 and results16:
        base = results16.get("bare_adjacent_rps") or bare16["rps"]
        ratio = results16["rps"] / base if base else 0
        out.append(
            {
                "target": "results page rps >= 25% of bare view rps (16 conn.)",
                "measured": f"{100 * ratio:.1f}% ({results16['rps']:.0f} / {base:.0f} rps)",
                "pass": ratio >= 0.25,
            }
        )
    queue = [
        (name, row)
        for name, rows in http.items()
        if name.startswith("queue")
        for row in rows
        if row["connections"] == 16
    ]
    if queue:
        name, worst = max(queue, key=lambda item: item[1]["p95_ms"])
        note = "" if n >= FULL_SIZE else f" [at {n:,} rows; target is at 1,000,000]"
        out.append(
            {
                "target": "coordinator queue p95 < 100 ms at 16 conn., any filter",
                "measured": f"worst p95 {worst['p95_ms']:.1f} ms ({name}, "
                f"{len(queue)} queue pages){note}",
                "pass": worst["p95_ms"] < 100,
            }
        )
    counts = result["queries"]
    differ = [
        f"{name} {counts['small'][name]} vs {counts['big'].get(name)}"
        for name in counts["small"]
        if counts["small"][name] != counts["big"].get(name)
    ]
    out.append(
        {
            "target": f"same SQL query count per page at 10 and {n:,} submissions",
            "measured": "all equal (" + f"{len(counts['small'])} pages)"
            if not differ
            else "differ: " + "; ".join(differ),
            "pass": not differ,
        }
    )
    tenfold = result["engine"]["tenfold"]
    out.append(
        {
            "target": "engine < 2 ms per patient with the 10x catalog",
            "measured": f"{tenfold['ms_per_patient']:.2f} ms/patient "
            f"(today's catalog: {result['engine']['today']['ms_per_patient']:.2f} ms)",
            "pass": tenfold["ms_per_patient"] < 2,
        }
    )
    export = result["export"]
    note = "" if n >= FULL_SIZE else f" [at {export['rows']:,} rows]"
    out.append(
        {
            "target": "export of all rows: peak RSS < 150 MB",
            "measured": f"{export['peak_rss_mb']:.0f} MB peak RSS, "
            f"{export['rows']:,} rows in {export['seconds']:.1f} s{note}",
            "pass": export["peak_rss_mb"] < 150,
        }
    )
    return out


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
    lines.append("")
    lines.append("Targets:")
    for t in result["targets"]:
        lines.append(
            f"  [{'PASS' if t['pass'] else 'MISS'}] {t['target']}: {t['measured']}"
        )
    return "\n".join(lines)
