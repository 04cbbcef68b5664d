"""The pages' only door to the data: a cached connection per snapshot, results cached per user and filter,
and the Load data page's checks, loads, versions and log.

Every function takes the run's :class:`~ui.sidebar.View` (snapshot, principal, authorized filter,
language), resolved once per script run in ``app.py``, or, before the view exists, the snapshot. Funnel
numbers come only through :func:`analytics.access.funnel`, which checks the filter again for that
principal. Results are keyed by the snapshot folder (after a load or a rollback the next run opens the new
snapshot and old results are never served) and by (principal, filter, breakdown, language), so the cache
cannot hand one user's numbers to another. The whole curated dataset never enters pandas.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import access, charts, comparison, config, conversion, db, narrative, queries, tilemap
from analytics import pace as pace_module
from analytics.filters import Filter, Month
from analytics.ingest import audit, pipeline, templates
from analytics.ingest.pseudonymise import secret_key
from analytics.ingest.schema import KINDS
from analytics.ingest.store import Store
from analytics.overview import Overview
from analytics.overview import load as load_overview
from ui import permissions
from ui.view import View

_log = logging.getLogger("party_funnel")
#: Per configured location, the last snapshot this process opened; and when a newer one failed to open.
_opened: dict[str, str] = {}
_failed: dict[str, float] = {}
RETRY_SECONDS = 60


def snapshot() -> str:
    """The current snapshot's folder (cheap: resolves the ``data/curated`` link, or a published store's
    pointer, read at most every few seconds); once per run, in app.py. A new snapshot that cannot be opened
    (a pointer naming a missing or damaged one, a rollback to it) leaves the process on the one it had, said in
    the log, and is tried again after :data:`RETRY_SECONDS`; only a first one that cannot be opened fails."""
    configured = config.curated_location()
    kept, wanted = _opened.get(configured), db.resolve(configured)
    if wanted == kept:
        return kept
    if kept is not None and time.monotonic() - _failed.get(wanted, -RETRY_SECONDS) < RETRY_SECONDS:
        return kept
    try:
        _connection(wanted)  # opened once per snapshot and process (cached): the pages' queries reuse it
    except db.DataError as error:
        if kept is None:
            raise
        _failed[wanted] = time.monotonic()
        _log.error("%s: keeping %s", error, kept)
        return kept
    _opened[configured] = wanted
    return wanted


@st.cache_resource(show_spinner=False, max_entries=4)
def _connection(source: str) -> duckdb.DuckDBPyConnection:
    """One DuckDB per snapshot and server process (views over its Parquet, aggregates), shared by all
    sessions; each query gets its own cursor and runs on its session's thread alone. The server runs many
    sessions' queries at once, and a page's are small: spreading each over every CPU cost 6–9 % more server
    CPU per page opened at national scale (the heaviest, time to convert, takes 0,64 s instead of 0,40 s)."""
    return db.connect(source, threads=1)


def _cursor(source: str) -> duckdb.DuckDBPyConnection:
    return _connection(source).cursor()


def funnel(view: View, by: str | None, limit: int | None = None) -> pd.DataFrame:
    """Stage counts and rates of the view as its user may see them (narrowed, suppressed), the ``limit``
    groups with most referrals if given."""
    return _funnel(view.source, view.principal, view.filter, by, view.lang, limit)


def funnel_later(view: View, by: str | None) -> Callable[[], pd.DataFrame]:
    """:func:`funnel` without a limit, run when called (by a download, on a thread of its own)."""
    return lambda: _funnel(view.source, view.principal, view.filter, by, view.lang, None)


@st.cache_data(show_spinner=False, max_entries=2048)
def _funnel(
    source: str, principal: access.Principal, flt, by: str | None, lang: str, limit: int | None
) -> pd.DataFrame:
    return access.funnel(_cursor(source), principal, flt, by, lang, limit)


def compared(view: View, by: str | None, which: str, limit: int | None = None) -> pd.DataFrame:
    """:func:`funnel` with each stage's count in baseline ``which`` (like for like) and its change
    (:func:`analytics.comparison.funnel`)."""
    return _compared(view.source, view.principal, view.filter, by, view.lang, which, limit)


def compared_later(view: View, by: str | None, which: str) -> Callable[[], pd.DataFrame]:
    """:func:`compared` without a limit, run when called (by a download, on a thread of its own)."""
    return lambda: _compared(view.source, view.principal, view.filter, by, view.lang, which, None)


@st.cache_data(show_spinner=False, max_entries=512)
def _compared(source: str, principal: access.Principal, flt, by: str | None, lang: str, which: str,
              limit: int | None) -> pd.DataFrame:
    con = _cursor(source)
    return comparison.funnel(con, principal, flt, by, lang, which, access.data_end(con, principal), limit)


def time_to_convert(view: View, by: str | None) -> pd.DataFrame:
    """Days per funnel step of the view's referral cohort by ``by`` (:func:`analytics.conversion.summary`)."""
    return _time_to_convert(view.source, view.principal, view.filter, by, view.lang)


