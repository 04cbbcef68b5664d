"""Who may see what: roles from the roles file, and the one door every funnel query goes through.

Roles (``config/roles.toml`` or ``$PARTY_FUNNEL_ROLES``; an e-mail entry wins over group entries,
group entries are tried in file order)::

    [users."can.bo.718@example.vn"]
    role = "district"
    district = "718"          # a former district: its history, and after 2025-07 the units mapped to it

    [users."can.bo.phuong@example.vn"]
    role = "district"
    units = ["BD01", "BD02"]  # or new units directly (wards and communes, from 2025-07)

    [groups."ldld-lanh-dao"]
    role = "leadership"

- ``leadership``: every district; ``analyst``: every district, may load data;
- ``district``: its own area only (a former district, which after a reorganisation covers the units the
  crosswalk maps to it, or a list of units), whatever the URL, session state or widgets ask for;
- ``presenter``: every district, aggregates only (no breakdown by grassroots union), counts 1–4
  suppressed (shown as "<5"; in a breakdown that hides one group only, the next smallest too) and
  the rates derived from them hidden.

:func:`funnel` is the only way pages, downloads, exports and the CLI run a funnel query: it narrows
the filter with :func:`authorize` and suppresses small numbers for presenters. Denied and narrowed
requests are logged with a keyed hash of the user, never an e-mail address or a name.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from analytics import model, queries
from analytics.filters import Filter

log = logging.getLogger("party_funnel.access")

ROLES = ("leadership", "district", "analyst", "presenter")
#: Counts from 1 up to this are suppressed for presenters; 0 is shown (nobody to identify).
SMALL_COUNT = model.SUPPRESSION_THRESHOLD - 1
#: Too fine-grained for a public screen, even with suppression.
PRESENTER_HIDDEN_BREAKDOWNS = ("union",)

LOG_KEY_ENV = "PARTY_FUNNEL_LOG_KEY"
_LOG_KEY = (os.environ.get(LOG_KEY_ENV) or secrets.token_hex(16)).encode()


class AccessDenied(PermissionError):
    """The user may not see any data (signed in, but not in the roles file)."""


class RolesError(ValueError):
    """A roles file that cannot be read; the message names the entry and what to change."""


@dataclass(frozen=True)
class Principal:
    """The user a query runs for. ``user`` is a keyed hash for logs; ``role`` None = not in the roles file."""

    user: str
    role: str | None
    district: str | None = None
    demo: bool = False
    units: tuple[str, ...] = ()

    @property
    def allowed_districts(self) -> tuple[str, ...] | None:
        """The (former) districts this user may see; None means all of them."""
        return (self.district,) if self.role == "district" and self.district else None

    @property
    def allowed_units(self) -> tuple[str, ...] | None:
        """The units this user may see, for a role that names units; None means all of them."""
        return self.units if self.role == "district" and self.units else None

    @property
    def suppressed(self) -> bool:
        return self.role == "presenter"


#: Without sign-in configured, the app shows the shipped sample only, to anyone.
DEMO = Principal(user="demo", role="leadership", demo=True)
#: The command line without ``--as-user`` is an operator tool with full access.
OPERATOR = Principal(user="operator", role="analyst")


def user_key(email: str) -> str:
    """A stable, keyed pseudonym of an e-mail address for the logs (HMAC-SHA256, 12 hex digits)."""
    return hmac.new(_LOG_KEY, email.strip().lower().encode(), hashlib.sha256).hexdigest()[:12]


@dataclass(frozen=True)
class Grant:
    role: str
    district: str | None
    units: tuple[str, ...] = ()


def _units(where: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not (isinstance(value, list) and value and all(isinstance(u, str) and u.strip() for u in value)):
        raise RolesError(f"{where}: units must be a list of unit codes, e.g. units = [\"BD01\", \"BD02\"]")
    return tuple(u.strip() for u in value)


def _grant(kind: str, name: str, entry: object) -> Grant:
    where = f"[{kind}.\"{name}\"]"
    if not isinstance(entry, dict):
        raise RolesError(f"{where} must be a table with role = ... (and district = ... for district users)")
    role = entry.get("role")
    if role not in ROLES:
        raise RolesError(f"{where}: role '{role}' is not one of {', '.join(ROLES)}")
    district, units = entry.get("district"), _units(where, entry.get("units"))
    if district is not None and not (isinstance(district, str) and district.strip()):
        raise RolesError(f"{where}: district must be a code in quotes, e.g. district = \"718\"")
    if role == "district" and (district is None) == (not units):
        raise RolesError(f"{where}: a district user needs district = \"<code>\" (e.g. \"718\") or units = "
                         f"[\"<code>\", ...], not both")
    if role != "district" and (district is not None or units):
        raise RolesError(f"{where}: only role = \"district\" takes a district or units; remove it or change the role")
    return Grant(role, district.strip() if district else None, units)


@dataclass(frozen=True)
class RoleBook:
    users: dict[str, Grant]
    groups: tuple[tuple[str, Grant], ...]

    def grant_for(self, email: str | None, groups: Sequence[str] = ()) -> Grant | None:
        if email and (grant := self.users.get(email.strip().lower())):
            return grant
        wanted = set(groups)
        return next((grant for name, grant in self.groups if name in wanted), None)


@lru_cache(maxsize=8)
def parse_roles(text: str) -> RoleBook:
    """Read roles from TOML text (cached by content, so an edited file is read anew)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RolesError(f"the roles file is not valid TOML: {error}") from None
    unknown = set(data) - {"users", "groups"}
    if unknown:
        raise RolesError(f"unknown section [{sorted(unknown)[0]}]; use [users.\"e-mail\"] or [groups.\"name\"]")
    users = {name.strip().lower(): _grant("users", name, e) for name, e in data.get("users", {}).items()}
    groups = tuple((name, _grant("groups", name, e)) for name, e in data.get("groups", {}).items())
    return RoleBook(users, groups)


