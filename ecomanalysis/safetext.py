"""User text is text: shop names and every string a user typed, made safe to display.

- :func:`plain` removes control characters (NUL, escape sequences, bidi overrides, zero-width
  characters) so a name prints as itself on a terminal, in a ``<title>`` or a CSV;
- :func:`md` additionally escapes it for Markdown *and* HTML, for ``IPython.display.Markdown``
  and any Markdown cell: no live links (``[x](javascript:..)``), no remote images
  (``![x](http://..)``), no emphasis (``__x__``), no HTML tags, no autolinked URLs.

Markdown renderers (mistune in nbconvert, marked in JupyterLab) honour a backslash before any
ASCII punctuation (CommonMark), so ``md`` backslash-escapes every one of them except the three
that HTML needs as entities (``& < >``).  The result renders as exactly the characters typed.
"""

from __future__ import annotations

import re
import unicodedata

#: C0 and C1 controls (tab and newline handled apart), DEL, zero-width and bidi controls.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_SPACE = re.compile(r"[\t\r\n]+")
#: ASCII punctuation a Markdown renderer may act on, each escaped by a backslash.
_MD_PUNCT = re.compile(r"""([\\`*_{}\[\]()#+\-.!|~:/'"=$^@;,%?])""")


def plain(text: object, *, newlines: bool = False) -> str:
    """``text`` as a string without control characters.

    Tabs and line breaks become a single space unless ``newlines`` is true (then ``\\n`` is
    kept).  Unicode is normalised to NFC; letters of every script are kept as they are.
    """
    s = unicodedata.normalize("NFC", str(text))
    if newlines:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
        lines = [_CONTROL.sub("", _SPACE.sub(" ", line)) for line in s.split("\n")]
        return "\n".join(lines)
    return _CONTROL.sub("", _SPACE.sub(" ", s)).strip()


def md(text: object) -> str:
    """``text`` for Markdown shown as HTML: plain, punctuation escaped, ``& < >`` as entities."""
    s = _MD_PUNCT.sub(r"\\\1", plain(text))
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html(text: object) -> str:
    """``text`` for an HTML text node or attribute value (plain, then HTML-escaped)."""
    from html import escape

    return escape(plain(text), quote=True)
