"""The coordinators' workspace at /review/: the queue of patients who asked to
be contacted, one request with its timeline, its one-page referral summary,
the CSV export and the metrics.

access (who may look, and at which requests), views (pages), facts (what a
request's pages show of it), summary (the referral summary, page and PDF),
forms (filters and actions), queries (the queue's pages and counts), rows
(the queue's table rows), services (the coordinators' writes), metrics (the
dashboard's aggregates), export (the CSV), urls.

Patient code never imports this package: what both sides use is in
intake.audit, intake.alerts and intake.permissions.
"""
