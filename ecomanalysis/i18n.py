"""Message catalogs: every text a reader sees, in zh and en, from gettext ``.po`` files.

The catalogs live in ``ecomanalysis/locale/<lang>/LC_MESSAGES/messages.po`` and are read with
Babel.  Message ids are English; the English catalog may leave a message untranslated (the id
is the text), the Chinese one must translate every id (``tests/test_i18n.py`` checks it).
Placeholders use :meth:`str.format` names::

    from ecomanalysis.i18n import translator
    _ = translator("zh")
    _("Hire {n} now", n=2)          # "现在招聘 2 人"
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from ecomanalysis import config
from ecomanalysis.errors import InputError

LOCALE_DIR = config.PACKAGE_DIR / "locale"
DOMAIN = "messages"


def N_(text: str) -> str:  # noqa: N802 - gettext's marker for text translated later
    """Mark ``text`` for the catalog (``scripts/update_catalogs.py``) without translating it."""
    return text


def catalog_path(lang: str) -> Path:
    """The ``.po`` file of ``lang``."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(config.LANGS))
def messages(lang: str) -> dict[str, str]:
    """``msgid -> msgstr`` of ``lang`` (untranslated entries left out)."""
    if lang not in config.LANGS:
        raise InputError(f"lang {lang!r}: expected one of {', '.join(config.LANGS)}")
    from babel.messages.pofile import read_po

    with open(catalog_path(lang), "rb") as fh:
        cat = read_po(fh, locale=lang if lang != "en" else None)
    return {m.id: m.string for m in cat if m.id and m.string}


def translator(lang: str) -> Callable[..., str]:
    """A ``_(msgid, **fields)`` function for ``lang``: the translation (or the id itself when
    the catalog has none) with ``fields`` formatted in."""
    table = messages(lang)

    def _(msgid: str, **fields) -> str:
        text = table.get(msgid, msgid)
        return text.format(**fields) if fields else text

    return _


def join(items, lang: str) -> str:
    """Items as a list in ``lang`` (Babel's list patterns: ``A、B和C`` in zh, ``A, B, and C`` in
    en)."""
    from babel.lists import format_list

    return format_list([str(i) for i in items], locale="zh" if lang == "zh" else "en")
