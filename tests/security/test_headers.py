"""Security headers, scored the way Mozilla Observatory scores them."""

import pytest

PRODUCTION = {
    "DEBUG": False,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 63072000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "LANGUAGE_COOKIE_SECURE": True,
}


@pytest.fixture
def production(settings):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    return settings


def parse_csp(header):
    policy = {}
    for part in header.split(";"):
        words = part.strip().split()
        if words:
            policy[words[0]] = words[1:]
    return policy


def observatory_score(response) -> tuple[int, list[str]]:
    """The Observatory's rules that apply to a page (its scoring table, v2)."""
    score, notes = 100, []
    csp = response.get("Content-Security-Policy")
    if not csp:
        score -= 25
        notes.append("no CSP")
    else:
        policy = parse_csp(csp)
        scripts = policy.get("script-src", policy.get("default-src", []))
        if "'unsafe-inline'" in scripts or "'unsafe-eval'" in scripts:
            score -= 10
            notes.append("CSP allows unsafe script")
        elif policy.get("default-src") == ["'none'"]:
            score += 10
            notes.append("CSP default-src 'none' (+10)")
        else:
            score += 5
    hsts = response.get("Strict-Transport-Security", "")
    max_age = int(hsts.split("max-age=")[1].split(";")[0]) if "max-age=" in hsts else 0
    if max_age < 15768000:
        score -= 20
        notes.append("HSTS under six months")
    elif "preload" in hsts:
        score += 5
    if response.get("X-Content-Type-Options") != "nosniff":
        score -= 5
        notes.append("no nosniff")
    csp_frames = "frame-ancestors" in (csp or "")
    if csp_frames:
        score += 5
    elif response.get("X-Frame-Options") not in {"DENY", "SAMEORIGIN"}:
        score -= 20
    if response.get("Referrer-Policy") in {
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }:
        score += 5
    for cookie in response.cookies.values():
        if not cookie["secure"] or (
            cookie.key == "sessionid" and not cookie["httponly"]
        ):
            score -= 40
            notes.append(f"cookie {cookie.key} not secure")
        elif cookie["samesite"]:
            score += 5 if cookie.key == "sessionid" else 0
    return score, notes


def test_every_page_sends_a_strict_content_security_policy(client, catalog):
    for url in [
        "/",
        "/start/",
        "/therapies/",
        "/centres/",
        "/admin/login/",
        "/no-such-page/",
    ]:
        response = client.get(url, follow=False)
        policy = parse_csp(response["Content-Security-Policy"])
        assert policy["object-src"] == ["'none'"], url
        assert policy["base-uri"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        assert "'unsafe-inline'" not in policy["script-src"], url
        assert "'unsafe-inline'" not in policy.get("style-src", []), url


def test_patient_pages_score_at_least_100_on_the_observatory_rules(
    client, catalog, production
):
    response = client.get("/start/", secure=True)
    assert response.status_code == 200
    score, notes = observatory_score(response)
    assert score >= 100, notes
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin"
    assert (
        int(response["Strict-Transport-Security"].split("max-age=")[1].split(";")[0])
        >= 31536000
    )


def test_plain_http_is_redirected_to_https_in_production(client, catalog, production):
    response = client.get("/start/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_cookies_are_secure_httponly_and_samesite_in_production(
    client, catalog, production
):
    response = client.post("/start/", {"recent_infusion": "no"}, secure=True)
    response = client.get(response["Location"], secure=True)
    client.get("/admin/login/", secure=True)
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"


def test_the_page_makes_no_third_party_requests(client, catalog):
    html = client.get("/").content.decode() + client.get("/start/").content.decode()
    for attribute in (
        'src="http',
        "src='http",
        'href="http://',
        'href="https://cdn',
        "//cdn.",
    ):
        assert attribute not in html
