"""Where things live. The one place that knows paths and settings.

Every location can be overridden from the environment, so the curated data can move (another
folder, object storage) without a code change.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = REPO_ROOT / "data" / "reference"
DEFAULT_CURATED_DIR = REPO_ROOT / "data" / "curated"

CURATED_ENV = "PARTY_FUNNEL_DATA"
ROLES_ENV = "PARTY_FUNNEL_ROLES"
DEFAULT_ROLES_FILE = REPO_ROOT / "config" / "roles.toml"


def curated_location() -> str:
    """The curated Parquet folder (a local path or an ``s3://`` URL), from ``PARTY_FUNNEL_DATA``."""
    return os.environ.get(CURATED_ENV) or str(DEFAULT_CURATED_DIR)


def roles_location() -> Path:
    """The roles file (who may see which districts), from ``PARTY_FUNNEL_ROLES``."""
    return Path(os.environ.get(ROLES_ENV) or DEFAULT_ROLES_FILE)
