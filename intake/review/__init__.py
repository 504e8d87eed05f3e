"""The coordinators' workspace at /review/: the queue of patients who asked to
be contacted, one request with its timeline, the CSV export and the metrics.

views (pages and access), forms (filters and actions), queries (the queue's
pages and counts), rows (the queue's table rows), services (the coordinators'
writes), metrics (the dashboard's aggregates), export (the CSV), urls.

Patient code never imports this package: what both sides use is in
intake.audit, intake.alerts and intake.permissions.
"""
