"""What a user may do beyond viewing, for pages to ask before they offer it (and ``ui.data`` to check)."""

from __future__ import annotations

from analytics import access


def can_load_data(principal: access.Principal) -> bool:
    """Only analysts may load data, see the versions and the load log (never in demo mode, sample only)."""
    return principal.role == "analyst" and not principal.demo


def require_loader(principal: access.Principal) -> None:
    """Raise :class:`access.AccessDenied` unless ``principal`` may load data."""
    if not can_load_data(principal):
        raise access.AccessDenied("only analysts may load data or see the load log")
