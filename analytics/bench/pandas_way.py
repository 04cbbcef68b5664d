"""The usual pandas way, for comparison: the whole candidate table in memory, each refresh recomputed.

This is what a typical Streamlit app does (``pd.read_parquet`` once, boolean masks and ``groupby`` per
rerun). It answers the same stage counts as the query layer's funnel, with union members and
targets merged in and the rates computed, so the benchmark compares like with like.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import model, storage
from analytics.filters import Filter

_KEY_FORMATS = {"month": "M", "quarter": "Q", "year": "Y"}


class PandasFunnel:
    def __init__(self, location: str) -> None:
        read = lambda name, **kw: pd.read_parquet(storage.join(location, f"{name}.parquet"), **kw)  # noqa: E731
        candidates = read("candidates")
        unions = read("unions", columns=["union_id", "reporting_unit", "industrial_zone"])
        self.frame = candidates.merge(unions, on="union_id", how="left")
        for stage in model.stages():
            self.frame[stage.date_column] = pd.to_datetime(self.frame[stage.date_column])
        self.union_units = read("union_units")
        self.union_units["valid_from"] = pd.to_datetime(self.union_units["valid_from"])
        self.union_units["valid_to"] = pd.to_datetime(self.union_units["valid_to"].astype(str).str.replace(
            "9999-12-31", "2262-04-11"))  # the far future as pandas can write it
        self.membership = read("membership")
        self.targets = read("targets")

    def _units_on(self, rows: pd.DataFrame, dates: pd.Series) -> pd.Series:
        """The unit each row's union belonged to on its date (the union list's validity)."""
        stays = rows[["union_id"]].assign(day=dates.values, row=range(len(rows))).merge(
            self.union_units, on="union_id", how="left")
        stays = stays[(stays["day"] >= stays["valid_from"]) & (stays["day"] <= stays["valid_to"])]
        units = pd.Series(model.NO_VALUE, index=range(len(rows)), dtype="string")
        units[stays["row"].to_numpy()] = stays["unit_code"].astype("string").to_numpy()
        return pd.Series(units.to_numpy(), index=rows.index)

    def _key(self, rows: pd.DataFrame, by: str | None, dates: pd.Series) -> pd.Series:
        if by is None:
            return pd.Series("all", index=rows.index)
        dimension = model.DIMENSIONS[by]
        if dimension.time_unit:
            return dates.dt.to_period(_KEY_FORMATS[dimension.time_unit]).astype(str).str.replace("Q", "-Q")
        if by == "unit":
            return self._units_on(rows, dates)
        return rows[dimension.column].astype("string").fillna(model.NO_VALUE)

    def counts(self, flt: Filter, by: str | None) -> pd.DataFrame:
        """Stage counts per group key, like the query layer (period activity or cohort)."""
        first, last = pd.Timestamp(flt.first_day), pd.Timestamp(flt.last_day)
        rows = self.frame
        if flt.districts:
            rows = rows[rows["district_code"].isin(flt.districts)]
        if flt.sectors:
            rows = rows[rows["sector"].isin(flt.sectors)]
        columns = {}
        if flt.mode == "period":
            for stage in model.stages():
                dates = rows[stage.date_column]
                hit = rows[dates.between(first, last)]
                if flt.units:
                    hit = hit[self._units_on(hit, hit[stage.date_column]).isin(flt.units)]
                columns[stage.key] = self._key(hit, by, hit[stage.date_column]).value_counts()
        else:
            cohort = rows[rows["referred_on"].between(first, last)]
            if flt.units:
                cohort = cohort[cohort["unit_code"].isin(flt.units)]
            keys = self._key(cohort, by, cohort["referred_on"])
            for stage in model.stages():
                reached = cohort[stage.date_column].notna()
                if flt.window_days is not None:
                    reached &= (cohort[stage.date_column] - cohort["referred_on"]).dt.days <= flt.window_days
                columns[stage.key] = reached.groupby(keys).sum()
        out = pd.DataFrame(columns).fillna(0).astype(np.int64).rename_axis("key").reset_index()
        return out if len(out) or by else pd.DataFrame([{"key": "all", **{s: 0 for s in model.stage_keys()}}])

    def funnel(self, flt: Filter, by: str | None, limit: int | None = None) -> pd.DataFrame:
        """Counts with union members and targets (totals and districts) and the rates; with ``limit``, the
        groups with most referrals."""
        out = self.counts(flt, by)
        if limit is not None:
            out = out.sort_values(["referred", "key"], ascending=[False, True]).head(limit)
        if by in (None, "district", "unit"):
            year = self.membership.loc[self.membership["year"] <= flt.end.year, "year"].max()
            members = self.membership[self.membership["year"] == year]
            targets = self.targets[self.targets["year"].between(flt.start.year, flt.end.year)]
            for column, codes in (("district_code", flt.districts), ("unit_code", flt.units)):
                if codes:
                    members = members[members[column].isin(codes)]
                    targets = targets[targets[column].isin(codes)]
            if flt.sectors:
                members = members[members["sector"].isin(flt.sectors)]
            column = model.DIMENSIONS[by].column if by else None
            members_key = (members[column] if by else pd.Series("all", index=members.index)).rename("key")
            out = out.merge(members.groupby(members_key)["union_members"].sum().reset_index(), on="key", how="left")
            if not flt.sectors:
                targets_key = (targets[column] if by else pd.Series("all", index=targets.index)).rename("key")
                wide = targets.pivot_table(index=targets_key, columns="stage", values="target", aggfunc="sum")
                wide = wide.rename(columns={t.stage: t.key for t in model.target_inputs()})
                out = out.merge(wide.reset_index(), on="key", how="left")
        for measure in model.measures().values():
            if measure.kind != "count" and measure.denominator in out:
                denominator = out[measure.denominator].where(out[measure.denominator] > 0)
                out[measure.key] = out[measure.numerator] / denominator * measure.scale
        return out
