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

    [providers."microsoft"]     # a provider of st.login ("default" for a single [auth] section)
    assume_email_verified = true  # it never sends email_verified, and its e-mails are verified (Entra ID)

A signed-in user gets no role at all, not even through a group, when their provider says the e-mail is not
verified, or does not say it is and is not trusted so in ``[providers]``.

- ``leadership``: every district; ``analyst``: every district, may load data;
- ``district``: its own area only (a former district, which after a reorganisation covers the units the
  crosswalk maps to it, or a list of units), whatever the URL, session state or widgets ask for;
- ``presenter``: every district, for an audience outside those cleared for every number (by default the
  first of the model's audiences, "Party committee"; ``audience = "public"`` in the entry for a stricter
  one): period counts only, by the fixed breakdowns, as :mod:`analytics.disclosure` releases them (counts
  from 1 to the audience's threshold - 1 hidden, and whatever would let one be worked out).

Anyone may choose a stricter audience for a screen or a file (:meth:`Principal.for_audience`), never a
laxer one. :func:`funnel` is the only way pages, downloads, exports and the CLI run a funnel query: it
narrows the filter with :func:`authorize` and releases only public-safe numbers to an audience. Denied and narrowed
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
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from analytics import disclosure, intervals, model, queries, sessions
from analytics.filters import Filter

log = logging.getLogger("party_funnel.access")


class _OneLine(logging.Filter):
    """Writes the control characters of a message as escapes (``\\n``), so a value from a link (a district
    code with a newline) cannot forge a line of the access log."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in message)
        record.args = ()
        return True


log.addFilter(_OneLine())

ROLES = ("leadership", "district", "analyst", "presenter")
#: The audience a presenter's numbers are for unless the roles file names a stricter one.
PRESENTER_AUDIENCE = next(iter(model.AUDIENCES))

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
    audience: str | None = None

    @property
    def allowed_districts(self) -> tuple[str, ...] | None:
        """The (former) districts this user may see; None means all of them."""
        return (self.district,) if self.role == "district" and self.district else None

    @property
    def allowed_units(self) -> tuple[str, ...] | None:
        """The units this user may see, for a role that names units; None means all of them."""
        return self.units if self.role == "district" and self.units else None

    def __post_init__(self) -> None:
        if self.role == "presenter" and self.audience is None:  # a presenter's numbers are never unrestricted
            object.__setattr__(self, "audience", PRESENTER_AUDIENCE)

    @property
    def threshold(self) -> int:
        """The smallest count this user's audience may see (0: every number)."""
        return model.AUDIENCES[self.audience].threshold if self.audience else 0

    @property
    def suppressed(self) -> bool:
        return self.audience is not None

    def for_audience(self, audience: str | None) -> Principal:
        """The same user showing numbers to ``audience`` (a key of the model's audiences), if it is stricter
        than their own; a laxer one is ignored."""
        if audience is None or model.AUDIENCES[audience].threshold <= self.threshold:
            return self
        return replace(self, audience=audience)


#: Without sign-in configured, the app shows the shipped sample only, to anyone.
DEMO = Principal(user="demo", role="leadership", demo=True)
#: The command line without ``--as-user`` is an operator tool with full access.
OPERATOR = Principal(user="operator", role="analyst")


def user_key(email: str) -> str:
    """A stable, keyed pseudonym of an e-mail address for the logs (HMAC-SHA256, 12 hex digits)."""
    email = email.strip()
    email = email.lower() if email.isascii() else email  # "Kiem.tra" with the Kelvin sign is not kiem.tra
    return hmac.new(_LOG_KEY, email.encode(), hashlib.sha256).hexdigest()[:12]


@dataclass(frozen=True)
class Grant:
    role: str
    district: str | None
    units: tuple[str, ...] = ()
    audience: str | None = None


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
    unknown = sorted(set(entry) - {"role", "district", "units", "audience"})
    if unknown:
        raise RolesError(f"{where}: unknown key '{unknown[0]}'; an entry takes role, district, units and audience")
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
    audience = entry.get("audience", PRESENTER_AUDIENCE if role == "presenter" else None)
    if audience is not None and audience not in model.AUDIENCES:
        raise RolesError(f"{where}: audience '{audience}' is not one of {', '.join(model.AUDIENCES)}")
    return Grant(role, district.strip() if district else None, units, audience)


@dataclass(frozen=True)
class RoleBook:
    users: dict[str, Grant]
    groups: tuple[tuple[str, Grant], ...]
    #: Providers whose e-mails count as verified when the token does not say (``assume_email_verified``).
    assume_verified: frozenset[str] = frozenset()

    def grant_for(self, email: str | None, groups: Sequence[str] = ()) -> Grant | None:
        """The e-mail's grant, else the first group's; an e-mail with any non-ASCII character matches no entry
        (``"Kiem.tra"`` written with the Kelvin sign would lower-case to ``kiem.tra``)."""
        if email and email.isascii() and (grant := self.users.get(email.strip().lower())):
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
    unknown = set(data) - {"users", "groups", "providers"}
    if unknown:
        raise RolesError(f"unknown section [{sorted(unknown)[0]}]; use [users.\"e-mail\"], [groups.\"name\"] or "
                         f"[providers.\"name\"]")
    sections = {name: data.get(name, {}) for name in ("users", "groups", "providers")}
    wrong = next((name for name, section in sections.items() if not isinstance(section, dict)), None)
    if wrong is not None:
        raise RolesError(f"{wrong} must be a section of entries, e.g. [{wrong}.\"name\"], not a single value")
    strange = next((name for name in sections["users"] if not name.isascii()), None)
    if strange is not None:
        raise RolesError(f"[users.\"{strange}\"]: an e-mail address must be plain ASCII; retype it")
    users: dict[str, Grant] = {}
    for name, entry in sections["users"].items():
        email = name.strip().lower()
        if email in users:  # the later entry would silently win
            raise RolesError(f"[users.\"{name}\"]: {email} has two entries (e-mails are compared without case and "
                             f"spaces); keep one")
        users[email] = _grant("users", name, entry)
    groups = tuple((name, _grant("groups", name, e)) for name, e in sections["groups"].items())
    return RoleBook(users, groups, _trusted_providers(sections["providers"]))


def _trusted_providers(section: dict) -> frozenset[str]:
    for name, entry in section.items():
        if not (isinstance(entry, dict) and set(entry) <= {"assume_email_verified"}
                and isinstance(entry.get("assume_email_verified", False), bool)):
            raise RolesError(f"[providers.\"{name}\"] takes only assume_email_verified = true or false")
    return frozenset(name for name, entry in section.items() if entry.get("assume_email_verified"))


def load_roles(path: Path) -> RoleBook:
    """The roles file as it is now: read on every call, so a revoked user loses access at once.

    A missing or broken file grants nothing (and says why in the log).
    """
    try:
        return parse_roles(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        log.error("roles file %s is missing: nobody is granted access", path)
    except (RolesError, OSError, UnicodeDecodeError) as error:
        log.error("roles file %s: %s: nobody is granted access", path, error)
    return RoleBook({}, ())


def principal_for(book: RoleBook, email: str | None, groups: Iterable[str] = ()) -> Principal:
    """The principal of a signed-in user; role None when the roles file does not name them."""
    grant = book.grant_for(email, tuple(groups))
    user = user_key(email or "")
    if grant is None:
        return Principal(user, None)
    return Principal(user, grant.role, grant.district, units=grant.units, audience=grant.audience)


def principal_of(book: RoleBook, identity: sessions.Identity) -> Principal:
    """The principal of a signed-in identity: no role (not even through a group) for an e-mail its provider
    says is not verified, or does not say is verified unless the roles file trusts that provider."""
    verified = identity.email_verified
    if verified is None:
        verified = identity.provider in book.assume_verified
    if not verified:
        log.warning("access denied: user=%s e-mail not verified by provider %s", user_key(identity.email or ""),
                    identity.provider)
        return Principal(user_key(identity.email or ""), None)
    return principal_for(book, identity.email, identity.groups)


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


def data_end(con: duckdb.DuckDBPyConnection, principal: Principal) -> date:
    """How far the data the principal may see goes ("data up to"): the latest event in their own districts or
    units, the whole data's for a user who sees every district (so no one learns another area's latest date)."""
    check(principal)
    return queries.as_of(con, principal.allowed_districts or (), principal.allowed_units or ())


def breakdowns(principal: Principal) -> list[str]:
    """The breakdowns the principal may ask for: an audience gets those the release is audited for."""
    return [key for key in model.DIMENSIONS if not principal.suppressed or key in disclosure.BREAKDOWNS_SHOWN]


def authorize(principal: Principal, flt: Filter) -> Filter:
    """The filter intersected with what the principal may see.

    A district user asking for other districts, or for none (the whole province), gets their own; a user
    whose role names units gets those units (and any district asked for as well, which can only narrow).
    An audience counts by period only (the release is of periods). Raises :class:`AccessDenied` for a user
    without a role. Denials and narrowings are logged.
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
    if principal.suppressed and flt.mode != "period":
        log.warning("access narrowed: user=%s audience=%s mode=%s allowed=period", principal.user,
                    principal.audience, flt.mode)
        flt = replace(flt, mode="period", window_days=None)
    return flt


def scope(principal: Principal, flt: Filter, by: str | None) -> Filter:
    """The filter :func:`authorize` leaves ``principal``, once the breakdown ``by`` is one they may ask for
    (:class:`AccessDenied` otherwise, logged)."""
    flt = authorize(principal, flt)
    if by is not None and by not in breakdowns(principal):
        log.warning("access denied: user=%s role=%s breakdown=%s", principal.user, principal.role, by)
        raise AccessDenied(f"the {principal.audience or principal.role} audience may not break the figures down "
                           f"by {by}; use one of {', '.join(breakdowns(principal))}")
    return flt


def funnel(
    con: duckdb.DuckDBPyConnection,
    principal: Principal,
    flt: Filter,
    by: str | None,
    lang: str,
    limit: int | None = None,
    denominators: bool = True,
) -> pd.DataFrame:
    """THE door to funnel numbers: the labelled funnel of what ``principal`` may see of ``flt``
    (the first ``limit`` groups only, see :func:`analytics.queries.funnel`), each rate with its 95 % interval;
    without ``denominators``, counts to compare (a baseline): no union members, targets or intervals."""
    flt = scope(principal, flt, by)
    if not principal.suppressed:
        frame = queries.labelled_funnel(con, flt, by, lang, limit, denominators)
    else:  # ranked and cut on the shown counts, or a row's place would tell how large its hidden count is
        frame = queries.labelled_funnel(con, flt, by, lang, None, denominators)
        frame = _ranked_as_shown(disclosure.public_safe(con, frame, flt, by, principal.threshold), by, limit)
    # After hiding: no interval from a hidden count.
    return intervals.with_intervals(frame, flt.mode) if denominators else frame


def _ranked_as_shown(frame: pd.DataFrame, by: str | None, limit: int | None) -> pd.DataFrame:
    """An audience's rows: a breakdown ranked by size goes largest shown referrals first, then the rows whose
    referrals are hidden, by key; the first ``limit`` rows (``groups`` says how many there are)."""
    if by is not None and model.DIMENSIONS[by].order == "referrals":
        first = model.stage_keys()[0]
        frame = frame.sort_values("key", kind="stable").sort_values(
            first, ascending=False, na_position="last", kind="stable").reset_index(drop=True)
    return frame if limit is None else frame.head(limit).assign(groups=len(frame))


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
