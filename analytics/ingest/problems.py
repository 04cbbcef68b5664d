"""Problems found in a report: one per cell or file, worded for the sender in Vietnamese and English.

A file keeps its first :data:`MAX_PROBLEMS` problems in full and counts the rest by kind (:class:`Problems`),
so a file of junk gives a report of a readable size and costs bounded memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from analytics.ingest.numbers import MAX_COUNT

ERROR, WARNING = "error", "warning"
#: Problems of one file listed in full; the others are counted by kind.
MAX_PROBLEMS = 1_000

# code: (message vi, message en, how to fix vi, how to fix en); {placeholders} come from Problem.params.
MESSAGES: dict[str, tuple[str, str, str, str]] = {
    "unreadable": (
        "Không đọc được tệp ({detail}).", "The file cannot be read ({detail}).",
        "Lưu lại thành .xlsx hoặc .csv (UTF-8) từ Excel rồi gửi lại.", "Save it as .xlsx or .csv (UTF-8) from Excel.",
    ),
    "encrypted": (
        "Tệp Excel được đặt mật khẩu nên không đọc được.", "The workbook is protected by a password, so it cannot "
        "be read.",
        "Mở bằng Excel: Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa mật khẩu, lưu rồi gửi lại.",
        "Open it in Excel: File → Info → Protect Workbook → Encrypt with Password, delete the password, save and "
        "send it again.",
    ),
    "not_xlsx": (
        "Tệp là {what_vi}, không phải bảng tính Excel .xlsx.", "The file is {what_en}, not an Excel .xlsx workbook.",
        "Mở bằng Excel hoặc LibreOffice, chọn Lưu thành → Sổ làm việc Excel (.xlsx), rồi gửi lại.",
        "Open it in Excel or LibreOffice, Save As → Excel Workbook (.xlsx), and send that.",
    ),
    "legacy_font": (
        "Chữ gõ bằng phông cũ {font} (không phải Unicode).", "Text typed in the legacy {font} font (not Unicode).",
        "Chuyển mã sang Unicode (Unikey: Công cụ chuyển mã, {font} → Unicode) rồi gửi lại.",
        "Convert the file to Unicode (e.g. Unikey's converter, {font} → Unicode) and send it again.",
    ),
    "bad_encoding": (
        "Không phải văn bản {encoding} hợp lệ tại byte {byte}.", "Not valid {encoding} at byte {byte}.",
        "Mở tệp bằng Excel và lưu lại thành CSV UTF-8 (Comma delimited) hoặc .xlsx, rồi gửi lại.",
        "Open it in Excel and save it as CSV UTF-8 (Comma delimited) or .xlsx, then send it again.",
    ),
    "nul_bytes": (
        "Tệp bắt đầu bằng {count} byte NUL, không phải văn bản.", "The file starts with {count} NUL bytes, not text.",
        "Mở tệp bằng Excel và lưu lại thành CSV UTF-8 (Comma delimited) hoặc .xlsx, rồi gửi lại.",
        "Open it in Excel and save it as CSV UTF-8 (Comma delimited) or .xlsx, then send it again.",
    ),
    "control_character": (
        "Ô có ký tự điều khiển không in được ({chars}).", "The cell holds a non-printing control character ({chars}).",
        "Gõ lại nội dung ô này.", "Type the cell again.",
    ),
    "sheet_too_large": (
        "Trang tính “{sheet}” quá lớn: ô có dữ liệu hoặc định dạng trải tới {last} ({cells} ô, tối đa {limit}).",
        "Sheet “{sheet}” is too large: cells with data or formatting reach {last} ({cells} cells, at most {limit}).",
        "Xóa các ô thừa ngoài bảng (Ctrl+End chỉ ô cuối cùng) hoặc tách thành nhiều tệp, mỗi tệp tối đa {rows} dòng.",
        "Delete stray cells outside the table (Ctrl+End shows the last one) or split the file, at most {rows} rows "
        "each.",
    ),
    "text_too_long": (
        "“{sheet}” có một đoạn chữ dài hơn {limit} nghìn byte, không ô nào của báo cáo dài như vậy.",
        "“{sheet}” holds a text longer than {limit} thousand bytes; no cell of a report is that long.",
        "Xóa nội dung thừa (Excel cho mỗi ô tối đa 32.767 ký tự) rồi lưu lại.",
        "Delete the stray text (Excel allows 32,767 characters a cell) and save again.",
    ),
    "sheet_text_too_large": (
        "Các ô của “{sheet}” cộng lại có hơn {limit} MB chữ (một đoạn chữ dùng chung được tính ở mỗi ô hiện nó).",
        "The cells of “{sheet}” add up to more than {limit} MB of text (a shared text counts in every cell "
        "showing it).",
        "Xóa các ô chữ thừa (thường là một ghi chú dài được chép xuống cả cột) rồi lưu lại.",
        "Delete the stray text cells (often one long note copied down a whole column) and save again.",
    ),
    "error_cell": (
        "Ô {cell} của trang tính “{sheet}” chứa lỗi Excel (như #N/A, #DIV/0!), sẽ bị đọc thành ô trống.",
        "Cell {cell} of sheet “{sheet}” holds an Excel error (such as #N/A, #DIV/0!), which would read as empty.",
        "Sửa công thức hoặc thay ô bằng giá trị đúng (Dán đặc biệt → Giá trị), rồi lưu và nạp lại.",
        "Fix the formula or replace the cell by its right value (Paste Special → Values), save and load again.",
    ),
    "formula_without_value": (
        "Ô {cell} của trang tính “{sheet}” có công thức nhưng không lưu kết quả (tệp không do Excel lưu), sẽ bị "
        "đọc thành ô trống.",
        "Cell {cell} of sheet “{sheet}” holds a formula without its result (the file was not saved by Excel), "
        "which would read as empty.",
        "Mở tệp bằng Excel hoặc LibreOffice, lưu lại thành .xlsx (công thức được tính), rồi nạp lại.",
        "Open it in Excel or LibreOffice and save it again as .xlsx (the formulas get their results), then load it.",
    ),
    "unreferenced_cells": (
        "Trang tính “{sheet}” có ô không ghi địa chỉ (tệp không do Excel lưu).",
        "Sheet “{sheet}” has cells without a reference (the file was not saved by Excel).",
        "Mở tệp bằng Excel hoặc LibreOffice và lưu lại thành .xlsx.", "Open it in Excel or LibreOffice and save it "
        "again as .xlsx.",
    ),
    "too_many_columns": (
        "Dòng có {count} ô, nhiều hơn Excel cho phép ({limit}).", "The row has {count} cells, more than Excel allows "
        "({limit}).",
        "Mở tệp bằng Excel, kiểm tra dấu phân cách rồi lưu lại thành CSV UTF-8 hoặc .xlsx.",
        "Open it in Excel, check the separators and save it as CSV UTF-8 or .xlsx.",
    ),
    "too_many_rows": (
        "Tệp có hơn {limit} dòng số liệu.", "The file has more than {limit} data rows.",
        "Tách thành nhiều tệp, mỗi tệp tối đa {limit} dòng (ví dụ theo đơn vị hoặc theo năm).",
        "Split it into files of at most {limit} rows each (e.g. by unit or by year).",
    ),
    "sheets_ambiguous": (
        "Nhiều trang tính đang hiện có dòng tiêu đề của mẫu báo cáo: {sheets_vi}.",
        "Several visible sheets hold a report template's header row: {sheets_en}.",
        "Để lại đúng một trang số liệu (xóa hoặc ẩn các trang kia), hoặc gửi mỗi trang thành một tệp.",
        "Keep exactly one data sheet (delete or hide the others), or send each sheet as its own file.",
    ),
    "only_hidden_header": (
        "Dòng tiêu đề mẫu chỉ có ở trang tính đang ẩn: {hidden} (trang đang hiện: {visible}).",
        "Only hidden sheets hold a template header: {hidden} (visible sheets: {visible}).",
        "Bỏ ẩn trang số liệu (chuột phải vào tên trang → Bỏ ẩn), xóa hoặc ẩn các trang kia, rồi gửi lại.",
        "Unhide the data sheet (right-click a sheet tab → Unhide), delete or hide the others, and send it again.",
    ),
    "hidden_sheet_ignored": (
        "Đã đọc trang “{used}”; bỏ qua trang ẩn “{sheet}” (cũng có dòng tiêu đề mẫu).",
        "Read sheet “{used}”; hidden sheet “{sheet}” (which also holds a template header) was ignored.",
        "Không cần sửa nếu đã đọc đúng trang.", "Nothing to do if the right sheet was read.",
    ),
    "hidden_rows": (
        "{count} dòng số liệu đang ẩn trong Excel (ẩn hoặc bị lọc) vẫn được đọc như các dòng khác (dòng {rows}).",
        "{count} data rows hidden in Excel (hidden or filtered out) are read like the others (rows {rows}).",
        "Không cần sửa nếu các dòng này cần nạp; nếu không, xóa hẳn các dòng đó khỏi tệp (ẩn hay lọc là chưa đủ) "
        "rồi kiểm tra lại.",
        "Nothing to do if they belong in the load; if not, delete those rows from the file (hiding or filtering "
        "them is not enough) and check again.",
    ),
    "hidden_column": (
        "Cột {column} đang ẩn trong Excel nhưng có số liệu: số liệu của cột vẫn được đọc như các cột khác.",
        "Column {column} is hidden in Excel but holds data: it is read like the other columns.",
        "Không cần sửa nếu số liệu cột này cần nạp; nếu không, xóa số liệu trong cột (ẩn cột là chưa đủ) rồi kiểm "
        "tra lại.",
        "Nothing to do if its data belongs in the load; if not, clear the column's values (hiding the column is not "
        "enough) and check again.",
    ),
    "no_header_in_sheets": (
        "Không trang tính nào đang hiện có dòng tiêu đề của mẫu báo cáo trong {rows} dòng đầu (đã xem: {sheets}).",
        "No visible sheet has the header row of a report template in its first {rows} rows (looked at: {sheets}).",
        "Dùng tệp mẫu, giữ nguyên dòng tiêu đề trong {rows} dòng đầu; cần có các cột: {columns}.",
        "Use a template and keep its header row within the first {rows} rows; these columns are needed: {columns}.",
    ),
    "merged_header": (
        "Các ô tiêu đề {cells} được gộp (merge) nên không biết tên từng cột.",
        "Header cells {cells} are merged, so the columns' names are unknown.",
        "Bỏ gộp ô và ghi tên đầy đủ của từng cột như tệp mẫu (ví dụ “Ngày kết nạp”).",
        "Unmerge the cells and give each column its full header as in the template (e.g. “Date admitted”).",
    ),
    "merged_data": (
        "Các ô {cells} được gộp (merge): chỉ ô đầu có giá trị, các ô còn lại sẽ bị đọc thành ô trống.",
        "Cells {cells} are merged: only the first holds the value, the others would read as empty.",
        "Bỏ gộp ô (Merge & Center) rồi ghi giá trị vào từng ô (chọn vùng, Ctrl+D), lưu và nạp lại.",
        "Unmerge them (Merge & Center) and write the value in every cell (select the range, Ctrl+D), save and load "
        "again.",
    ),
    "unlabelled_data": (
        "Cột {cells} có số liệu dưới tiêu đề trống hoặc không rõ, trong khi thiếu cột {missing_vi}.",
        "Columns {cells} hold data under an empty or unknown header while {missing_en} is missing.",
        "Ghi tên đầy đủ của từng cột vào dòng tiêu đề như tệp mẫu.", "Write each column's full header as in the "
        "template.",
    ),
    "no_header": (
        "Không tìm thấy dòng tiêu đề của mẫu báo cáo nào trong {rows} dòng đầu.",
        "No header row of any report template was found in the first {rows} rows.",
        "Dùng tệp mẫu, giữ nguyên dòng tiêu đề trong {rows} dòng đầu; cần có các cột: {columns}.",
        "Use a template and keep its header row within the first {rows} rows; these columns are needed: {columns}.",
    ),
    "missing_column": (
        "Thiếu cột bắt buộc “{column_vi}”.", "Required column “{column_en}” is missing.",
        "Thêm cột này (xem tệp mẫu).", "Add this column (see the template).",
    ),
    "duplicate_column": (
        "Cột “{column_vi}” xuất hiện hai lần.", "Column “{column_en}” appears twice.",
        "Xóa một trong hai cột.", "Delete one of the two columns.",
    ),
    "ignored_column": (
        "Cột không có trong mẫu, bỏ qua.", "Column not in the template, ignored.",
        "Không cần sửa nếu cột này không chứa số liệu cần nạp.", "Nothing to do unless it holds data to load.",
    ),
    "no_rows": (
        "Tệp không có dòng số liệu nào.", "The file has no data rows.",
        "Nhập số liệu từ dòng ngay dưới tiêu đề.", "Type the data in the rows below the header.",
    ),
    "required": (
        "Ô bắt buộc đang trống.", "This cell is required but empty.",
        "Điền giá trị vào ô này.", "Fill in this cell.",
    ),
    "bad_date": (
        "Không phải ngày hợp lệ.", "Not a valid date.",
        "Ghi ngày theo dạng ngày/tháng/năm, ví dụ 05/01/2022 (không ghi tháng trước ngày).",
        "Write the date day/month/year, e.g. 05/01/2022 (never month first).",
    ),
    "future_date": (
        "Ngày ở tương lai (sau {today}).", "The date is in the future (after {today}).",
        "Kiểm tra lại năm, tháng, ngày (năm viết 2 chữ số được đọc là 20yy: ghi đủ 4 chữ số).",
        "Check the year, month and day (a 2-digit year reads as 20yy: write all 4 digits).",
    ),
    "old_date": (
        "Ngày quá xa trong quá khứ (trước {earliest}).", "The date is too far in the past (before {earliest}).",
        "Kiểm tra lại năm (ghi đủ 4 chữ số).", "Check the year (write all 4 digits).",
    ),
    "date_order": (
        "Ngày “{stage_vi}” sớm hơn ngày “{previous_vi}”.", "“{stage_en}” is earlier than “{previous_en}”.",
        "Các bước phải theo thứ tự: giới thiệu ≤ học lớp ≤ kết nạp ≤ chính thức.",
        "The stages must be in order: referred ≤ trained ≤ admitted ≤ official.",
    ),
    "stage_gap": (
        "Có ngày “{stage_vi}” nhưng thiếu ngày “{previous_vi}”.", "“{stage_en}” is given but “{previous_en}” is not.",
        "Điền ngày của bước trước.", "Fill in the date of the earlier stage.",
    ),
    "too_soon": (
        "“{stage_vi}” chưa đủ {days} ngày sau “{previous_vi}”.",
        "“{stage_en}” less than {days} days after “{previous_en}”.",
        "Kiểm tra lại hai ngày này (vẫn nạp được).", "Check both dates (the row can still be loaded).",
    ),
    "month_first": (
        "Cột này có ngày ghi tháng trước ({example}), nên ngày này đọc được hai cách (tháng/ngày hoặc ngày/tháng).",
        "This column has dates written month first ({example}), so this one reads two ways (month/day or "
        "day/month).",
        "Ghi mọi ngày của cột theo dạng ngày/tháng/năm (dd/mm/yyyy) hoặc yyyy-mm-dd, rồi nạp lại.",
        "Write every date of the column as day/month/year (dd/mm/yyyy) or yyyy-mm-dd, then load again.",
    ),
    "bad_number": (
        f"Không phải số nguyên từ 0 đến {MAX_COUNT:,}.".replace(",", "."),
        f"Not a whole number from 0 to {MAX_COUNT:,}.",
        "Ghi số nguyên, có thể dùng dấu chấm ngăn cách hàng nghìn, ví dụ 1.234.",
        "Write a whole number; '.' may separate thousands, e.g. 1.234.",
    ),
    "members_over_workers": (
        "Số đoàn viên lớn hơn số lao động ({workers}).", "More union members than workers ({workers}).",
        "Kiểm tra hai cột có bị đổi chỗ không (vẫn nạp được).", "Check the two columns are not swapped (the row "
        "can still be loaded).",
    ),
    "bad_year": (
        "Năm không hợp lệ.", "Not a valid year.",
        "Ghi năm đủ 4 chữ số, ví dụ 1990.", "Write the year with 4 digits, e.g. 1990.",
    ),
    "implausible_age": (
        "Tuổi khi được giới thiệu là {age}, không hợp lý.", "The age at referral would be {age}, which is implausible.",
        "Kiểm tra lại năm sinh.", "Check the birth year.",
    ),
    "unknown_district": (
        "Không nhận ra đơn vị hành chính này.", "Unknown administrative unit.",
        "Ghi đúng tên hoặc mã đơn vị, ví dụ: {examples}.", "Write a known unit's name or code, e.g. {examples}.",
    ),
    "unit_not_valid": (
        "Đơn vị này không tồn tại vào {on}; các đơn vị hợp lệ khi đó: {valid_vi}.",
        "This unit did not exist on {on}; units valid then: {valid_en}.",
        "Ghi đơn vị có hiệu lực vào ngày đó (huyện trước khi bỏ cấp huyện, phường, xã sau đó), hoặc kiểm tra lại ngày.",
        "Write a unit valid on that date (a district before district level was abolished, a ward or commune "
        "after), or check the date.",
    ),
    "ambiguous_unit": (
        "Nhiều đơn vị cùng tên này cùng có hiệu lực: {units_vi}.", "Several units of this name were valid: {units_en}.",
        "Ghi kèm loại đơn vị (Phường, Xã, TP., Huyện) hoặc mã đơn vị.",
        "Write the unit's kind in front (Phường, Xã, TP., Huyện) or its code.",
    ),
    "unit_read_as": (
        "Đọc là {read_vi} (đơn vị có hiệu lực {on}); cùng tên này còn có: {others_vi}.",
        "Read as {read_en} (the unit valid on {on}); this name also means: {others_en}.",
        "Không cần sửa nếu đúng; nếu không, ghi kèm loại đơn vị (Phường, Xã, TP., Huyện) hoặc mã.",
        "Nothing to do if right; otherwise write the unit's kind (Phường, Xã, TP., Huyện) or its code.",
    ),
    "unit_unmapped": (
        "Đơn vị {unit} chưa có trong bảng chuyển đổi sang huyện cũ.",
        "Unit {unit} is not in the crosswalk to the former districts.",
        "Nạp bảng chuyển đổi (crosswalk) có đơn vị này trước, rồi nạp lại tệp.",
        "Load a crosswalk that maps this unit first, then load the file again.",
    ),
    "unit_overlap": (
        "Mã {code} có hai dòng hiệu lực chồng nhau ({first} và {second}).",
        "Code {code} has two rows whose validity overlaps ({first} and {second}).",
        "Sửa ngày hiệu lực để dòng sau bắt đầu sau ngày kết thúc của dòng trước.",
        "Correct the dates so that the later row starts after the earlier one ends.",
    ),
    "unknown_parent": (
        "Đơn vị cấp trên {parent} của {code} không có trong danh sách đơn vị.",
        "The parent {parent} of {code} is not in the list of units.",
        "Thêm đơn vị cấp trên vào danh sách, hoặc sửa mã.", "Add the parent unit to the list, or correct the code.",
    ),
    "crosswalk_unmapped": (
        "Phường, xã {code} không được quy về huyện cũ nào trong bảng chuyển đổi.",
        "Ward or commune {code} is not mapped to any former district in the crosswalk.",
        "Thêm dòng cho đơn vị này vào bảng chuyển đổi (một huyện cũ chính).",
        "Add a row for this unit to the crosswalk (one main former district).",
    ),
    "crosswalk_main": (
        "Đơn vị {code} có {count} huyện cũ chính trong bảng chuyển đổi (cần đúng 1).",
        "Unit {code} has {count} main former districts in the crosswalk (exactly 1 is needed).",
        "Đánh dấu đúng một huyện chính cho đơn vị này.", "Mark exactly one main district for this unit.",
    ),
    "crosswalk_not_district": (
        "{code} trong cột huyện cũ không phải là huyện, thị xã, thành phố trong danh sách đơn vị.",
        "{code} in the former-district column is not a district-level unit in the list of units.",
        "Ghi mã huyện cũ (ví dụ 724).", "Write a former district's code (e.g. 724).",
    ),
    "crosswalk_unknown_unit": (
        "{code} không phải là phường, xã trong danh sách đơn vị.",
        "{code} is not a ward or commune in the list of units.",
        "Nạp danh sách đơn vị có mã này trước, hoặc sửa mã.", "Load a list of units with this code first, or fix it.",
    ),
    "unknown_unit_type": (
        "Loại đơn vị không hợp lệ.", "Unknown kind of unit.",
        "Ghi một trong: {examples}.", "Write one of: {examples}.",
    ),
    "unknown_event_kind": (
        "Loại sự kiện không hợp lệ.", "Unknown kind of event.",
        "Ghi một trong: hội nghị, lễ kết nạp, tết, giãn cách, sắp xếp, khác ({examples}).",
        "Write one of: {examples}.",
    ),
    "unknown_level": (
        "Cấp đơn vị không hợp lệ.", "Unknown level.",
        "Ghi một trong: tỉnh, huyện, xã, KCN.", "Write one of: province, district, commune, zone_union.",
    ),
    "unknown_sector": (
        "Không nhận ra khu vực doanh nghiệp.", "Unknown enterprise sector.",
        "Ghi một trong: {examples}.", "Write one of: {examples}.",
    ),
    "unknown_gender": (
        "Không nhận ra giới tính.", "Unknown gender.", "Ghi Nam hoặc Nữ.", "Write Nam (male) or Nữ (female).",
    ),
    "unknown_union": (
        "Không có công đoàn cơ sở này trong danh sách.", "This grassroots union is not in the list.",
        "Ghi mã CĐCS (ví dụ CD0001) hoặc tên đúng như trong danh sách công đoàn cơ sở.",
        "Write the union id (e.g. CD0001) or its name exactly as in the union list.",
    ),
    "ambiguous_union": (
        "Nhiều công đoàn cơ sở có cùng tên này.", "Several grassroots unions have this name.",
        "Ghi mã CĐCS thay cho tên.", "Write the union id instead of the name.",
    ),
    "union_district": (
        "CĐCS này thuộc {expected} vào ngày đó, không thuộc đơn vị đã ghi.",
        "On that date this union belongs to {expected}, not to this unit.",
        "Sửa đơn vị hoặc CĐCS; nếu CĐCS đã chuyển đơn vị, nạp danh sách CĐCS mới (có ngày hiệu lực) trước.",
        "Correct the unit or the union; if the union moved, load the new union list (with its date) first.",
    ),
    "union_sector": (
        "CĐCS này thuộc khu vực {expected}.", "This union is in the {expected} sector.",
        "Sửa khu vực hoặc để trống.", "Correct the sector or leave it empty.",
    ),
    "id_true_false": (
        "Ô mã là giá trị đúng/sai của Excel (TRUE/FALSE), không phải mã hay họ tên.",
        "The id cell holds an Excel true/false value (TRUE/FALSE), not an id or a name.",
        "Nhập mã hoặc họ tên đoàn viên vào ô này (định dạng cột là Văn bản), rồi lưu và nạp lại.",
        "Type the member's id or name in this cell (with the column formatted as Text), save and load again.",
    ),
    "id_scientific": (
        "Mã đã bị Excel rút gọn thành dạng khoa học (như 1,23457E+11): mất chữ số, không nhận diện được người.",
        "Excel shortened this id to scientific notation (like 1.23457E+11): its digits are lost, so the person "
        "cannot be matched.",
        "Trong Excel, định dạng cột mã là Văn bản (Text), nhập lại hoặc dán lại mã đầy đủ, rồi lưu và nạp lại.",
        "In Excel, format the id column as Text, type or paste the full ids again, save and load again.",
    ),
    "leading_zeros": (
        "Mã toàn chữ số: bỏ qua các số 0 ở đầu khi nhận diện người (0012345 và 12345 là một người).",
        "An id of digits only: its leading zeros are ignored when matching people (0012345 and 12345 are one).",
        "Không cần sửa; nếu đây là hai người khác nhau, dùng mã có chữ.",
        "Nothing to do; if they are different people, use ids with letters.",
    ),
    "duplicate_in_file": (
        "Trùng với dòng {other} trong tệp.", "Duplicates row {other} of this file.",
        "Xóa một dòng, hoặc phân biệt hai người (ví dụ ghi mã đoàn viên).",
        "Delete one row, or tell the two apart (e.g. use the member id).",
    ),
    "duplicate_in_curated": (
        "Người này đã có trong số liệu của {district} năm {year} (một báo cáo khác).",
        "This person is already in the data, reported for {district} in {year} (another report).",
        "Xóa dòng này, hoặc sửa và gửi lại báo cáo của {district} năm {year}.",
        "Delete this row, or correct and resend the {district} {year} report instead.",
    ),
    "stage_column_absent": (
        "Báo cáo không có cột “{column_vi}”, mà {rows} dòng đã nạp cho {scope} có ngày ở cột đó: nạp sẽ xóa các "
        "ngày này.",
        "The report has no “{column_en}” column, while {rows} rows loaded earlier for {scope} have dates in it: "
        "loading would erase them.",
        "Thêm cột “{column_vi}” với ngày của từng người (như tệp mẫu), rồi nạp lại.",
        "Add the “{column_en}” column with each person's date (as in the template), then load again.",
    ),
    "replaces": (
        "Báo cáo này thay thế {rows} dòng đã nạp trước cho {scope}.",
        "This report replaces {rows} rows loaded earlier for {scope}.",
        "Không cần sửa nếu đây là bản sửa đổi đầy đủ.", "Nothing to do if this is the complete corrected report.",
    ),
    "no_candidates": (
        "Số liệu thật thay thế dữ liệu mẫu nên lần nạp đầu tiên phải có danh sách đoàn viên được giới thiệu.",
        "Real data replaces the sample, so the first load must include a register of referred members.",
        "Nạp kèm tệp danh sách (register) trong cùng lần nạp.", "Load a register file together with this one.",
    ),
    "more_problems": (
        "Chỉ liệt kê {shown} vấn đề đầu tiên của tệp; còn {more} vấn đề nữa không liệt kê.",
        "Only the file's first {shown} problems are listed; {more} more are not.",
        "Sửa các lỗi đã liệt kê (thường lặp lại ở các dòng sau) rồi kiểm tra lại; các dòng dưới đếm từng loại.",
        "Fix those listed (they usually repeat further down) and check again; the rows below count each kind.",
    ),
    "problem_count": (
        "Tổng cộng {count} lần: {message_vi}", "{count} times in all: {message_en}",
        "Xem các dòng đã liệt kê ở trên.", "See the rows listed above.",
    ),
    "already_loaded": (
        "Nội dung tệp này (lô {batch}) đã có trong số liệu; không thay đổi gì.",
        "The content of this file (batch {batch}) is already in the data; nothing changes.",
        "Không cần làm gì.", "Nothing to do.",
    ),
}


@dataclass(frozen=True)
class Problem:
    """One problem. ``row`` is the row number Excel shows (None for the whole file); ``column`` the header."""

    code: str
    severity: str = ERROR
    row: int | None = None
    column: str = ""
    value: str = ""
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def text(self, part: int) -> str:
        return MESSAGES[self.code][part].format(**self.params)


REPORT_COLUMNS = {
    "file": "Tệp / File",
    "row": "Dòng / Row",
    "column": "Cột / Column",
    "value": "Giá trị / Value",
    "severity": "Mức / Severity",
    "message_vi": "Vấn đề",
    "message_en": "Problem",
    "fix_vi": "Cách sửa",
    "fix_en": "How to fix",
}
_SEVERITY = {ERROR: "Lỗi / Error", WARNING: "Lưu ý / Warning"}


def number(count: int) -> str:
    """A count as the reports write it in both languages: "." between thousands (200.000)."""
    return f"{count:,}".replace(",", ".")


class Problems(list):
    """The problems of one file: the first :data:`MAX_PROBLEMS` kept (this list), the others only counted by
    code and severity, with the rows of the errors among them (to count rejected rows)."""

    def __init__(self, problems: Iterable[Problem] = ()):
        super().__init__()
        self.omitted: Counter[tuple[str, str]] = Counter()
        self.omitted_error_rows: set[int] = set()
        self.first: dict[str, Problem] = {}  # the first problem of each code, worded in the counts
        self.extend(problems)

    def append(self, problem: Problem) -> None:
        self.first.setdefault(problem.code, problem)
        if len(self) < MAX_PROBLEMS:
            super().append(problem)
            return
        self.omitted[problem.code, problem.severity] += 1
        if problem.severity == ERROR and problem.row:
            self.omitted_error_rows.add(problem.row)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)
        if isinstance(problems, Problems):
            self.omitted.update(problems.omitted)
            self.omitted_error_rows |= problems.omitted_error_rows
            for code, problem in problems.first.items():
                self.first.setdefault(code, problem)

    def __iadd__(self, problems: Iterable[Problem]) -> Problems:
        self.extend(problems)
        return self

    def has_errors(self) -> bool:
        return any(p.severity == ERROR for p in self) or any(s == ERROR for _, s in self.omitted)

    def error_rows(self) -> set[int]:
        """The rows with at least one error (listed or not)."""
        return {p.row for p in self if p.severity == ERROR and p.row} | self.omitted_error_rows

    def summary(self) -> list[Problem]:
        """When some were left out: how many, then how many of each kind there are in all (worded as the first
        of that kind)."""
        if not self.omitted:
            return []
        counts = Counter((p.code, p.severity) for p in self) + self.omitted
        severity = ERROR if self.has_errors() else WARNING
        lines = [Problem("more_problems", severity, params={"shown": number(len(self)),
                                                             "more": number(self.omitted.total())})]
        for (code, kind), count in sorted(counts.items(), key=lambda item: (item[0][1] != ERROR, -item[1])):
            example = self.first[code]
            lines.append(Problem("problem_count", kind, params={"count": number(count), "message_vi": example.text(0),
                                                                "message_en": example.text(1)}))
        return lines


def report(problems: list[tuple[str, Problem]], summaries: list[tuple[str, Problem]] = ()) -> pd.DataFrame:
    """The problems report: one row per (file name, problem), errors first, then by file and row; then the
    ``summaries`` of files whose problems were not all listed."""
    ordered = sorted(problems, key=lambda item: (item[1].severity != ERROR, item[0], item[1].row or 0))
    ordered += list(summaries)
    rows = [
        (name, p.row, p.column, p.value, _SEVERITY[p.severity], p.text(0), p.text(1), p.text(2), p.text(3))
        for name, p in ordered
    ]
    frame = pd.DataFrame(rows, columns=list(REPORT_COLUMNS)).astype({"row": "Int64"})
    return frame.rename(columns=REPORT_COLUMNS)


def has_errors(problems: list[Problem]) -> bool:
    if isinstance(problems, Problems):
        return problems.has_errors()
    return any(p.severity == ERROR for p in problems)
