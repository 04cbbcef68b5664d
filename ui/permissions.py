"""What the current user may do beyond viewing, for pages to ask before they offer it."""

from __future__ import annotations

from ui import identity


def can_load_data() -> bool:
    """Only analysts may load data (never in demo mode, which shows the shipped sample only)."""
    principal = identity.current_principal()
    return principal.role == "analyst" and not principal.demo


def current_user() -> str:
    """Who is written to the audit log for actions on the Data page: a keyed hash, never the e-mail."""
    return identity.current_principal().user
