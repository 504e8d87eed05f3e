"""Build static/vendor/bootstrap/bootstrap.site.min.css: `make bootstrap-css`.

Bootstrap's full stylesheet is 232 KB (31 KB gzipped), most of it rules for
components the site never shows. PurgeCSS keeps the rules whose class names
appear in the files that can put a class on a page: our templates, the
crispy-forms Bootstrap 5 templates, Django's form widgets, the Python that writes HTML
(`format_html`) and our JavaScript. Run it again after adding a Bootstrap class
that no template had used before, and commit the result.

Both npm packages are pinned and installed into tools/.npm (git-ignored).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PREFIX = HERE / ".npm"
PACKAGES = ["bootstrap@5.3.8", "purgecss@8.0.0"]
SOURCE = PREFIX / "node_modules" / "bootstrap" / "dist" / "css" / "bootstrap.min.css"
OUTPUT = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap.site.min.css"
# The crispy-forms templates that render a form or a field without a layout
# (`|crispy`, `|as_crispy_field`), the only way the site uses crispy-forms;
# the layout objects' templates (accordion, modal, tabs...) are left out.
CRISPY_TEMPLATES = [
    "bootstrap5/uni_form.html",
    "bootstrap5/display_form.html",
    "bootstrap5/whole_uni_form.html",
    "bootstrap5/inputs.html",
    "bootstrap5/errors.html",
    "bootstrap5/field.html",
    "bootstrap5/layout/attrs.html",
    "bootstrap5/layout/field_errors.html",
    "bootstrap5/layout/field_errors_block.html",
    "bootstrap5/layout/field_file.html",
    "bootstrap5/layout/help_text.html",
    "bootstrap5/layout/help_text_and_errors.html",
    "bootstrap5/layout/radio_checkbox_select.html",
]
# Classes a template builds from a value, so no file spells them out: the
# message levels of django.contrib.messages (base.html's alert-{{ tag }}).
SAFELIST = ["alert-debug", "alert-info", "alert-success", "alert-warning"]


def content_globs() -> list[str]:
    """Every file that can put a class name on a page."""
    import crispy_bootstrap5
    import django.forms

    crispy = Path(crispy_bootstrap5.__file__).parent / "templates"
    widgets = Path(django.forms.__file__).parent / "templates" / "django" / "forms"
    return [
        f"{ROOT}/templates/**/*.html",
        *(str(crispy / name) for name in CRISPY_TEMPLATES),
        # Django's widgets write the <textarea>, <select>... that tag rules match.
        f"{widgets}/widgets/*.html",
        *(f"{ROOT}/{app}/**/*.py" for app in ("navigator", "therapies", "intake")),
        f"{ROOT}/static/js/*.js",
    ]


def ensure_packages() -> None:
    installed = {
        name: PREFIX / "node_modules" / name.split("@")[0] / "package.json"
        for name in PACKAGES
    }
    wanted = all(
        path.exists() and f'"version": "{name.split("@")[1]}"' in path.read_text()
        for name, path in installed.items()
    )
    if not wanted:
        subprocess.run(
            ["npm", "install", "--prefix", str(PREFIX), "--no-audit", "--no-fund"]
            + PACKAGES,
            check=True,
            timeout=600,
        )


def main() -> int:
    ensure_packages()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                str(PREFIX / "node_modules" / ".bin" / "purgecss"),
                "--css",
                str(SOURCE),
                "--content",
                *content_globs(),
                "--keyframes",
                "--font-face",
                "--variables",
                "--safelist",
                *SAFELIST,
                "--output",
                tmp,
            ],
            check=True,
            timeout=300,
        )
        css = (Path(tmp) / SOURCE.name).read_text()
    # The source map is not shipped: ManifestStaticFilesStorage would look for it.
    css = css.replace("/*# sourceMappingURL=bootstrap.min.css.map */", "").rstrip()
    OUTPUT.write_text(css + "\n")
    print(
        f"{OUTPUT.relative_to(ROOT)}: {len(css):,} bytes (from {SOURCE.stat().st_size:,})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
