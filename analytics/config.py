"""Where things live. The one place that knows paths and settings.

Every location can be overridden from the environment, so the curated data can move (another
folder, object storage) without a code change.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DIR = REPO_ROOT / "data" / "reference"
DEFAULT_CURATED_DIR = REPO_ROOT / "data" / "curated"

CURATED_ENV = "PARTY_FUNNEL_DATA"
CACHE_ENV = "PARTY_FUNNEL_CACHE"


def curated_location() -> str:
    """The curated Parquet folder (a local path or an ``s3://`` URL), from ``PARTY_FUNNEL_DATA``."""
    return os.environ.get(CURATED_ENV) or str(DEFAULT_CURATED_DIR)


def cache_dir() -> str:
    """A local folder for copies of remote aggregates, from ``PARTY_FUNNEL_CACHE`` (default: temp dir)."""
    return os.environ.get(CACHE_ENV) or os.path.join(tempfile.gettempdir(), "party-funnel-cache")