@st.cache_data(show_spinner=False, max_entries=512)
def _time_to_convert(source: str, principal: access.Principal, flt, by: str | None, lang: str) -> pd.DataFrame:
    return conversion.summary(_cursor(source), principal, flt, by, lang)


def step_histogram(view: View) -> pd.DataFrame:
    """The view's days per step in bins (:func:`analytics.conversion.histogram`)."""
    return _step_histogram(view.source, view.principal, view.filter)


@st.cache_data(show_spinner=False, max_entries=256)
def _step_histogram(source: str, principal: access.Principal, flt) -> pd.DataFrame:
    return conversion.histogram(_cursor(source), principal, flt)


def overview(view: View) -> Overview:
    """All the overview's results for the view as its user may see them."""
    return _overview(view.source, view.principal, view.filter, view.lang)


@st.cache_data(show_spinner=False, max_entries=512)
def _overview(source: str, principal: access.Principal, flt, lang: str) -> Overview:
    return load_overview(_cursor(source), principal, flt, lang, places(source, flt, lang))


def overview_figures(view: View, overview: Overview, style: charts.Style = charts.SCREEN) -> dict[str, go.Figure]:
    """The charts of the view's ``overview`` (:meth:`Overview.figures`, the page has it already), built once
    per view. Shared, not copied: pages only draw them."""
    return _overview_figures(view.source, view.principal, view.filter, view.lang, style, overview)


@st.cache_resource(show_spinner=False, max_entries=256)
def _overview_figures(
    source: str, principal: access.Principal, flt, lang: str, style: charts.Style, _overview: Overview
) -> dict[str, go.Figure]:
    return _overview.figures(style)  # (not a key: the first four arguments name the overview)


def slide(view: View, key: str, style: charts.Style) -> go.Figure:
    """One slide's figure (:meth:`Overview.figure`) sized for the presenter's screen, built once per size."""
    return _slide(view.source, view.principal, view.filter, view.lang, key, style)


@st.cache_resource(show_spinner=False, max_entries=64)
def _slide(source: str, principal: access.Principal, flt, lang: str, key: str, style: charts.Style) -> go.Figure:
    return _overview(source, principal, flt, lang).figure(key, style)


def pace(view: View, by: str | None) -> pd.DataFrame:
    """Targets and pace of the view's last year (as of its last day, or the data's if earlier) by ``by``."""
    return _pace(view.source, view.principal, view.filter, by, view.lang)


@st.cache_data(show_spinner=False, max_entries=256)
def _pace(source: str, principal: access.Principal, flt, by: str | None, lang: str) -> pd.DataFrame:
    con = _cursor(source)
    first, _ = queries.data_months(con)
    as_of = min(flt.last_day, access.data_end(con, principal))
    return pace_module.pace(con, principal, flt, flt.end.year, as_of, by, lang, first)


@st.cache_resource(show_spinner=False, max_entries=16)
def tiles(source: str, level: str) -> tuple[tuple[tilemap.Tile, ...], tuple[tilemap.Block, ...]]:
    """Where each district's (``level`` "district") or ward's and commune's ("unit") tile goes on the map, and
    the blocks of former districts the wards and communes are packed in (frozen: shared, not copied)."""
    con = _cursor(source)
    districts = queries.district_names(con, queries.as_of(con))
    if level == "district":
        return tuple(tilemap.district_tiles(districts)), ()
    units = queries.unit_names(con)
    tiles, blocks = tilemap.unit_tiles(districts, units[units["level"] == "commune"])
    return tuple(tiles), tuple(blocks)


def coverage(view: View, by: str) -> pd.DataFrame:
    """Which areas (``by`` district or unit) the view's user may see reported in which of its months, with
    the areas' names (key, label, month, reported)."""
    grid = _coverage(view.source, view.principal, view.filter, by)
    names = view.places.districts if by == "district" else view.places.units
    return grid.assign(label=grid["key"].map(lambda key: names.get(key, key)))


@st.cache_data(show_spinner=False, max_entries=64)
def _coverage(source: str, principal: access.Principal, flt, by: str) -> pd.DataFrame:
    return access.coverage(_cursor(source), principal, flt, by)


def deck(view: View) -> bytes:
    """The PowerPoint deck of the overview, as the view's user may see it."""
    return _deck(view.source, view.principal, view.filter, view.lang)


@st.cache_data(show_spinner=False, max_entries=64)
def _deck(source: str, principal: access.Principal, flt, lang: str) -> bytes:
    from analytics.deck import build_deck  # python-pptx costs 0.3 s: load it when a deck is asked for

    return build_deck(_cursor(source), principal, flt, lang)


def report(view: View) -> bytes:
    """The Word report of the overview (its sentences and tables), as the view's user may see it."""
    return _report(view.source, view.principal, view.filter, view.lang)


@st.cache_data(show_spinner=False, max_entries=64)
def _report(source: str, principal: access.Principal, flt, lang: str) -> bytes:
    from analytics.report import build_report  # python-docx only when a report is asked for

    return build_report(_cursor(source), principal, flt, lang)


