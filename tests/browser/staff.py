"""Staff signing in to the admin in a browser: password, then the second factor."""

from tests.factories import AuthenticatorAppFactory, CatalogEditorFactory, app_code

PASSWORD = "correct horse battery staple"


def sign_in_to_admin(page, site, factory=CatalogEditorFactory, username="editor"):
    """A new staff user made by `factory`, signed in to the admin on `page`."""
    app = AuthenticatorAppFactory(user=factory(username=username, password=PASSWORD))
    page.goto(f"{site}/admin/")
    page.get_by_label("Username:").fill(username)
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Code").fill(app_code(app))
    page.get_by_role("button", name="Continue").click()
