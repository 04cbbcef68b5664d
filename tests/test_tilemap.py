"""The tile map's placement: every area on its own cell, by geography, wards and communes with their district."""

from __future__ import annotations

import math

import pandas as pd

from analytics import charts, tilemap

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


def _values(keys, values, **extra) -> pd.DataFrame:
    return pd.DataFrame({"key": keys, "label": keys, "short": keys, "value": values,
                         "text": [str(v) for v in values], **extra})


def _cells(figure) -> tuple:
    """The grey base heatmap (None when every area has a value), the coloured one, and the centres' points."""
    *base, fills, centres = figure.data
    assert [trace.type for trace in figure.data] == ["heatmap"] * (len(base) + 1) + ["scatter"] and len(base) <= 1
    return (base or [None])[0], fills, centres


def test_tiles_are_cells_of_one_heatmap_with_a_hidden_value_left_grey():
    tiles = tilemap.district_tiles(DISTRICTS)
    figure = charts.tile_map_figure(tiles, _values(["N", "S", "E", "W", "C"], [10, 40, None, 25, 70]), "vi",
                                    charts.ChartTitle("Giới thiệu", ""))
    base, fills, centres = _cells(figure)
    place = {t.key: (t.row, t.column) for t in tiles}
    assert not figure.layout.shapes  # no shape per tile: one trace, however many areas
    for key, value in zip("NSEWC", [10, 40, None, 25, 70], strict=True):
        row, column = place[key]
        assert base.z[row][column] == 0  # every area has its grey cell beneath
        assert (value is None and math.isnan(fills.z[row][column])) or fills.z[row][column] == value
    assert (fills.zmin, fills.zmax) == (10, 70) and fills.showscale
    assert base.colorscale[0][1] == base.colorscale[-1][1] == charts.HIDDEN_TILE
    empty = [(r, c) for r in range(len(base.z)) for c in range(len(base.z[0])) if (r, c) not in place.values()]
    assert all(math.isnan(base.z[r][c]) for r, c in empty)  # no tile where there is no area
    assert centres.mode == "text" and "C<br><b>70</b>" in centres.text  # five large tiles: names readable
    assert sorted(centres.customdata) == sorted("NSEWC")  # what a click filters to


def test_categories_get_their_exact_colours_and_small_tiles_no_text():
    many = pd.DataFrame({"district_code": [f"D{i}" for i in range(400)],
                         "lat": [10 + (i // 20) * 0.05 for i in range(400)],
                         "lon": [106 + (i % 20) * 0.05 for i in range(400)]})
    tiles = tilemap.district_tiles(many)
    colours = ["#aa0000", "#00aa00"] * 200
    values = _values(list(many["district_code"]), [i % 2 for i in range(400)], colour=colours)
    base, fills, centres = _cells(charts.tile_map_figure(tiles, values, "en", charts.ChartTitle("Pace", "")))
    assert base is None  # every tile has its category: no grey cells beneath
    stops = dict((round(position, 6), colour) for position, colour in fills.colorscale)
    for tile, colour in zip(tiles, [values.set_index("key").loc[t.key, "colour"] for t in tiles], strict=True):
        assert stops[round(fills.z[tile.row][tile.column] / fills.zmax, 6)] == colour
    assert centres.mode == "text" and centres.text == ""  # 20 columns: too small to print on; the pointer's target
    assert len(centres.hovertext) == 400 and not fills.showscale


def _unit_map(districts: pd.DataFrame, units: pd.DataFrame):
    tiles, blocks = tilemap.unit_tiles(districts, units)
    values = _values(list(units["unit_code"]), list(range(len(units))))
    return blocks, charts.tile_map_figure(tiles, values, "vi", charts.ChartTitle("Giới thiệu", ""),
                                          outlines=[(f"Huyện {b.key}", b) for b in blocks])


def test_former_districts_are_outlined_by_one_trace_and_named_when_their_block_is_wide_enough():
    units = pd.DataFrame({"unit_code": [f"U{i}" for i in range(7)], "district_code": ["C"] * 5 + ["N"] * 2})
    blocks, figure = _unit_map(DISTRICTS, units)
    fills, edges, centres = figure.data  # every ward has a value: no grey cells beneath
    assert edges.mode == "lines" and edges.hoverinfo == "skip" and not figure.layout.shapes
    corners = {(x, y) for x, y in zip(edges.x, edges.y, strict=True) if not math.isnan(x)}
    for block in blocks:  # each block's four corners, half a tile outside its cells
        assert {(block.first_column - 0.5, block.first_row - 0.5), (block.last_column + 0.5, block.last_row + 0.5)} \
            <= corners
    assert sorted(note.text for note in figure.layout.annotations) == ["Huyện C", "Huyện N"]
    assert sorted(centres.customdata) == sorted(units["unit_code"])  # clicks still reach the wards

    many = pd.DataFrame({"district_code": [f"D{i}" for i in range(300)],
                         "lat": [10 + (i // 20) * 0.05 for i in range(300)],
                         "lon": [106 + (i % 20) * 0.05 for i in range(300)]})
    units = pd.DataFrame({"unit_code": [f"U{i}" for i in range(900)],
                          "district_code": [f"D{i // 3}" for i in range(900)]})
    blocks, figure = _unit_map(many, units)
    assert len(blocks) == 300 and len(figure.data) == 3  # one trace for 300 outlines
    assert not figure.layout.annotations  # blocks a few pixels wide: not named (hover names the ward)
