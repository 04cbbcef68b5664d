"""Text that a spreadsheet shows and never runs: the OWASP defence against formula ("CSV") injection.

A union's name, an uploaded cell or a file name reaches our CSV, XLSX, Word tables and the deck's chart
data. Excel, LibreOffice and Google Sheets run a cell starting with ``=``, ``+``, ``-`` or ``@`` (tab and
carriage return too, and the full-width forms some of them read the same way) as a formula, e.g.
``=HYPERLINK("http://x","y")``. Such text gets a leading single quote, which every spreadsheet shows as text.
Numbers are never touched (a real -5 stays a number); "-5" as text is text and is quoted.
"""

from __future__ import annotations

import pandas as pd

#: The first characters that make a spreadsheet read a cell as a formula.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def inert(value: object) -> object:
    """``value`` with a leading ``'`` if it is text a spreadsheet would run; anything else as it is."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell :func:`inert` (number and flag columns as they are)."""
    text = [c for c in frame.columns if not (pd.api.types.is_numeric_dtype(frame[c])
                                              or pd.api.types.is_bool_dtype(frame[c]))]
    out = frame.copy()
    for column in text:
        out[column] = frame[column].map(inert)
    return out
