"""The benchmark's parts on a tiny national dataset: same schema as the curated sample, pandas agrees."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analytics import db, queries
from analytics.bench import generate, run
from analytics.config import DEFAULT_CURATED_DIR, SAMPLE_SNAPSHOT_DIR
from analytics.filters import Filter, Month


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    folder = tmp_path_factory.mktemp("national")
    generate.generate(folder, rows=3000, seed=7)
    return folder


def _logical(schema: pa.Schema) -> list[tuple[str, str]]:
    """Column names and types, a dictionary-encoded string counting as a string."""
    return [(f.name, str(f.type.value_type if pa.types.is_dictionary(f.type) else f.type)) for f in schema]


@pytest.mark.parametrize("table", db.CURATED_TABLES)
def test_the_synthetic_data_has_the_curated_schema(national, table):
    ours = pq.read_schema(national / f"{table}.parquet")
    assert _logical(ours) == _logical(pq.read_schema(DEFAULT_CURATED_DIR / f"{table}.parquet"))


def test_the_synthetic_data_is_national_and_deterministic(national, tmp_path):
    units = pq.read_table(national / "units.parquet").to_pandas()
    levels = units.groupby("level")["unit_code"].nunique()
    assert (levels["district"], levels["commune"]) == (generate.DISTRICTS, generate.COMMUNES)
    before = units[units["valid_to"] < pd.Timestamp(generate.REFORM).date()]
    after = units[units["valid_from"] >= pd.Timestamp(generate.REFORM).date()]
    assert before.query("level == 'province'").shape[0] == generate.PROVINCES
    assert after.query("level == 'province'").shape[0] == generate.PROVINCES_AFTER
    candidates = pq.read_table(national / "candidates.parquet").to_pandas()
    late = candidates["referred_on"] >= pd.Timestamp(generate.REFORM).date()
    assert candidates.loc[late, "unit_code"].str.startswith("C").all()  # units change mid-series
    assert candidates.loc[~late, "unit_code"].equals(candidates.loc[~late, "district_code"])
    generate.generate(tmp_path, rows=3000, seed=7)
    assert pq.read_table(tmp_path / "candidates.parquet").equals(pq.read_table(national / "candidates.parquet"))


def test_stage_dates_are_in_order(national):
    frame = pq.read_table(national / "candidates.parquet").to_pandas()
    columns = ["referred_on", "trained_on", "admitted_on", "official_on"]
    for earlier, later in zip(columns, columns[1:]):
        both = frame[[earlier, later]].dropna()
        assert (both[earlier] <= both[later]).all()
        assert frame[later].notna().sum() <= frame[earlier].notna().sum()


def test_the_pandas_way_agrees_with_the_query_layer(national):
    result = run.benchmark(national, refreshes=3, seed=1)
    assert result["counts_disagreeing_with_pandas"] == 0
    assert set(result["interactions"]) == {"period", "district", "unit", "sector", "mode", "breakdown", "download"}


def test_aggregates_persisted_by_the_bench_answer_like_raw_rows(national):
    db.build_aggregates(str(national))
    con = db.connect(str(national))
    flt = Filter(Month(2020, 1), Month(2021, 6))
    for by in (None, "district", "month"):
        assert queries.funnel(con, flt, by).equals(queries.funnel(con, flt, by, use_aggregates=False))


def test_the_audience_benchmark_agrees_with_the_pandas_way():
    from analytics.bench import audience

    result = audience.benchmark(str(SAMPLE_SNAPSHOT_DIR), refreshes=2, seed=3)
    assert result["counts_disagreeing_with_pandas"] == 0
    assert set(result["overview_refresh"]) == {"duckdb_operator", "duckdb_audience", "pandas_audience"}
    assert set(result["cold_release_s"]) >= {"2022", "2025", "2026"}
    assert "overview refresh, duckdb_audience" in audience.table(result)
