"""Text from data or from an identity provider, shown as text and never as markup."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def plain(text: str) -> str:
    """``text`` with every Markdown (and LaTeX, emoji-code, HTML) character escaped, for st.caption/markdown."""
    return _MARKDOWN.sub(r"\\\1", str(text))
