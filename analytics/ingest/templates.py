"""Blank report templates, generated from the column declarations in :mod:`analytics.ingest.schema`.

Each kind gets an XLSX (sheet 1: Vietnamese header, English header in row 2, data from row 3; sheet 2:
a guide with one line per column and an example) and a CSV (UTF-8 with BOM so Excel shows the accents,
the same two header rows).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from analytics import model
from analytics.ingest.schema import DATE_KEYS, KINDS, Kind

# One example value per column key, shown in the guide (never in the data sheet, where it would be loaded).
EXAMPLES = {
    "person": "DV-000123", "union": "CD0001", "district": "TP. Thủ Dầu Một", "sector": "Có vốn đầu tư nước ngoài",
    "gender": "Nữ", "birth_year": "1992", "year": "2023", "union_members": "12.345", "workers": "20.100",
    "union_id": "CD0001", "union_name": "CĐCS Công ty TNHH Giày Sóng Thần", "industrial_zone": "KCN Sóng Thần 2",
    "valid_from": "01/07/2025", "valid_to": "", "unit_code": "BD02", "name_vi": "Dĩ An", "name_en": "Di An",
    "unit_type": "phường", "level": "xã", "parent_code": "79", "lat": "10,90", "lon": "106,75", "provisional": "x",
    "former_code": "724", "share": "1", "main": "x", "confidence": "name",
    "start": "21/10/2022", "end": "", "event": "Hội nghị đối thoại công nhân ưu tú",
    "event_en": "Dialogue conference with outstanding workers", "event_kind": "hội nghị",
    # Per stage in funnel order: a date in the register, a yearly target.
    **dict(zip(model.date_columns(), ("05/01/2022", "20/02/2022", "30/09/2022", ""), strict=True)),
    **dict(zip(model.stage_keys(), ("600", "320", "70", "60"), strict=True)),
}
_GUIDE_HEADER = ("Cột", "Column", "Bắt buộc / Required", "Ví dụ / Example")
_FIXED_TIME = datetime(2026, 1, 1)


def _guide(kind: Kind) -> list[tuple[str, str, str, str]]:
    return [(c.vi, c.en, "có / yes" if c.required else "không / no", EXAMPLES.get(c.key, "")) for c in kind.columns]


def template_csv(kind: Kind) -> bytes:
    """The CSV template: the Vietnamese and English header rows."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([c.vi for c in kind.columns])
    writer.writerow([c.en for c in kind.columns])
    return text.getvalue().encode("utf-8-sig")


def template_xlsx(kind: Kind) -> bytes:
    """The XLSX template: data sheet with both header rows (frozen), guide sheet."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill

    workbook = openpyxl.Workbook()
    workbook.properties.created = workbook.properties.modified = _FIXED_TIME
    sheet = workbook.active
    sheet.title = "Số liệu - Data"
    sheet.append([c.vi for c in kind.columns])
    sheet.append([c.en for c in kind.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FFF2CC" if kind.columns[cell.column - 1].required else "EEEEEE")
    for cell in sheet[2]:
        cell.font = Font(italic=True, color="666666")
    for index, column in enumerate(kind.columns, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(14, len(column.vi) + 4)
        if column.key in DATE_KEYS:  # typed dates stay text so Excel cannot flip day and month
            for row in range(3, 2001):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A3"
    guide = workbook.create_sheet("Hướng dẫn - Guide")
    guide.append([kind.title["vi"], kind.title["en"]])
    guide.append(["Ngày ghi ngày/tháng/năm (05/01/2022); số có thể dùng dấu chấm hàng nghìn (12.345).",
                  "Dates day/month/year (05/01/2022); numbers may use '.' for thousands (12.345)."])
    guide.append([])
    guide.append(list(_GUIDE_HEADER))
    for line in _guide(kind):
        guide.append(list(line))
    for letter in "ABCD":
        guide.column_dimensions[letter].width = 40
    out = io.BytesIO()
    workbook.save(out)
    return _reproducible(out.getvalue())


def _reproducible(xlsx: bytes) -> bytes:
    """The same workbook with fixed timestamps (zip entries, the 'modified' property), so a rebuild is identical."""
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            target.writestr(zipfile.ZipInfo(info.filename, _FIXED_TIME.timetuple()[:6]), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_templates(folder: Path) -> list[Path]:
    """Write ``<kind>.xlsx`` and ``<kind>.csv`` for every report kind into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS.values():
        for suffix, build in ((".xlsx", template_xlsx), (".csv", template_csv)):
            path = folder / f"{kind.key}{suffix}"
            path.write_bytes(build(kind))
            written.append(path)
    return written
