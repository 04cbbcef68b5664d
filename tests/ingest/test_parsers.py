"""The cell parsers: dates, numbers, text folding, legacy fonts, aliases; examples and hypothesis fuzzing."""

from __future__ import annotations

import contextlib
import unicodedata
from datetime import date, datetime

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.geography import CROSSWALK_SCHEMA, UNITS_SCHEMA, Geography, reference_tables
from analytics.ingest import aliases
from analytics.ingest.dates import DateError, from_serial, parse_date
from analytics.ingest.normalise import clean, fold, legacy_font, strip_accents
from analytics.ingest.numbers import MAX_COUNT, NumberError, parse_count, parse_year
from analytics.ingest.units import UnitNames

GEOGRAPHY = Geography(**reference_tables())
UNITS = UnitNames(GEOGRAPHY)
IN_2022 = date(2022, 6, 1)


def code_of(text: str, day: date = IN_2022) -> str | None:
    reading = UNITS.read(text, day)
    return reading.unit.code if reading.unit else None


DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@pytest.mark.parametrize(("text", "expected"), [
    ("05/01/2022", date(2022, 1, 5)),
    ("5/1/22", date(2022, 1, 5)),
    ("05-01-2022", date(2022, 1, 5)),
    ("05.01.2022", date(2022, 1, 5)),
    ("2022-01-05", date(2022, 1, 5)),
    ("2022-01-05 00:00:00", date(2022, 1, 5)),
    ("05/01/2022 08:30", date(2022, 1, 5)),
    ("05/01/2022 08:30:15", date(2022, 1, 5)),
    ("44566", date(2022, 1, 5)),
    (44566, date(2022, 1, 5)),
    (44566.0, date(2022, 1, 5)),
    (datetime(2022, 1, 5, 8, 30), date(2022, 1, 5)),
    (" 31/12/2021 ", date(2021, 12, 31)),
])
def test_accepted_date_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["01/13/2022", "31/02/2022", "2022/01/05", "Jan 5 2022", "5/1", "", "44566.5",
                                  "0", True, "12/2022", "2022", 2022])
def test_refused_dates_never_read_month_first(text):
    with pytest.raises(DateError):
        parse_date(text)


@given(DAYS, st.sampled_from(["/", "-", "."]), st.booleans(), st.booleans())
def test_day_first_text_round_trips(day, separator, pad, short_year):
    d, m = (f"{day.day:02d}", f"{day.month:02d}") if pad else (str(day.day), str(day.month))
    year = f"{day.year % 100:02d}" if short_year else str(day.year)
    assert parse_date(separator.join((d, m, year))) == day


@given(DAYS)
def test_iso_and_excel_serial_round_trip(day):
    assert parse_date(day.isoformat()) == day
    serial = (day - date(1899, 12, 30)).days
    assert parse_date(serial) == parse_date(str(serial)) == from_serial(serial) == day


@given(st.integers(min_value=13, max_value=31), st.integers(min_value=1, max_value=12), DAYS)
def test_a_month_first_date_with_day_over_12_is_refused(day, month, year_from):
    with pytest.raises(DateError):
        parse_date(f"{month:02d}/{day:02d}/{year_from.year}")


@given(st.text(max_size=20))
def test_date_parser_never_crashes(text):
    with contextlib.suppress(DateError):
        assert isinstance(parse_date(text), date)


@given(st.integers(min_value=0, max_value=MAX_COUNT))
def test_counts_with_dot_or_space_thousands(number):
    grouped = f"{number:,}"
    assert parse_count(grouped.replace(",", ".")) == number
    assert parse_count(grouped.replace(",", " ")) == number
    assert parse_count(str(number)) == parse_count(number) == parse_count(float(number)) == number


@pytest.mark.parametrize(("text", "count"), [("12,0", 12), ("12,00", 12), ("1234,000", 1234), ("7.0", 7)])
def test_a_decimal_part_of_zeros_is_read_as_a_whole_number(text, count):
    assert parse_count(text) == count


@given(st.integers(min_value=MAX_COUNT + 1, max_value=10**30))
def test_a_count_past_the_largest_is_refused_in_every_form(number):
    for written in (f"{number:,}".replace(",", "."), str(number), number, float(number)):
        with pytest.raises(NumberError):
            parse_count(written)


@pytest.mark.parametrize("text", ["1,234", "1,000", "12,000", "12,5", "-3", "1.23", "1.2345", "abc", "", 2.5, -1,
                                  "1.234,5"])
def test_refused_counts(text):
    with pytest.raises(NumberError):
        parse_count(text)


@given(st.text(max_size=20))
def test_count_parser_never_crashes(text):
    with contextlib.suppress(NumberError):
        assert parse_count(text) >= 0


def test_years():
    assert parse_year("1990") == parse_year(1990) == parse_year(1990.0) == parse_year(date(1990, 5, 1)) == 1990
    for bad in ("90", "199O", "3000", "1990.5"):
        with pytest.raises(NumberError):
            parse_year(bad)


