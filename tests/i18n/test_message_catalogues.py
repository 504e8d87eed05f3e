"""The message catalogues: complete, current, and compiled.

`makemessages` needs GNU gettext (Debian's `gettext` package). Without it the
check is skipped with the reason, unless NAVIGATOR_REQUIRE_GETTEXT=1 (set by
.ci/run), which makes a missing gettext a failure.
"""

import ast
import gettext
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from .pages import LOCALE_DIR

LOCALES = ["es", "zh_Hans"]
# The same arguments as `make messages`.
IGNORE = [".venv", "staticfiles", "tests", "bench"]


def require_gettext():
    missing = [
        tool for tool in ("xgettext", "msgmerge", "msguniq") if not shutil.which(tool)
    ]
    if missing:
        message = (
            f"GNU gettext is not installed ({', '.join(missing)} missing): "
            "apt-get install gettext"
        )
        if os.environ.get("NAVIGATOR_REQUIRE_GETTEXT") == "1":
            pytest.fail(message)
        pytest.skip(message)


def entries(po: Path) -> list[dict]:
    """Every message of a .po file: context, msgid, plural, msgstr forms, flags."""
    found = []
    for block in po.read_text("utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        strings: dict[str, str] = {}
        key = None
        for line in lines:
            start = re.match(
                r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line
            )
            if start:
                key = start.group(1)
                strings[key] = ast.literal_eval(start.group(2))
            elif line.startswith('"') and key:
                strings[key] += ast.literal_eval(line)
        if strings.get("msgid"):
            found.append(
                {
                    "context": strings.get("msgctxt"),
                    "msgid": strings["msgid"],
                    "plural": strings.get("msgid_plural"),
                    "forms": [
                        v for k, v in sorted(strings.items()) if k.startswith("msgstr")
                    ],
                    "flags": " ".join(line for line in lines if line.startswith("#,")),
                }
            )
    return found


def po_file(folder: Path, locale: str) -> Path:
    return folder / locale / "LC_MESSAGES" / "django.po"


def test_makemessages_finds_no_string_without_a_translation(tmp_path, monkeypatch):
    require_gettext()
    # makemessages writes next to the sources it scans, so it runs on a copy.
    project = tmp_path / "project"
    shutil.copytree(
        settings.BASE_DIR,
        project,
        ignore=shutil.ignore_patterns(
            *IGNORE, ".git", "__pycache__", "*.sqlite3*", "*.mo", "screenshots"
        ),
    )
    copy = project / "locale"
    monkeypatch.chdir(project)
    monkeypatch.setattr(settings, "LOCALE_PATHS", [copy])
    call_command(
        "makemessages",
        locale=LOCALES,
        ignore_patterns=IGNORE,
        no_obsolete=True,
        verbosity=0,
    )
    problems = []
    for locale in LOCALES:
        for entry in entries(po_file(copy, locale)):
            if "fuzzy" in entry["flags"]:
                problems.append(f"{locale}: fuzzy: {entry['msgid']}")
            elif not entry["forms"] or not all(entry["forms"]):
                problems.append(f"{locale}: no translation: {entry['msgid']}")
    assert not problems, (
        "Run `make messages`, translate these in locale/*/LC_MESSAGES/django.po, "
        "then `make messages` again:\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_the_committed_mo_file_matches_its_po_file(locale):
    """The .mo files are committed, so the site runs without gettext installed:
    each must hold exactly the translations of its .po file."""
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog
    stale = []
    for entry in entries(po_file(LOCALE_DIR, locale)):
        msgid = entry["msgid"]
        if entry["context"]:
            msgid = f"{entry['context']}\x04{msgid}"
        if entry["plural"]:
            keys = [(msgid, n) for n in range(len(entry["forms"]))]
        else:
            keys = [msgid]
        if [compiled.get(key) for key in keys] != entry["forms"]:
            stale.append(entry["msgid"])
    assert not stale, (
        f"run `make messages` to compile {locale}'s django.mo: {stale[:5]}"
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_every_placeholder(locale):
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in entries(po_file(LOCALE_DIR, locale)):
        singular = set(placeholder.findall(entry["msgid"]))
        if not entry["plural"]:
            assert set(placeholder.findall(entry["forms"][0])) == singular, entry
            continue
        plural = set(placeholder.findall(entry["plural"]))
        for form in entry["forms"]:
            # A singular form may leave out the count, as the English one does.
            assert singular <= set(placeholder.findall(form)) <= singular | plural, (
                entry
            )
