"""After the load: compare what clients were told with what the database holds.

Read with plain SQL through psycopg, not through the app's models, so a bug in
the app's reading code cannot hide a bug in its writing code.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from psycopg.rows import dict_row

LIST_ANSWERS = ("prior_therapies", "symptoms")


@dataclass
class Report:
    checks: list[tuple[bool, str, str]] = field(default_factory=list)
    figures: list[tuple[int, str]] = field(default_factory=list)

    def check(self, ok: bool, name: str, detail: str = "") -> bool:
        self.checks.append((bool(ok), name, detail))
        return bool(ok)

    def figure(self, text: str, order: int = 9) -> None:
        """A line of the printout; the headline figures have a low `order`."""
        self.figures.append((order, text))

    def lines(self) -> list[str]:
        return [text for _order, text in sorted(self.figures, key=lambda f: f[0])]

    @property
    def passed(self) -> bool:
        return all(ok for ok, _name, _detail in self.checks)


def _normalised(answers: dict) -> dict:
    """The answers with every key: a key left out is its "not asked" default."""
    from soak_patients import DEFAULT_ANSWERS

    data = {**DEFAULT_ANSWERS, **(answers or {})}
    for key in LIST_ANSWERS:
        if isinstance(data.get(key), list):
            data[key] = sorted(data[key])
    return data


def _differences(stored: dict, expected: dict) -> list[str]:
    """The names of the answers that differ (never their values: health data)."""
    stored, expected = _normalised(stored), _normalised(expected)
    return sorted(
        k for k in set(stored) | set(expected) if stored.get(k) != expected.get(k)
    )


def check_patients(conn, logs, report: Report) -> None:
    rows = (
        conn.cursor(row_factory=dict_row)
        .execute(
            "SELECT id, token, reference, stage, answers, completed_steps, language,"
            " contact_requested, contact_email, contact_phone, contact_language"
            " FROM intake_submission"
        )
        .fetchall()
    )
    by_token: dict[str, list[dict]] = {}
    for row in rows:
        by_token.setdefault(row["token"], []).append(row)

    # Submissions: every patient shown the results page.
    expected = [log for log in logs if log.reached_results]
    found, wrong = 0, []
    for log in expected:
        matches = by_token.get(log.token, [])
        if len(matches) != 1 or matches[0]["stage"] != "submitted":
            wrong.append(f"patient {log.plan.n}: {len(matches)} rows, not submitted")
            continue
        diff = _differences(matches[0]["answers"], log.expected_answers())
        if diff:
            wrong.append(f"patient {log.plan.n}: answers differ in {', '.join(diff)}")
            continue
        found += 1
    submitted_rows = sum(1 for row in rows if row["stage"] == "submitted")
    report.figure(
        f"submissions expected (patients who reached the results page): "
        f"{len(expected)}; found, each exactly once with exactly the answers "
        f"sent: {found}; submitted rows in the database: {submitted_rows}",
        order=2,
    )
    report.check(
        found == len(expected) and not wrong,
        "every patient shown results has exactly one submission with exactly "
        "the answers sent",
        "; ".join(wrong[:10]),
    )
    report.check(
        submitted_rows == len(expected),
        "no submission that no patient made",
        f"{submitted_rows} submitted rows for {len(expected)} patients",
    )

    # Drafts: every acknowledged step of every patient, finished or not.
    drafts, steps, lost = 0, 0, []
    for log in logs:
        if not log.acked:
            continue
        matches = by_token.get(log.token, [])
        if len(matches) != 1:
            lost.append(f"patient {log.plan.n}: {len(matches)} rows")
            continue
        row = matches[0]
        drafts += 1
        steps += len(log.acked)
        missing = set(log.expected_steps()) - set(row["completed_steps"] or [])
        if missing:
            lost.append(f"patient {log.plan.n}: steps {sorted(missing)} lost")
        want = log.expected_answers()
        if log.gave_up:
            # It may have saved more than it heard back about; what it was
            # told is saved must be there.
            acked_keys = {k for slug, v, _ in log.acked for k in _stored_keys(slug, v)}
            diff = [k for k in _differences(row["answers"], want) if k in acked_keys]
        else:
            diff = _differences(row["answers"], want)
        if diff:
            lost.append(f"patient {log.plan.n}: answers differ in {', '.join(diff)}")
        if not log.gave_up and row["language"] != (log.plan.lang or "en"):
            lost.append(f"patient {log.plan.n}: language {row['language']}")
        if log.contact_acked:
            c = log.contact_acked
            if not (
                row["contact_requested"]
                and row["contact_email"] == c["email"]
                and row["contact_phone"] == c["phone"]
                and row["contact_language"] == c["preferred_language"]
            ):
                lost.append(f"patient {log.plan.n}: contact request not as sent")
    report.figure(
        f"drafts checked: {drafts} ({steps} acknowledged steps, "
        f"{sum(1 for log in logs if log.contact_acked)} contact requests), "
        "each compared with what the patient was told is saved",
        order=3,
    )
    report.check(
        not lost,
        "every acknowledged draft step and contact request is still there",
        "; ".join(lost[:10]),
    )

    # Drafts nobody knows: a retried first POST whose first try was saved.
    known = {log.token for log in logs if log.token}
    orphans = [row for row in rows if row["token"] not in known]
    may_have_made = sum(log.start_uncertain for log in logs)
    report.figure(
        f"drafts no client knows: {len(orphans)} (first-step POSTs that were "
        f"cut off or got 503 and were retried: {may_have_made})"
    )
    report.check(
        len(orphans) <= may_have_made
        and all(row["stage"] == "draft" for row in orphans),
        "no unknown rows beyond retried first-step POSTs",
        f"{len(orphans)} unknown rows",
    )


def _stored_keys(slug: str, values: dict) -> set[str]:
    from soak_patients import to_stored

    return set(to_stored(slug, values))


def check_coordinators(conn, clog, usernames, report: Report) -> None:
    cur = conn.cursor(row_factory=dict_row)
    events = cur.execute(
        "SELECT e.id, e.submission_id, s.reference, u.username, e.kind,"
        " e.from_status, e.to_status"
        " FROM intake_reviewevent e"
        " JOIN auth_user u ON u.id = e.author_id"
        " JOIN intake_submission s ON s.id = e.submission_id"
        " ORDER BY e.id"
    ).fetchall()
    subs = {
        row["id"]: row
        for row in cur.execute(
            "SELECT id, reference, review_status, revision FROM intake_submission"
        ).fetchall()
    }
    audits = cur.execute(
        "SELECT a.action, a.detail, a.submission_id, u.username"
        " FROM intake_auditevent a LEFT JOIN auth_user u ON u.id = a.user_id"
    ).fetchall()

    # The timeline of every request is one unbroken chain: no change was
    # applied on top of a state its author did not see.
    broken = []
    per_sub: dict[int, list[dict]] = {}
    for e in events:
        per_sub.setdefault(e["submission_id"], []).append(e)
    for sub_id, sub in subs.items():
        timeline = per_sub.get(sub_id, [])
        status = "new"
        for e in timeline:
            if e["kind"] != "status":
                continue
            if e["from_status"] != status:
                broken.append(f"{sub['reference']}: {e['from_status']} after {status}")
            status = e["to_status"]
        if status != sub["review_status"]:
            broken.append(
                f"{sub['reference']}: ends {status}, row says {sub['review_status']}"
            )
        if sub["revision"] != 1 + len(timeline):
            broken.append(
                f"{sub['reference']}: revision {sub['revision']} after "
                f"{len(timeline)} changes"
            )
    report.check(
        not broken,
        "each request's status timeline is one unbroken chain (nothing overwritten)",
        "; ".join(broken[:10]),
    )

    db_changes = Counter(
        (e["username"], e["reference"], e["from_status"], e["to_status"])
        for e in events
        if e["kind"] == "status"
    )
    acked = Counter(clog.changes_acked)
    uncertain = Counter(clog.changes_uncertain)
    lost = acked - db_changes
    unexplained = (db_changes - acked) - uncertain
    report.check(
        not lost,
        "every status change a coordinator was told was saved is in the timeline",
        f"{sum(lost.values())} missing",
    )
    report.check(
        not unexplained,
        "no status change in the timeline that no coordinator was told about "
        "(beyond cut-off requests)",
        f"{sum(unexplained.values())} unexplained",
    )

    # Audit: one change record per timeline entry, one view record per look.
    audit_changes = Counter(
        (a["username"], a["submission_id"], a["detail"])
        for a in audits
        if a["action"] == "change"
    )
    timeline_changes = Counter(
        (
            e["username"],
            e["submission_id"],
            f"review_status {e['from_status']}->{e['to_status']}",
        )
        for e in events
        if e["kind"] == "status"
    )
    report.check(
        audit_changes == timeline_changes,
        "audit change records match the status changes, one each",
        f"audit {sum(audit_changes.values())}, timeline "
        f"{sum(timeline_changes.values())}",
    )
    view_lines = []
    views_ok = True
    for user in usernames:
        views = sum(
            1 for a in audits if a["action"] == "view" and a["username"] == user
        )
        conflict_views = sum(
            1
            for a in audits
            if a["action"] == "view"
            and a["username"] == user
            and a["detail"] == "conflict"
        )
        low = clog.views_acked[user] + clog.conflicts[user]
        could = clog.views_uncertain[user] + sum(
            n for entry, n in uncertain.items() if entry[0] == user
        )
        views_ok &= low <= views <= low + could
        views_ok &= clog.conflicts[user] <= conflict_views
        view_lines.append(
            f"{user}: {views} view records (pages shown {clog.views_acked[user]} + "
            f"409s {clog.conflicts[user]}, up to {could} more from cut-off requests)"
        )
    report.figure("audit: " + "; ".join(view_lines))
    report.check(views_ok, "audit view records match the pages coordinators were shown")
    others = [a for a in audits if a["username"] not in usernames]
    report.check(
        not others,
        "no audit record by anyone but the two coordinators",
        f"{len(others)} others",
    )
    report.figure(
        f"coordinators: {clog.queue_reads} queue reads, "
        f"{sum(clog.views_acked.values())} requests opened, "
        f"{len(clog.changes_acked)} status changes saved, "
        f"{sum(clog.conflicts.values())} refused with 409; audit records: "
        f"{sum(1 for a in audits if a['action'] == 'view')} views, "
        f"{sum(audit_changes.values())} changes; timeline status entries: "
        f"{sum(timeline_changes.values())}"
    )


def table_counts(conn, tables) -> dict[str, int]:
    return {
        table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in tables
    }


def answers_digest(conn) -> str:
    return conn.execute(
        "SELECT md5(coalesce(string_agg(token || answers::text || stage ||"
        " review_status || revision::text, '|' ORDER BY id), ''))"
        " FROM intake_submission"
    ).fetchone()[0]
