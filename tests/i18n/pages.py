"""What a reader sees on a page, and the English messages it must not contain."""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
# Attributes people read or hear: screen readers announce these.
SPOKEN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
# Placeholders split a message into the fixed pieces a reader would see.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{[^}]*\}\}|<[^>]+>")
MIN_WORDS = 4


class _VisibleText(HTMLParser):
    """Text and spoken attributes, leaving out what is marked lang="en" on a
    page in another language: catalog text that is shown "English only"."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skip = tag in {"script", "style", "head"} or (
            attrs.get("lang") == "en" and tag != "html"
        )
        if not skip and not self._skipping():
            self.parts += [attrs[a] for a in SPOKEN_ATTRIBUTES if attrs.get(a)]
        if tag not in self.VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self._skipping():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    # Collapse layout whitespace only: a no-break space in "US$500 000" stays.
    return re.sub(r"[ \t\r\n\f\v]+", " ", " ".join(parser.parts)).strip()


def _unquote(quoted: str) -> str:
    # PO strings escape like Python ones: \" \\ \n.
    return ast.literal_eval(quoted)


def english_messages(locale: str = "es") -> list[str]:
    """The msgids (and plural msgids) of the message catalogue."""
    messages, current, field = [], [], None
    text = (LOCALE_DIR / locale / "LC_MESSAGES" / "django.po").read_text("utf-8")
    for line in text.splitlines() + [""]:
        starts = re.match(
            r"^(msgid|msgid_plural|msgstr(\[\d+\])?|msgctxt) (\".*\")$", line
        )
        if starts:
            if field in ("msgid", "msgid_plural"):
                messages.append("".join(current))
            field, current = starts.group(1), [_unquote(starts.group(3))]
        elif line.startswith('"') and field:
            current.append(_unquote(line))
        else:
            if field in ("msgid", "msgid_plural"):
                messages.append("".join(current))
            field, current = None, []
    return [m for m in messages if m]


def english_fragments(locale: str = "es") -> set[str]:
    """Pieces of English messages long enough that finding one is no accident."""
    fragments = set()
    for message in english_messages(locale):
        for piece in PLACEHOLDER.split(message):
            piece = re.sub(r"\s+", " ", piece).strip(" .,:;()“”\"'")
            if len(piece.split()) >= MIN_WORDS:
                fragments.add(piece)
    return fragments


def untranslated(html: str, locale: str = "es") -> list[str]:
    text = visible_text(html)
    return sorted(f for f in english_fragments(locale) if f in text)