def test_clean_trims_and_composes():
    decomposed = unicodedata.normalize("NFD", "  Thủ   Dầu\u00a0Một ")
    assert clean(decomposed) == "Thủ Dầu Một" and unicodedata.is_normalized("NFC", clean(decomposed))
    assert clean(None) == "" and clean(5) == 5


def test_fold_makes_tone_placements_and_accents_equal():
    assert fold("Hòa") == fold("Hoà") == fold("HOA") == fold("hoa") == "hoa"
    assert fold("Đồng An") == fold("dong an")
    assert strip_accents("Thuận An") == "Thuan An"


@pytest.mark.parametrize(("text", "font"), [("Thñ DÇu Mét", "TCVN3"), ("C«ng ®oµn c¬ së", "TCVN3"),
                                            ("Thuû Daàu Moät", "VNI"), ("Coâng ñoaøn", "VNI")])
def test_legacy_fonts_are_detected(text, font):
    assert legacy_font(text) == font


@pytest.mark.parametrize("text", ["Thủ Dầu Một", "Công đoàn cơ sở", "Nguyễn Thị Hoà", "CD0001", "KCN VSIP I",
                                  "Dĩ An", "Bàu Bàng"])
def test_unicode_vietnamese_is_not_legacy(text):
    assert legacy_font(text) is None
    assert legacy_font(unicodedata.normalize("NFD", text)) is None


PREFIXES = ["", "TP. ", "TP ", "Thành phố ", "thanh pho ", "TX. ", "Thị xã ", "Huyện ", "H. "]


@given(st.sampled_from(sorted({(code, name) for code, name in [
    ("718", "Thủ Dầu Một"), ("719", "Bàu Bàng"), ("720", "Dầu Tiếng"), ("721", "Bến Cát"), ("722", "Phú Giáo"),
    ("723", "Tân Uyên"), ("724", "Dĩ An"), ("725", "Thuận An"), ("726", "Bắc Tân Uyên")]})),
    st.sampled_from(PREFIXES), st.booleans(), st.sampled_from(["NFC", "NFD"]), st.sampled_from([str.upper,
    str.lower, str.title, str]), st.text(alphabet=" \t", max_size=2))  # fmt: skip
def test_district_names_in_any_spelling_before_the_reform(pair, prefix, accents, form, case, padding):
    code, name = pair
    written = name if accents else strip_accents(name)
    text = padding + unicodedata.normalize(form, case(prefix + written)) + padding
    assert code_of(text) == code


@given(st.text(max_size=30), st.dates(date(1995, 1, 1), date(2030, 12, 31)))
def test_unit_lookup_only_returns_units_valid_on_the_day(text, day):
    reading = UNITS.read(text, day)
    assert (reading.unit is None) == (reading.problem is not None)
    if reading.unit:
        assert reading.unit.valid_on(day) and reading.unit.level in ("district", "commune")


def test_unknown_units():
    for text in ("Quận 1", "Thủ Đức", "Bình Dương Province", "", "Tân"):
        assert code_of(text) is None


def test_ambiguous_reference_aliases_are_refused():
    with pytest.raises(aliases.AliasError):
        aliases._table([("Hòa Bình", "1"), ("Hoà Bình", "2")])
    assert aliases.union_aliases(["U1", "U2"], ["CĐCS Hòa", "CĐCS Hoà"])["hoa"] == aliases.AMBIGUOUS


def test_sector_and_gender_aliases():
    sectors, genders = aliases.sector_aliases(), aliases.gender_aliases()
    assert sectors[fold("Có vốn đầu tư nước ngoài")] == sectors["fdi"] == "fdi"
    assert sectors[fold("Nhà nước")] == "state" and sectors[fold("ngoai nha nuoc")] == "domestic"
    assert genders[fold("Nữ")] == genders["nu"] == "female" and genders["nam"] == "male"


def test_excel_serial_epoch():
    assert from_serial(45839) == date(2025, 7, 1) and from_serial(32874) == date(1990, 1, 1)


def test_names_come_from_the_units_table_with_either_tone_placement():
    units = pa.table({"unit_code": ["1", "2"], "name_vi": ["Hòa Thành", "Thủy Nguyên"],
                      "name_en": ["Hoa Thanh", "Thuy Nguyen"], "unit_type": ["thị xã", "huyện"],
                      "level": ["district", "district"], "parent_code": [None, None],
                      "valid_from": [date(2000, 1, 1)] * 2, "valid_to": [date(9999, 12, 31)] * 2,
                      "lat": [None, None], "lon": [None, None], "provisional": [False, False]},
                     schema=UNITS_SCHEMA)
    names = UnitNames(Geography(units, CROSSWALK_SCHEMA.empty_table()))
    for text, code in [("Hoà Thành", "1"), ("Thị xã Hòa Thành", "1"), ("TX. Hoa Thanh", "1"),
                       ("Huyện Thuỷ Nguyên", "2"), ("thuy nguyen", "2")]:
        assert names.read(text, IN_2022).unit.code == code, text
    assert names.read("TP Thủy Nguyên", IN_2022).unit.code == "2"  # the level counts, not the exact kind
    assert names.read("Phường Thủy Nguyên", IN_2022).problem == "unit_not_valid"  # not a ward
