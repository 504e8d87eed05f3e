"""The wording rules of the Spanish and Chinese catalog texts (issue 14).

Chinese: one word for infusion (回输, never 输注); China's emergency number 120,
never 911; list items joined with 、, never an English comma; generic drug
names in Chinese. Spanish: ICANS as "problemas neurológicos", never "los
nervios"; the nurse navigator as "navegador de pacientes", never a bare
"navegador"; generic drug names in Spanish.

The seed files are read as they are, so a rule broken in a file fails here
before anything is loaded.
"""

import re

import pytest

from therapies.loader import read_catalog

# Generic names the catalog once left in English, with the word to use.
ENGLISH_GENERIC_NAMES = {
    "es": {"lenalidomide": "lenalidomida", "pomalidomide": "pomalidomida"},
    "zh_hans": {
        "lenalidomide": "来那度胺",
        "pomalidomide": "泊马度胺",
        "bortezomib": "硼替佐米",
        "daratumumab": "达雷妥尤单抗",
        "ibrutinib": "伊布替尼",
        "zanubrutinib": "泽布替尼",
        "tocilizumab": "托珠单抗",
        "blinatumomab": "贝林妥欧单抗",
        "mosunetuzumab": "莫妥珠单抗",
        "glofitamab": "格菲妥单抗",
        "epcoritamab": "艾可瑞妥单抗",
        "inotuzumab": "奥加伊妥珠单抗",
    },
}

CJK = r"[\u3400-\u9fff]"
RULES = {
    "zh_hans": {
        "输注 (use 回输)": re.compile("输注"),
        "911 (China's number is 120)": re.compile(r"(?<!\d)911(?!\d)"),
        "an English comma between Chinese items (use 、)": re.compile(
            rf"{CJK}\s*,\s*{CJK}"
        ),
    },
    "es": {
        '"los nervios" (use "problemas neurológicos")': re.compile(
            r"\blos nervios\b", re.IGNORECASE
        ),
        'a bare "navegador" (use "navegador de pacientes")': re.compile(
            r"\bnavegador(es)?\b(?! de pacientes)(?! web)", re.IGNORECASE
        ),
    },
}


def translations(language: str):
    """(where, text) for every seeded text in `language`."""
    suffix = f"_{language}"
    for kind, entries in read_catalog().items():
        for entry in entries:
            label = entry.get("slug") or entry.get("key") or entry.get("code") or ""
            for name, value in entry.items():
                if name.endswith(suffix) and isinstance(value, str):
                    yield f"{kind} {label} {name}", value


def broken(language: str, rules: dict) -> list[str]:
    return [
        f"{where}: {rule}"
        for where, text in translations(language)
        for rule, pattern in rules.items()
        if pattern.search(text)
    ]


@pytest.mark.parametrize("language", RULES)
def test_every_catalog_translation_keeps_the_wording_rules(language):
    assert broken(language, RULES[language]) == []


@pytest.mark.parametrize("language", ENGLISH_GENERIC_NAMES)
def test_generic_drug_names_are_written_in_the_language_of_the_text(language):
    # The English name may follow the local one as a gloss: 托珠单抗（tocilizumab）.
    rules = {
        f"{english} (use {local})": re.compile(
            rf"(?<!{local}（)(?<![a-z]){english}(?![a-z])", re.IGNORECASE
        )
        for english, local in ENGLISH_GENERIC_NAMES[language].items()
    }
    assert broken(language, rules) == []


@pytest.mark.parametrize(
    "language, text",
    [
        ("zh_hans", "细胞回输后如有不适，请立即拨打911。"),
        ("zh_hans", "细胞输注需要30分钟。"),
        ("zh_hans", "例如脑, 肺或乳腺的癌症"),
        ("es", "El ICANS afecta los nervios."),
        ("es", "Un navegador le llamará."),
    ],
)
def test_the_rules_catch_a_text_that_breaks_them(language, text):
    assert any(pattern.search(text) for pattern in RULES[language].values())


@pytest.mark.parametrize(
    "language, text",
    [
        ("zh_hans", "回输后如有不适，请立即拨打120。"),
        ("zh_hans", "例如脑、肺或乳腺的癌症，还有CD19、BCMA"),
        ("es", "problemas neurológicos; un navegador de pacientes; su navegador web"),
    ],
)
def test_the_rules_let_the_right_wording_through(language, text):
    assert not any(pattern.search(text) for pattern in RULES[language].values())
