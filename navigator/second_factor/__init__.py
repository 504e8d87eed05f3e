"""The second factor: coordinators and staff confirm a code before their pages.

After the password (the coordinators' /accounts/login/ or the admin's), anyone
who may reach health data or the admin (coordinators, superusers, staff) must
enter a code from an authenticator app (TOTP) or one of their recovery codes
before any coordinator page (/review/) or admin page (/admin/). The rule lives
in one place, middleware.py; the pages that ask for the code, and enrol a
person's first authenticator app, in views.py. django-otp keeps the devices
(`otp_totp` for the app, `otp_static` for the recovery codes) and marks the
session verified.
"""
