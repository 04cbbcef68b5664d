"""Who may change the curated data. One place for access control to plug into later."""

from __future__ import annotations


def can_load_data() -> bool:
    """Whether the current user may upload reports and roll back snapshots (everyone, until access
    control exists)."""
    return True


def current_user() -> str:
    """The name written to the audit log for actions on the Data page."""
    return "data-page"
