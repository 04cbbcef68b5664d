"""The address bar as the view's memory: one browser-history entry per change, and back/forward followed.

Streamlit's frontend pushes a history entry for each query-string message a run sends (``st.query_params``
sends one per key set or deleted), so a run writes the whole query string at once, and only when it means
something else than what the address already says. Back and forward make the frontend rerun the script with
the earlier address: a run whose address is not the one the session last wrote (:func:`moved`) reads its
view from the address, instead of from the widgets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import streamlit as st

_WRITTEN = "address_written"
_MOVED = "address_moved"


def start_run() -> None:
    """Note, once at the top of each run, whether the address changed under the app since its last write."""
    written = st.session_state.get(_WRITTEN)
    st.session_state[_MOVED] = written is not None and written != st.query_params.to_dict()


def moved() -> bool:
    """True when this run's address is not the one the session last wrote: the user went back or forward."""
    return st.session_state.get(_MOVED, False)


def write(wanted: Mapping[str, str], owned: Iterable[str], defaults: Mapping[str, str] | None = None) -> None:
    """Put ``wanted`` in the address and drop the other ``owned`` keys, leaving the rest, in one message; nothing
    is sent when the address already means the same (a key missing from it meaning its ``defaults`` value)."""
    owned, defaults = set(owned), dict(defaults or {})
    current = st.query_params.to_dict()
    kept = {key: value for key, value in current.items() if key not in owned}
    said = {**defaults, **{key: value for key, value in current.items() if key in owned}}
    if said != {**defaults, **wanted}:  # the keys in their order in the address, new ones after them
        st.query_params.from_dict({key: wanted.get(key, value) for key, value in current.items()
                                   if key in kept or key in wanted} | wanted)
    st.session_state[_WRITTEN] = st.query_params.to_dict()
