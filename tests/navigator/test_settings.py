"""Settings read from the environment: DEBUG is off unless set, and the shared
cache is Redis when REDIS_URL says so."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "navigator.example.org",
    "DATABASE_URL": "sqlite:////tmp/settings-test.sqlite3",
}
READ_VARIABLES = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "TRUSTED_PROXIES",
)


def read_settings(code: str, **env: str) -> subprocess.CompletedProcess:
    """The settings as a server with only `env` would read them: the local
    `.env` that `make` writes is left out unless NAVIGATOR_ENV_FILE names one."""
    clean = {k: v for k, v in os.environ.items() if k not in READ_VARIABLES}
    return subprocess.run(
        [sys.executable, "-c", f"from navigator import settings as s; {code}"],
        cwd=ROOT,
        env={**clean, "NAVIGATOR_ENV_FILE": "", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_is_off_unless_set_so_a_forgetful_deployment_must_configure_itself():
    result = read_settings("print(s.DEBUG)")
    assert result.returncode != 0
    assert "DEBUG is off" in result.stderr
    assert "set DEBUG=True" in result.stderr
    assert read_settings("print(s.DEBUG)", **DEPLOY).stdout.strip() == "False"
    assert read_settings("print(s.DEBUG)", DEBUG="True").stdout.strip() == "True"


def test_the_default_cache_is_redis_when_redis_url_is_set_and_pages_stay_local():
    code = "print(s.CACHES['default']['BACKEND'], s.CACHES['pages']['BACKEND'])"
    shared = read_settings(code, DEBUG="True", REDIS_URL="redis://127.0.0.1:6379/0")
    assert shared.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "django.core.cache.backends.locmem.LocMemCache",
    ]
    local = read_settings(code, DEBUG="True")
    assert local.stdout.split()[0] == "django.core.cache.backends.locmem.LocMemCache"


def test_trusted_proxies_come_from_the_environment():
    code = "print(s.TRUSTED_PROXIES)"
    assert read_settings(code, DEBUG="True").stdout.strip() == "[]"
    trusted = read_settings(code, DEBUG="True", TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8")
    assert trusted.stdout.strip() == "['127.0.0.1', '10.0.0.0/8']"


def test_a_local_env_file_fills_in_what_the_environment_leaves_unset(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=True\nREDIS_URL=\n")
    given = {"NAVIGATOR_ENV_FILE": str(env_file)}
    assert read_settings("print(s.DEBUG)", **given).stdout.strip() == "True"
    # The environment wins: a server's DEBUG=False is never turned on by a file.
    off = read_settings("print(s.DEBUG)", **given, DEBUG="False", **DEPLOY)
    assert off.stdout.strip() == "False"


def test_make_writes_a_local_env_file_that_turns_debug_on(tmp_path):
    made = subprocess.run(
        ["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), ".env"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    env_file = tmp_path / ".env"
    result = read_settings("print(s.DEBUG)", NAVIGATOR_ENV_FILE=str(env_file))
    assert result.stdout.strip() == "True", result.stderr
