"""Text from data or from an identity provider, shown as text and never as markup."""

from __future__ import annotations

import re

#: Markup characters inside a line (list and heading marks only count at a line's start, where data never is).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#!|<>~$:&])")


def plain(text: str) -> str:
    """``text`` with its Markdown (and LaTeX, emoji-code, HTML) characters escaped, for st.caption/markdown."""
    return _MARKDOWN.sub(r"\\\1", str(text))