def pictures(view: View) -> bytes:
    """Every slide's chart as a 1920×1080 PNG, zipped, as the view's user may see it."""
    return _pictures(view.source, view.principal, view.filter, view.lang)


@st.cache_data(show_spinner=False, max_entries=16)
def _pictures(source: str, principal: access.Principal, flt, lang: str) -> bytes:
    from analytics.pictures import build_pictures  # kaleido and its Chromium only when pictures are asked for

    return build_pictures(_cursor(source), principal, flt, lang)


@st.cache_data(show_spinner=False, max_entries=64)
def _query(source: str, name: str, *args: object) -> object:
    """Queries about the data itself (its months, district names, whether it is the sample): no filter."""
    return getattr(queries, name)(_cursor(source), *args)


def places(source: str, flt: Filter, lang: str) -> narrative.Places:
    """What the whole area, the districts and the units are called for ``flt``'s period: kept once per span of
    days in which no province or district begins or ends (:func:`analytics.narrative.naming_span`; the same for
    every slice and every period within it), and shared, not copied."""
    span = narrative.naming_span(_query(source, "naming_dates"), flt)
    return _places(source, span, lang, Filter(flt.start, flt.end))


@st.cache_resource(show_spinner=False, max_entries=64)
def _places(source: str, span: tuple[int, ...], lang: str, _period: Filter) -> narrative.Places:
    """Keyed by the span (``_period``, the first period met in it, is not part of the key)."""
    return narrative.places(_cursor(source), _period, lang, _unit_names(source, lang))


@st.cache_resource(show_spinner=False, max_entries=8)
def _unit_names(source: str, lang: str) -> dict[str, str]:
    """Every unit's name with its kind: the same for every period (nationally about 10,000 of them)."""
    return narrative.unit_names(_cursor(source), lang)


def calendar(view: View) -> pd.DataFrame:
    """The events within the view's months."""
    return _query(view.source, "calendar", view.filter)


def unit_names(source: str) -> pd.DataFrame:
    return _query(source, "unit_names")


def reform_date(source: str) -> date | None:
    return _query(source, "reform_date")


def data_months(source: str) -> tuple[Month, Month]:
    return _query(source, "data_months")


def as_of(source: str, principal: access.Principal) -> date:
    """How far the data ``principal`` may see goes (:func:`analytics.access.data_end`)."""
    return _data_end(source, principal)


@st.cache_data(show_spinner=False, max_entries=256)
def _data_end(source: str, principal: access.Principal) -> date:
    return access.data_end(_cursor(source), principal)


def district_names(source: str, on: date) -> pd.DataFrame:
    return _query(source, "district_names", on)


def loaded_at(source: str) -> str | None:
    """When the snapshot was written by a load (UTC, to the minute), or None for generated data."""
    return _query(source, "loaded_at")


def is_sample(source: str) -> bool:
    return _query(source, "is_sample")


def is_synthetic(source: str) -> bool:
    return _query(source, "is_synthetic")


# The Load data page: templates for everyone; checks, loads and rollbacks for analysts (asked again here,
# whatever the page offered); the versions list and the load log for analysts only.

def _store() -> Store:
    return Store(config.store_root())


@st.cache_data(show_spinner=False)
def template(kind: str, suffix: str) -> bytes:
    """A blank report template (``xlsx`` or ``csv``) of a report kind."""
    build = templates.template_xlsx if suffix == "xlsx" else templates.template_csv
    return build(KINDS[kind])


def pseudonym_key() -> bytes:
    """The secret for candidate keys, from the environment or the Streamlit secrets (MissingKeyError if unset)."""
    try:
        secrets = dict(st.secrets)
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        secrets = {}
    return secret_key(secrets=secrets)


def check(view: View, files: list[tuple[str, bytes]], key: bytes) -> pipeline.Plan:
    """What loading ``files`` would do (nothing is written): per-file results and the problems."""
    permissions.require_loader(view.principal)
    return pipeline.load(files, _store(), key, view.principal.user, dry_run=True)[0]


def load(view: View, files: list[tuple[str, bytes]], key: bytes) -> str | None:
    """Load ``files`` as a new snapshot (audited); its id, or None when nothing changed."""
    permissions.require_loader(view.principal)
    return pipeline.load(files, _store(), key, view.principal.user)[1]


def snapshots(view: View) -> list[dict]:
    """The data versions, oldest first (analysts only)."""
    permissions.require_loader(view.principal)
    return _store().list()


def rollback(view: View, snapshot_id: str) -> bool:
    """Make an earlier snapshot current; False (logged) when it is damaged and the current one stays."""
    permissions.require_loader(view.principal)
    try:
        pipeline.rollback(_store(), snapshot_id, view.principal.user)
    except db.DataError:
        _log.exception("rollback to %s refused", snapshot_id)
        return False
    return True


def load_log(view: View, rows: int = 50) -> list[dict]:
    """The latest entries of the load log, newest first (analysts only: row counts reveal small numbers)."""
    permissions.require_loader(view.principal)
    return audit.read(_store().audit_log)[-rows:][::-1]
