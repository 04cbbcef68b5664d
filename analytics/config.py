"""Where things live. The one place that knows paths and settings.

Every location can be overridden from the environment, so the curated data can move (another
folder, object storage) without a code change.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = REPO_ROOT / "data" / "reference"
DATA_DIR = REPO_ROOT / "data"
DEFAULT_CURATED_DIR = DATA_DIR / "curated"
SAMPLE_SNAPSHOT_DIR = DATA_DIR / "snapshots" / "sample"
TEMPLATES_DIR = DATA_DIR / "templates"

CURATED_ENV = "PARTY_FUNNEL_DATA"
STORE_ENV = "PARTY_FUNNEL_STORE"


def curated_location() -> str:
    """The curated Parquet folder (a local path or an ``s3://`` URL), from ``PARTY_FUNNEL_DATA``, else the
    ``curated`` link of the store (``PARTY_FUNNEL_STORE``, default ``data/``)."""
    return os.environ.get(CURATED_ENV) or str(store_root() / "curated")


def store_root() -> Path:
    """The folder holding ``snapshots/``, the ``curated`` link to the current one and the audit log,
    from ``PARTY_FUNNEL_STORE`` (default ``data/``)."""
    return Path(os.environ.get(STORE_ENV) or DATA_DIR)
KEEP_ENV = "PARTY_FUNNEL_KEEP_SNAPSHOTS"
DEFAULT_KEEP_SNAPSHOTS = 10


def keep_snapshots() -> int:
    """How many of the latest snapshots ``prune`` keeps (besides the current one, rollback targets and the
    sample), from ``PARTY_FUNNEL_KEEP_SNAPSHOTS``."""
    text = os.environ.get(KEEP_ENV) or str(DEFAULT_KEEP_SNAPSHOTS)
    if not text.strip().isdecimal():
        raise ValueError(f"{KEEP_ENV}={text!r}: give a whole number of snapshots to keep, e.g. 10")
    return int(text)


ROLES_ENV = "PARTY_FUNNEL_ROLES"
DEFAULT_ROLES_FILE = REPO_ROOT / "config" / "roles.toml"


def roles_location() -> Path:
    """The roles file (who may see which districts), from ``PARTY_FUNNEL_ROLES``."""
    return Path(os.environ.get(ROLES_ENV) or DEFAULT_ROLES_FILE)
CACHE_ENV = "PARTY_FUNNEL_CACHE"


def cache_dir() -> str:
    """A private local folder for copies of remote aggregates, from ``PARTY_FUNNEL_CACHE`` (default: one per
    user under the temporary folder), made with mode 0700. One that another user owns, or that others may
    read or write (someone could plant aggregates there), is refused."""
    folder = os.environ.get(CACHE_ENV) or os.path.join(tempfile.gettempdir(), f"party-funnel-cache-{os.getuid()}")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    status = os.stat(folder)
    if status.st_uid != os.getuid() or status.st_mode & 0o077:
        raise PermissionError(f"the cache folder {folder} must belong to this user and be private: "
                              f"chmod 700 {folder}, or set {CACHE_ENV} to another folder")
    return folder
SIGN_OUTS_ENV = "PARTY_FUNNEL_SIGN_OUTS"
SIGN_IN_HOURS_ENV = "PARTY_FUNNEL_SIGN_IN_HOURS"


def sign_outs_location() -> Path:
    """The file of sign-outs (:mod:`analytics.sessions`), from ``PARTY_FUNNEL_SIGN_OUTS`` (default
    ``sign-outs.log`` in the store folder); with several replicas, a path on a folder they all share. A folder
    given there holds the file: ``sign-outs.log`` in it."""
    given = os.environ.get(SIGN_OUTS_ENV)
    location = Path(given) if given else store_root()
    return location / "sign-outs.log" if not given or location.is_dir() else location


def sign_in_max_age() -> float:
    """How long a sign-in lasts, in seconds, from ``PARTY_FUNNEL_SIGN_IN_HOURS`` (default 9: a working day)."""
    text = os.environ.get(SIGN_IN_HOURS_ENV) or "9"
    try:
        hours = float(text)
    except ValueError:
        hours = math.nan
    if not 0 < hours <= 24 * 366:  # NaN and infinity too: a sign-in that never ends is not a setting
        raise ValueError(f"{SIGN_IN_HOURS_ENV}={text!r}: give the hours a sign-in lasts, a number above 0 (e.g. 9)")
    return hours * 3600