def load_roles(path: Path) -> RoleBook:
    """The roles file as it is now: read on every call, so a revoked user loses access at once.

    A missing or broken file grants nothing (and says why in the log).
    """
    try:
        return parse_roles(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        log.error("roles file %s is missing: nobody is granted access", path)
    except RolesError as error:
        log.error("roles file %s: %s: nobody is granted access", path, error)
    return RoleBook({}, ())


def principal_for(book: RoleBook, email: str | None, groups: Iterable[str] = ()) -> Principal:
    """The principal of a signed-in user; role None when the roles file does not name them."""
    grant = book.grant_for(email, tuple(groups))
    user = user_key(email or "")
    return Principal(user, grant.role, grant.district, units=grant.units) if grant else Principal(user, None)


def allowed(principal: Principal, districts: Iterable[str]) -> list[str]:
    """The district codes from ``districts`` that the principal may choose (what the sidebar offers); a
    user whose role names units chooses among those units, not districts."""
    if principal.role is None or principal.allowed_units is not None:
        return []
    limit = principal.allowed_districts
    return [d for d in districts if limit is None or d in limit]


def allowed_units(principal: Principal, units: Iterable[tuple[str, str | None]]) -> list[str]:
    """The unit codes the principal may choose, from ``(unit, its former district)`` pairs: a role's own
    units, or the units that count in its district (so nothing leaks through the crosswalk)."""
    if principal.role is None:
        return []
    districts, own = principal.allowed_districts, principal.allowed_units
    return [unit for unit, district in units
            if (own is None or unit in own) and (districts is None or district in districts)]


def check(principal: Principal) -> None:
    """Raise (and log) :class:`AccessDenied` for a user without a role."""
    if principal.role is None:
        log.warning("access denied: user=%s has no role", principal.user)
        raise AccessDenied("this account has no role in the roles file")


def breakdowns(principal: Principal) -> list[str]:
    """The breakdowns the principal may ask for: presenters get aggregates, not single grassroots unions."""
    hidden = PRESENTER_HIDDEN_BREAKDOWNS if principal.suppressed else ()
    return [key for key in model.DIMENSIONS if key not in hidden]


def authorize(principal: Principal, flt: Filter) -> Filter:
    """The filter intersected with what the principal may see.

    A district user asking for other districts, or for none (the whole province), gets their own; a user
    whose role names units gets those units (and any district asked for as well, which can only narrow).
    Raises :class:`AccessDenied` for a user without a role. Denials and narrowings are logged.
    """
    check(principal)
    for limit, asked, narrow in ((principal.allowed_districts, flt.districts, Filter.with_districts),
                                 (principal.allowed_units, flt.units, Filter.with_units)):
        if limit is None:
            continue
        kept = tuple(code for code in asked if code in limit) or limit
        if kept != asked:
            log.warning("access narrowed: user=%s role=%s requested=%s allowed=%s",
                        principal.user, principal.role, ",".join(asked) or "all", ",".join(kept))
        flt = narrow(flt, kept)
    return flt


def _hidden_cells(counts: pd.Series) -> pd.Series:
    """Counts 1–4, and when a column of groups hides just one, the smallest other one as well.

    The second cell stops anyone recovering the hidden one as the total (shown elsewhere) minus the rest.
    """
    hidden = counts.between(1, SMALL_COUNT)
    if len(counts) > 1 and hidden.sum() == 1:
        hidden[counts[~hidden].idxmin()] = True
    return hidden


def suppress(frame: pd.DataFrame) -> pd.DataFrame:
    """Public-safe numbers, by each measure's declared rule: small counts become missing (shown as "<5"),
    and so does every measure computed from a hidden one."""
    out = frame.copy()
    hidden = {}
    for measure in model.measures().values():
        if measure.suppress == "small_count":
            counts = out[measure.key].astype("float64")
            hidden[measure.key] = _hidden_cells(counts)
            out[measure.key] = counts.mask(hidden[measure.key])
    for measure in model.measures().values():
        if measure.suppress != "with_inputs" or measure.key not in out:
            continue
        mask = np.zeros(len(out), dtype=bool)
        for column in (measure.numerator, measure.denominator):
            if column in hidden:
                mask |= hidden[column].to_numpy()
        out[measure.key] = out[measure.key].astype("float64").mask(mask)
    return out


def funnel(
    con: duckdb.DuckDBPyConnection,
    principal: Principal,
    flt: Filter,
    by: str | None,
    lang: str,
    limit: int | None = None,
) -> pd.DataFrame:
    """THE door to funnel numbers: the labelled funnel of what ``principal`` may see of ``flt``
    (the first ``limit`` groups only, see :func:`analytics.queries.funnel`)."""
    flt = authorize(principal, flt)
    if by is not None and by not in breakdowns(principal):
        log.warning("access denied: user=%s role=%s breakdown=%s", principal.user, principal.role, by)
        raise AccessDenied(f"the {principal.role} role may not break the figures down by {by}")
    frame = queries.labelled_funnel(con, flt, by, lang, limit)
    return suppress(frame) if principal.suppressed else frame


def coverage(con: duckdb.DuckDBPyConnection, principal: Principal, flt: Filter, by: str) -> pd.DataFrame:
    """Which of the areas ``principal`` may see reported in which month of ``flt``: ``reported`` True, False
    (a gap) or None (the area did not exist then), never the counts (so it is safe for every role); ``by`` is
    ``district`` or ``unit``."""
    flt = authorize(principal, flt)
    counted = queries.coverage(con, flt, by).set_index(["key", "month"])["events"]
    areas = queries.areas(con, flt, by)
    grid = pd.MultiIndex.from_product([areas["key"], queries.time_keys("month", flt)], names=["key", "month"])
    frame = (counted.reindex(grid, fill_value=0) > 0).rename("reported").reset_index().astype({"reported": object})
    span = frame.merge(areas, on="key")
    outside = (span["month"] < span["first_month"]) | (span["month"] > span["last_month"])
    frame.loc[outside.to_numpy(), "reported"] = None  # the area did not exist that month
    return frame
