"""Extract every ``_("...")`` message of the package and the notebooks into the zh and en
catalogs (``ecomanalysis/locale/<lang>/LC_MESSAGES/messages.po``), keeping translations already
there.  Run after adding or changing a message; then translate the new zh entries (a test fails
on any zh message left untranslated).

    .venv/bin/python scripts/update_catalogs.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "ecomanalysis" / "locale"
SOURCES = [*sorted((ROOT / "ecomanalysis").rglob("*.py")), *sorted((ROOT / "notebooks").glob("*.py"))]
KEYWORDS = {"_": None, "N_": None}


def extract() -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = {}
    for path in SOURCES:
        for lineno, message, _comments, _ctx in extract_from_file(
                "python", str(path), keywords=KEYWORDS, comment_tags=()):
            if isinstance(message, str) and message:
                found.setdefault(message, []).append((str(path.relative_to(ROOT)), lineno))
    return found


def update(lang: str, found: dict[str, list[tuple[str, int]]]) -> int:
    path = LOCALE / lang / "LC_MESSAGES" / "messages.po"
    old = {}
    if path.exists():
        with open(path, "rb") as fh:
            old = {m.id: m.string for m in read_po(fh) if m.id}
    cat = Catalog(locale=lang, project="ecomanalysis", fuzzy=False)
    missing = 0
    for msgid in sorted(found):
        string = old.get(msgid, "")
        missing += lang != "en" and not string
        cat.add(msgid, string, locations=found[msgid])
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        write_po(fh, cat, width=100, omit_header=False, sort_output=True)
    return missing


def main() -> int:
    found = extract()
    for lang in ("zh", "en"):
        n = update(lang, found)
        print(f"{lang}: {len(found)} messages, {n} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
