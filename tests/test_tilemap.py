"""The tile map's placement: every area on its own cell, by geography, wards and communes with their district."""

from __future__ import annotations

import pandas as pd

from analytics import tilemap

DISTRICTS = pd.DataFrame({"district_code": ["N", "S", "E", "W", "C"], "lat": [11.3, 10.9, 11.1, 11.1, 11.1],
                          "lon": [106.7, 106.7, 106.9, 106.5, 106.7]})


def test_districts_keep_their_compass_points_on_their_own_cells():
    tiles = {t.key: (t.column, t.row) for t in tilemap.district_tiles(DISTRICTS)}
    assert len(set(tiles.values())) == 5
    assert tiles["N"][1] < tiles["C"][1] < tiles["S"][1]  # north above the centre above the south
    assert tiles["W"][0] < tiles["C"][0] < tiles["E"][0]
    assert min(r for _, r in tiles.values()) == 0 and min(c for c, _ in tiles.values()) == 0  # no empty margin


def test_units_are_packed_in_their_former_districts_block():
    units = pd.DataFrame({"unit_code": [f"U{i}" for i in range(7)], "district_code": ["C"] * 5 + ["N"] * 2})
    tiles, blocks = tilemap.unit_tiles(DISTRICTS, units)
    cells = {t.key: (t.column, t.row) for t in tiles}
    assert len(set(cells.values())) == 7
    by_key = {b.key: b for b in blocks}
    for code, district in zip(units["unit_code"], units["district_code"], strict=True):
        block = by_key[district]
        column, row = cells[code]
        assert block.first_column <= column <= block.last_column and block.first_row <= row <= block.last_row
    assert by_key["N"].last_row < by_key["C"].first_row  # the northern district's block above the centre's
