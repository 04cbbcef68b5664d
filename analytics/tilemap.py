"""Where each area's tile goes on a tile map: one square per area, placed by geography, no map tiles.

Areas are snapped from their coordinates to cells of a small grid (an optimal assignment). Wards and
communes, whose coordinates the reference does not give, are packed in a block at their former district's
place, so they sit together where the district was and the map still reads as the province; the order
within a block is by code, and the page says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Tile:
    key: str
    column: int
    row: int  # 0 at the top (north)


def _snap(points: list[tuple[str, float, float]], columns: int, rows: int) -> dict[str, tuple[int, int]]:
    """Each ``(key, lat, lon)`` on its own cell of a ``columns`` × ``rows`` grid (north at row 0), the
    assignment with the least total squared distance (so nobody pushes a neighbour far away)."""
    from scipy.optimize import linear_sum_assignment  # only the map needs it

    lats = np.array([lat for _, lat, _ in points])
    lons = np.array([lon for _, _, lon in points])
    x = (lons - lons.min()) / ((lons.max() - lons.min()) or 1) * (columns - 1)
    y = (lats.max() - lats) / ((lats.max() - lats.min()) or 1) * (rows - 1)
    cells = np.array([(c, r) for r in range(rows) for c in range(columns)])
    cost = (x[:, None] - cells[None, :, 0]) ** 2 + (y[:, None] - cells[None, :, 1]) ** 2
    chosen, assigned = linear_sum_assignment(cost)
    return {points[i][0]: (int(cells[j][0]), int(cells[j][1])) for i, j in zip(chosen, assigned, strict=True)}


def _compress(tiles: list[Tile]) -> list[Tile]:
    """The tiles with empty columns and rows of the grid removed (the map as small as it can be)."""
    columns = {c: i for i, c in enumerate(sorted({t.column for t in tiles}))}
    rows = {r: i for i, r in enumerate(sorted({t.row for t in tiles}))}
    return [Tile(t.key, columns[t.column], rows[t.row]) for t in tiles]


def _located(districts: pd.DataFrame) -> dict[str, tuple[float, float]]:
    return {code: (lat, lon) for code, lat, lon in zip(districts["district_code"], districts["lat"],
                                                        districts["lon"], strict=True)
            if not (pd.isna(lat) or pd.isna(lon))}


def _tiles(points: list[tuple[str, float, float]]) -> list[Tile]:
    """``(key, lat, lon)`` points on a grid a little larger than needed, its empty rows and columns removed."""
    if not points:
        return []
    side = math.ceil(math.sqrt(len(points))) + 1
    return _compress([Tile(key, c, r) for key, (c, r) in _snap(points, side, side).items()])


def district_tiles(districts: pd.DataFrame) -> list[Tile]:
    """Tiles of districts with ``district_code``, ``lat`` and ``lon``."""
    return _tiles([(code, lat, lon) for code, (lat, lon) in _located(districts).items()])


@dataclass(frozen=True)
class Block:
    """The tiles of one former district's new units: its code and the grid cells it spans (inclusive)."""

    key: str
    first_column: int
    first_row: int
    last_column: int
    last_row: int


def unit_tiles(districts: pd.DataFrame, units: pd.DataFrame, width: int = 3) -> tuple[list[Tile], list[Block]]:
    """Tiles of units (``unit_code``, ``district_code``), packed in a block per former district at the
    district's place on the district grid (``width`` tiles wide, as many rows as it needs; a band of blocks
    is as tall as its tallest, and an empty row below it holds the blocks' names), filled row by row in code
    order; and the blocks, to outline and name them."""
    by_district = {district: sorted(group["unit_code"]) for district, group in units.groupby("district_code")}
    places = {t.key: t for t in district_tiles(districts[districts["district_code"].isin(list(by_district))])}
    heights: dict[int, int] = {}
    for key, tile in places.items():
        heights[tile.row] = max(heights.get(tile.row, 1), math.ceil(len(by_district[key]) / width))
    top = {row: sum(heights[r] + 1 for r in heights if r < row) for row in heights}  # a row for the names
    tiles, blocks = [], []
    for key, tile in places.items():
        codes = by_district[key]
        column, row = tile.column * width, top[tile.row]
        tiles += [Tile(code, column + i % width, row + i // width) for i, code in enumerate(codes)]
        blocks.append(Block(key, column, row, column + min(width, len(codes)) - 1,
                            row + math.ceil(len(codes) / width) - 1))
    return tiles, blocks
