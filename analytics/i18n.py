"""Interface text in Vietnamese (first) and English. Labels of data live in :mod:`analytics.model`."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "app_title": {
        "vi": "Công đoàn tham gia phát triển đảng viên trong doanh nghiệp",
        "en": "Trade unions developing Party members in enterprises",
    },
    "sample_banner": {
        "vi": "Dữ liệu mẫu (tổng hợp, không phải số liệu thật). Số 9 tháng 2022 khớp số liệu đã công bố "
        "của tỉnh Bình Dương: 2.339 giới thiệu, 1.220 học lớp cảm tình Đảng, 251 kết nạp.",
        "en": "Sample data (synthetic, not real records). Jan–Sep 2022 matches Binh Duong's published "
        "figures: 2,339 referred, 1,220 attended the awareness class, 251 admitted.",
    },
    "data_as_of": {"vi": "Số liệu đến ngày {date}", "en": "Data up to {date}"},
    "sample_note": {"vi": "dữ liệu mẫu (tổng hợp, không phải số liệu thật)", "en": "sample data (synthetic, not real)"},
    "newer_data": {"vi": "Đã có số liệu mới hơn số liệu đang xem.", "en": "Newer data has been published."},
    "show_newer_data": {"vi": "Xem số liệu mới", "en": "Show the newer data"},
    "last_load": {"vi": "nạp lần cuối {when}", "en": "last loaded {when}"},
    "page_overview": {"vi": "Tổng quan", "en": "Overview"},
    "page_explore": {"vi": "Phân tích", "en": "Explore"},
    "page_data": {"vi": "Nạp số liệu", "en": "Load data"},
    "data_intro": {
        "vi": "Tải mẫu báo cáo, điền số liệu, tải lên để kiểm tra; chỉ khi không có lỗi mới nạp được. "
        "Mỗi lần nạp tạo một phiên bản số liệu mới, có thể quay lại phiên bản trước.",
        "en": "Download a template, fill it in, upload it to be checked; only a file without errors can be loaded. "
        "Each load creates a new version of the data, and an earlier version can be restored.",
    },
    "templates": {"vi": "Mẫu báo cáo", "en": "Report templates"},
    "upload": {"vi": "Tải lên báo cáo (CSV hoặc XLSX)", "en": "Upload reports (CSV or XLSX)"},
    "no_permission": {"vi": "Bạn không có quyền nạp số liệu.", "en": "You may not load data."},
    "check_result": {"vi": "Kết quả kiểm tra", "en": "Check result"},
    "no_problems": {"vi": "Không có vấn đề nào.", "en": "No problems found."},
    "refused": {"vi": "Có lỗi: chưa nạp gì. Sửa các dòng dưới đây rồi tải lên lại.",
                "en": "There are errors: nothing was loaded. Fix the rows below and upload again."},
    "download_problems": {"vi": "Tải danh sách vấn đề (CSV)", "en": "Download the problems (CSV)"},
    "confirm_load": {"vi": "Nạp vào số liệu", "en": "Load into the data"},
    "nothing_new": {"vi": "Không có gì mới để nạp.", "en": "Nothing new to load."},
    "loaded": {"vi": "Đã nạp: phiên bản {snapshot}.", "en": "Loaded: version {snapshot}."},
    "snapshots": {"vi": "Các phiên bản số liệu", "en": "Data versions"},
    "rollback": {"vi": "Quay lại phiên bản", "en": "Restore version"},
    "rolled_back": {"vi": "Đang dùng phiên bản {snapshot}.", "en": "Now using version {snapshot}."},
    "rollback_damaged": {"vi": "Phiên bản {snapshot} bị hỏng (thiếu hoặc hỏng tệp), không dùng lại được; phiên bản "
                               "đang dùng giữ nguyên. Chi tiết trong nhật ký máy chủ.",
                         "en": "Version {snapshot} is damaged (a file missing or cut short) and cannot be made "
                               "current; the current version stays. The server's log has the details."},
    "audit": {"vi": "Nhật ký nạp số liệu", "en": "Load log"},
    "col_file": {"vi": "Tệp", "en": "File"},
    "col_kind": {"vi": "Loại báo cáo", "en": "Report"},
    "col_status": {"vi": "Kết quả", "en": "Result"},
    "col_rows": {"vi": "Số dòng nạp được", "en": "Rows accepted"},
    "col_rejected": {"vi": "Số dòng lỗi", "en": "Rows with errors"},
    "col_version": {"vi": "Phiên bản", "en": "Version"},
    "col_current": {"vi": "Đang dùng", "en": "Current"},
    "col_source": {"vi": "Nguồn", "en": "Source"},
    "col_created": {"vi": "Thời điểm tạo (UTC)", "en": "Created (UTC)"},
    "col_batches": {"vi": "Số lô báo cáo", "en": "Report batches"},
    "status_loaded": {"vi": "nạp được", "en": "can be loaded"},
    "status_already_loaded": {"vi": "đã nạp trước đây", "en": "already loaded"},
    "status_refused": {"vi": "bị từ chối", "en": "refused"},
    "language": {"vi": "Ngôn ngữ", "en": "Language"},
    "period": {"vi": "Kỳ báo cáo", "en": "Reporting period"},
    "year": {"vi": "Năm", "en": "Year"},
    "month": {"vi": "Tháng", "en": "Month"},
    "quarter": {"vi": "Quý", "en": "Quarter"},
    "from_month": {"vi": "Từ tháng", "en": "From month"},
    "to_month": {"vi": "Đến tháng", "en": "To month"},
    "districts": {"vi": "Huyện, thị xã, thành phố", "en": "Districts"},
    "all_districts": {"vi": "Toàn địa bàn", "en": "Whole area"},
    "districts_help": {
        "vi": "Huyện, thị xã, thành phố cũ. Sau khi bỏ cấp huyện, số liệu của huyện cũ là tổng các phường, xã "
        "được quy về huyện đó theo bảng chuyển đổi.",
        "en": "Former districts. After district level was abolished, a former district's figures are the sum of "
        "the wards and communes the crosswalk maps to it.",
    },
    "whole_area": {"vi": "Toàn địa bàn", "en": "Whole area"},
    "units": {"vi": "Phường, xã (từ {date})", "en": "Wards and communes (from {date})"},
    "all_units": {"vi": "Tất cả", "en": "All"},
    "crosswalk_note": {
        "vi": "Từ {date} không còn cấp huyện: số liệu của huyện cũ là tổng của các phường, xã được quy về huyện "
        "đó theo bảng chuyển đổi ({parts}).",
        "en": "District level ended on {date}: from then on a former district's figures are the sum of the wards "
        "and communes the crosswalk maps to it ({parts}).",
    },
    "crosswalk_part": {"vi": "{district}: {units}", "en": "{district}: {units}"},
    "reform_marker": {"vi": "{date}: bỏ cấp huyện, sắp xếp lại đơn vị hành chính",
                      "en": "{date}: district level abolished, units reorganised"},
    "sectors": {"vi": "Khu vực doanh nghiệp", "en": "Enterprise sectors"},
    "all_sectors": {"vi": "Mọi khu vực", "en": "All sectors"},
    "mode": {"vi": "Cách đếm", "en": "Counting"},
    "window_days": {"vi": "Chỉ tính trong số ngày sau giới thiệu", "en": "Only within days of referral"},
    "chip_district": {"vi": "Huyện: {name}", "en": "District: {name}"},
    "chip_unit": {"vi": "Đơn vị: {name}", "en": "Unit: {name}"},
    "chip_sector": {"vi": "Khu vực: {name}", "en": "Sector: {name}"},
    "chip_period": {"vi": "Kỳ: {period}", "en": "Period: {period}"},
    "chip_remove": {"vi": "Bỏ lọc này", "en": "Remove this filter"},
    "link_bad_month": {
        "vi": "Liên kết có “{name}={value}” không phải là tháng (viết dạng NNNN-TT, ví dụ 2022-09); đã bỏ qua.",
        "en": "The link's “{name}={value}” is not a month (write YYYY-MM, e.g. 2022-09); it was left out.",
    },
    "link_swapped": {"vi": "Trong liên kết, tháng bắt đầu {start} sau tháng kết thúc {end}; đã đổi chỗ hai tháng.",
                     "en": "The link's first month {start} is after its last month {end}; they were swapped."},
    "link_no_data": {"vi": "Không có số liệu cho {asked}; đang hiển thị {shown}.",
                     "en": "There are no figures for {asked}; showing {shown}."},
    "link_cut": {"vi": "Chỉ có số liệu cho một phần của khoảng {asked}; đang hiển thị {shown}.",
                 "en": "There are figures for only part of {asked}; showing {shown}."},
    "link_unknown_codes": {
        "vi": "Liên kết có mã {what} không dùng được: {codes} (đã bỏ qua); dùng các mã như {examples}.",
        "en": "The link has {what} codes that cannot be used: {codes} (left out); use codes such as {examples}.",
    },
    "link_bad_mode": {"vi": "Liên kết có cách đếm “{value}” không có; đang dùng cách đếm “{shown}”.",
                      "en": "The link's counting “{value}” does not exist; counting by “{shown}”."},
    "link_bad_window": {"vi": "Số ngày “{value}” trong liên kết không phải là số nguyên từ 0 đến {most}; đã bỏ qua.",
                        "en": "The link's number of days “{value}” is not a whole number from 0 to {most}; it was left "
                              "out."},
    "vs_last_year": {"vi": "so với cùng kỳ", "en": "vs same period last year"},
    "no_comparison": {"vi": "chưa có số cùng kỳ", "en": "no figure last year"},
    "vs_previous": {"vi": "so với kỳ trước", "en": "vs previous period"},
    "compare_with": {"vi": "So sánh với", "en": "Compare with"},
    "compare_none": {"vi": "Không so sánh", "en": "No comparison"},
    "compare_last-year": {"vi": "Cùng kỳ năm trước", "en": "Same period last year"},
    "compare_previous": {"vi": "Kỳ trước liền kề", "en": "Previous equal period"},
    "compared_months": {"vi": "So sánh {months} tháng có số liệu: {period} với {baseline}.",
                        "en": "Comparing the {months} months with data: {period} with {baseline}."},
    "not_compared_maturing": {"vi": "chưa so sánh: lứa còn mới", "en": "not compared: still maturing"},
    "sentence_period": {"vi": "{period}{place}, {clauses}.", "en": "In {period}{place}, {clauses}."},
    "sentence_cohort": {"vi": "Trong số {referred} trong {period}{place}, {clauses}.",
                        "en": "Of the {referred} in {period}{place}, {clauses}."},
    "sentence_place": {"vi": ", tại {place}", "en": ", in {place}"},
    "non_state_clause": {"vi": ", trong đó {n} ở doanh nghiệp ngoài khu vực nhà nước",
                         "en": ", {n} of them in non-state enterprises"},
    "data_until": {"vi": " (số liệu đến ngày {date})", "en": " (data up to {date})"},
    "chart_pace": {"vi": "Tiến độ chỉ tiêu năm {year} đến {date}",
                   "en": "Progress to the {year} targets by {date}"},
    "pace_text": {"vi": "{actual}/{target} · {status}, {gap} người",
                  "en": "{actual}/{target} · {status}, {gap} people"},
    "pace_so_far": {"vi": "Đã đạt (so với chỉ tiêu)", "en": "So far (of the target)"},
    "pace_expected": {"vi": "Mức cần đạt theo tiến độ các năm trước", "en": "Where the usual pace would be"},
    "pace_projection": {"vi": "Dự báo cả năm (khoảng 95%)", "en": "Year-end projection (95% interval)"},
    "status_on_track": {"vi": "đúng tiến độ", "en": "on track"},
    "status_at_risk": {"vi": "có nguy cơ chậm", "en": "at risk"},
    "status_behind": {"vi": "chậm tiến độ", "en": "behind"},
    "status_no_target": {"vi": "chưa có chỉ tiêu", "en": "no target"},
    "status_hidden": {"vi": "ẩn (x)", "en": "hidden (x)"},
    "audience": {"vi": "Số liệu dành cho", "en": "Numbers for"},
    "audience_all": {"vi": "Người được xem mọi số liệu", "en": "Those cleared for every number"},
    "audience_help": {
        "vi": "Trình chiếu hoặc gửi ra ngoài cấp ủy: chọn đối tượng xem. Số nhỏ bị ẩn, cùng mọi số có thể dùng để "
              "suy ra chúng (kể cả bằng cách trừ hai kỳ hoặc trừ các huyện khỏi toàn tỉnh); chỉ tính theo kỳ.",
        "en": "Presenting or sending outside the committee: choose who will see it. Small counts are hidden, and so "
              "is every count that would let one be worked out (by subtracting two periods, or the other districts "
              "from the province); period counting only.",
    },
    "hidden_legend": {"vi": "x: số được ẩn (dưới {threshold}, hoặc có thể làm lộ một số dưới {threshold})",
                      "en": "x: hidden (under {threshold}, or would reveal a count under {threshold})"},
    "mode_period_only": {
        "vi": "Số liệu cho đối tượng này chỉ tính theo kỳ.",
        "en": "Numbers for this audience are counted by period only.",
    },
    "pace_card": {"vi": "{status}: cần {expected} đến {date}", "en": "{status}: {expected} expected by {date}"},
    "map_title": {"vi": "Bản đồ các địa bàn", "en": "Map of the areas"},
    "map_measure": {"vi": "Tô màu theo", "en": "Colour by"},
    "map_level": {"vi": "Đơn vị", "en": "Units"},
    "map_units": {"vi": "Phường, xã", "en": "Wards and communes"},
    "map_districts": {"vi": "Huyện cũ", "en": "Former districts"},
    "map_area": {"vi": "Địa bàn", "en": "Area"},
    "map_pace": {"vi": "Tiến độ chỉ tiêu: {stage}", "en": "Pace of the target: {stage}"},
    "map_change": {"vi": "{stage}: thay đổi so với cùng kỳ", "en": "{stage}: change on the same period last year"},
    "map_note": {"vi": "Mỗi ô là một địa bàn, đặt theo vị trí địa lý. Di chuột lên một ô để xem tên và số liệu; "
                       "bấm vào để lọc trang theo địa bàn đó.",
                 "en": "Each tile is an area, placed by geography. Hover over a tile for its name and value; click it "
                       "to filter the page to it."},
    "map_note_units": {
        "vi": "Mỗi ô là một phường, xã, đặt trong khối của huyện cũ mà bảng chuyển đổi quy về (vị trí trong khối "
        "theo mã, chưa có tọa độ). Di chuột lên một ô để xem tên và số liệu; bấm vào để lọc trang theo đơn vị đó.",
        "en": "Each tile is a ward or commune, placed in the block of the former district the crosswalk maps it "
        "to (by code within the block: no coordinates yet). Hover over a tile for its name and value; click it to "
        "filter the page to it.",
    },
    "trend_view": {"vi": "Diễn biến", "en": "Trend"},
    "trend_month": {"vi": "Tháng", "en": "Month"},
    "trend_quarter": {"vi": "Quý", "en": "Quarter"},
    "trend_year": {"vi": "Năm", "en": "Year"},
    "trend_cumulative": {"vi": "Lũy kế từ đầu năm", "en": "Year to date"},
    "chart_trend_by": {"vi": "Diễn biến theo", "en": "Trend by"},
    "chart_cumulative": {"vi": "{stage}: lũy kế từ đầu năm so với năm trước và chỉ tiêu",
                         "en": "{stage}: year to date against last year and the target"},
    "stage": {"vi": "Bước", "en": "Stage"},
    "this_year": {"vi": "Năm {year}", "en": "{year}"},
    "last_year": {"vi": "Năm {year}", "en": "{year}"},
    "target_line": {"vi": "Chỉ tiêu năm: {target}", "en": "Yearly target: {target}"},
    "coverage_title": {"vi": "Tình trạng số liệu: địa bàn × tháng", "en": "Data status: area × month"},
    "coverage_heading": {"vi": "Tình trạng số liệu", "en": "Data status"},
    "coverage_missing": {"vi": "Chưa có số liệu tháng {month}: {areas}.", "en": "No data yet for {month}: {areas}."},
    "coverage_complete": {"vi": "Mọi địa bàn đều có số liệu tháng {month}.",
                          "en": "Every area has data for {month}."},
    "funnel_sentence_period": {
        "vi": "{stage} trong kỳ chỉ bằng {ratio} {previous} cùng kỳ: khoảng cách lớn nhất giữa hai bước.",
        "en": "{stage} in the period were only {ratio} of the period's {previous}: the widest gap between two steps.",
    },
    "funnel_sentence_cohort": {
        "vi": "Bước mất nhiều người nhất là từ {previous} đến {stage}: {lost} trong số {of} người ({share}) chưa qua.",
        "en": "Most people are lost between {previous} and {stage}: {lost} of {of} ({share}) have not gone on.",
    },
    "funnel_sentence_none": {"vi": "Chưa có số liệu trong kỳ.", "en": "No data in the period yet."},
    "districts_sentence_rate": {
        "vi": "Giới thiệu nhiều nhất so với số đoàn viên: {first} ({first_value}); ít nhất: {last} ({last_value}).",
        "en": "Most referrals for their membership: {first} ({first_value}); fewest: {last} ({last_value}).",
    },
    "districts_sentence_count": {
        "vi": "Giới thiệu nhiều nhất: {first} ({first_value} người); ít nhất: {last} ({last_value}).",
        "en": "Most referrals: {first} ({first_value}); fewest: {last} ({last_value}).",
    },
    "districts_sentence_one": {"vi": "Một địa bàn.", "en": "One area."},
    "districts_sentence_shown": {"vi": "(Trong {shown} trên {total} địa bàn có số liệu hiển thị.)",
                                 "en": "(Among the {shown} of {total} areas with a value shown.)"},
    "pace_sentence": {"vi": "Đến {date}: {parts}.", "en": "By {date}: {parts}."},
    "pace_part": {"vi": "{stage} đạt {share} chỉ tiêu năm, {status}",
                  "en": "{stage} at {share} of its target, {status}"},
    "change_sentence": {
        "vi": "So với cùng kỳ năm trước{like}, {stage} thay đổi nhiều nhất: {change} (từ {before} thành {now}).",
        "en": "Against the same period last year{like}, {stage} changed most: {change} (from {before} to {now}).",
    },
    "change_sentence_none": {"vi": "Chưa có số cùng kỳ năm trước để so sánh.",
                             "en": "No figures for the same period last year to compare with."},
    "like_for_like": {"vi": " ({months} tháng có số liệu)", "en": " ({months} months with data)"},
    "partial_period": {"vi": " (số liệu đến {date})", "en": " (data up to {date})"},
    "chart_funnel": {"vi": "Phễu phát triển đảng viên", "en": "Party-development funnel"},
    "chart_districts": {"vi": "So sánh các huyện, thị xã, thành phố", "en": "Districts compared"},
    "largest_shown": {"vi": "{shown} đơn vị giới thiệu nhiều nhất trong {total}; đủ trong bảng bên dưới",
                      "en": "the {shown} with most referrals of {total}; all in the table below"},
    "chart_trend": {"vi": "Diễn biến theo tháng", "en": "Monthly trend"},
    "chart_leaks_period": {"vi": "Tỷ số giữa các bước trong kỳ", "en": "Ratios between the period's stages"},
    "chart_leaks_cohort": {"vi": "Tỷ lệ chuyển bước", "en": "Step conversion"},
    "leaks_charted": {
        "vi": "Biểu đồ vẽ {shown} nhóm trong số {total}: những nhóm lớn nhất có ít nhất {minimum} người ở mẫu số "
        "({denominator}); tỷ lệ của nhóm nhỏ hơn không đủ tin cậy để so sánh, vẫn có trong bảng.",
        "en": "The chart shows {shown} groups of {total}: the largest with at least {minimum} in the denominator "
        "({denominator}); rates of smaller groups are too uncertain to compare and stay in the table.",
    },
    "chart_headline": {"vi": "Kết quả chính", "en": "Headline figures"},
    "previous": {"vi": "Trước", "en": "Previous"},
    "next": {"vi": "Sau", "en": "Next"},
    "full_screen": {"vi": "Trình chiếu toàn màn hình", "en": "Full screen"},
    "autoplay": {"vi": "Tự chuyển slide", "en": "Auto-advance"},
    "autoplay_every": {"vi": "mỗi {seconds} giây", "en": "every {seconds} s"},
    "autoplay_off": {"vi": "Không", "en": "Off"},
    "slide_keys": {
        "vi": "→, PageDown, phím cách: slide sau · ←, PageUp: slide trước · F: toàn màn hình trình duyệt · "
        "Esc: thoát chế độ trình chiếu",
        "en": "→, PageDown, space: next slide · ←, PageUp: previous · F: browser full screen · "
        "Esc: leave full screen",
    },
    "demo_label": {"vi": "Dữ liệu mẫu", "en": "Sample data"},
    "make_deck": {"vi": "Tạo bộ slide PowerPoint", "en": "Make the PowerPoint deck"},
    "download_deck": {"vi": "Tải bộ slide (.pptx)", "en": "Download the deck (.pptx)"},
    "definitions": {"vi": "Định nghĩa", "en": "Definitions"},
    "deck_hidden": {"vi": "Cột hoặc điểm để trống là số được ẩn (x), không phải số 0.",
                    "en": "An empty bar or point is a hidden count (x), not a zero."},
    "download_report": {"vi": "Tải báo cáo (.docx)", "en": "Download the report (.docx)"},
    "download_pictures": {"vi": "Tải hình các biểu đồ (PNG, .zip)", "en": "Download the charts (PNG, .zip)"},
    "report_totals": {"vi": "Kết quả các bước so với cùng kỳ năm trước",
                      "en": "The stages against the same period last year"},
    "report_period": {"vi": "Trong kỳ", "en": "This period"},
    "report_last_year": {"vi": "Cùng kỳ năm trước", "en": "Same period last year"},
    "report_change": {"vi": "Thay đổi", "en": "Change"},
    "report_compared": {"vi": "So sánh {months} tháng có số liệu với cùng các tháng năm trước.",
                        "en": "The {months} months with data are compared with the same months last year."},
    "report_target": {"vi": "Chỉ tiêu năm", "en": "Yearly target"},
    "report_actual": {"vi": "Đã đạt", "en": "So far"},
    "report_share": {"vi": "% chỉ tiêu năm", "en": "% of the target"},
    "report_projection": {"vi": "Dự báo cả năm", "en": "Year-end projection"},
    "report_interval": {"vi": "Khoảng dự báo 95%", "en": "95% interval"},
    "report_status": {"vi": "Tình trạng", "en": "Status"},
    "page_present": {"vi": "Trình chiếu", "en": "Present"},
    "count": {"vi": "Số người", "en": "People"},
    "immature": {
        "vi": "Lứa giới thiệu chưa đủ {days} ngày để chuyển đổi bình thường tính đến {date}: "
        "số học lớp và kết nạp còn tăng, đừng so như kết quả cuối cùng.",
        "en": "This cohort has had less than the normal {days} days to convert by {date}: "
        "class and admission figures will still grow; do not read them as final.",
    },
    "immature_short": {"vi": "chưa đủ thời gian", "en": "still maturing"},
    "download_csv": {"vi": "Tải bảng (CSV)", "en": "Download table (CSV)"},
    "download_xlsx": {"vi": "Tải bảng (Excel)", "en": "Download table (Excel)"},
    "xlsx_sheet": {"vi": "Số liệu", "en": "Data"},
    "xlsx_definitions": {"vi": "Định nghĩa", "en": "Definitions"},
    "xlsx_column": {"vi": "Cột", "en": "Column"},
    "xlsx_code": {"vi": "Mã", "en": "Code"},
    "xlsx_slice": {"vi": "Phạm vi", "en": "Slice"},
    "xlsx_period": {"vi": "Thời gian", "en": "Period"},
    "xlsx_as_of": {"vi": "Số liệu đến ngày", "en": "Data up to"},
    "xlsx_command": {"vi": "Lệnh tạo lại tệp này", "en": "Command that makes this file again"},
    "table_largest": {
        "vi": "Bảng hiển thị {shown} nhóm ({groups}) có nhiều người được giới thiệu nhất trong tổng số {total}; "
        "tệp CSV có đủ tất cả.",
        "en": "The table shows the {shown} groups ({groups}) with most referrals of {total}; the CSV has them all.",
    },
    "table_districts": {"vi": "Bảng số liệu theo huyện", "en": "District table"},
    "breakdown": {"vi": "Chia theo", "en": "Break down by"},
    "reproduce": {"vi": "Tái tạo số liệu này bằng dòng lệnh", "en": "Reproduce these figures from the command line"},
    "demo_banner": {
        "vi": "Chế độ trình diễn: chỉ dữ liệu mẫu",
        "en": "Demo mode: sample data only (sign-in not configured)",
    },
    "demo_needs_sample": {
        "vi": "Chưa cấu hình đăng nhập nên ứng dụng chỉ chạy với dữ liệu mẫu. Hãy cấu hình [auth] trong "
        ".streamlit/secrets.toml và tệp phân quyền trước khi nạp dữ liệu thật.",
        "en": "Sign-in is not configured, so the app runs on the sample data only. Configure [auth] in "
        ".streamlit/secrets.toml and a roles file before loading real data.",
    },
    "sign_in_needed": {
        "vi": "Số liệu phát triển đảng viên là dữ liệu nhạy cảm. Vui lòng đăng nhập để xem.",
        "en": "Party-development figures are sensitive data. Please sign in to see them.",
    },
    "sign_in": {"vi": "Đăng nhập · Sign in", "en": "Sign in · Đăng nhập"},
    "sign_in_ended": {
        "vi": "Phiên đăng nhập đã kết thúc (đã đăng xuất hoặc quá thời hạn). Vui lòng đăng nhập lại.",
        "en": "Your sign-in has ended (signed out, or too long ago). Please sign in again.",
    },
    "sign_out": {"vi": "Đăng xuất", "en": "Sign out"},
    "no_access": {
        "vi": "Tài khoản này chưa được cấp quyền xem số liệu. Hãy liên hệ người quản trị để được phân quyền.",
        "en": "This account has not been given access to the figures. Ask the administrator for a role.",
    },
    "signed_in_as": {"vi": "Đăng nhập: {name} · {role}", "en": "Signed in: {name} · {role}"},
    "own_district_only": {
        "vi": "Tài khoản của bạn chỉ được xem số liệu của đơn vị mình; liên kết đã được giới hạn lại.",
        "en": "Your account may only see its own district; the link has been narrowed to it.",
    },
    "role_leadership": {"vi": "Lãnh đạo", "en": "Leadership"},
    "role_district": {"vi": "Cán bộ huyện", "en": "District officer"},
    "role_analyst": {"vi": "Chuyên viên phân tích", "en": "Analyst"},
    "role_presenter": {"vi": "Trình chiếu (số nhỏ được ẩn)", "en": "Presenter (small numbers hidden)"},
    "no_data": {"vi": "Không có số liệu cho lựa chọn này.", "en": "No data for this selection."},
    "tab_leaks": {"vi": "Tỷ lệ giữa các bước", "en": "Rates between stages"},
    "tab_funnels": {"vi": "Phễu của từng nhóm", "en": "A funnel per group"},
    "chart_funnels": {"vi": "Phễu của từng nhóm, cùng một thang đo", "en": "A funnel per group, on one scale"},
    "funnels_charted": {
        "vi": "Vẽ {shown} trên {total} nhóm có nhiều người được giới thiệu nhất; bảng dưới có đủ các nhóm.",
        "en": "The {shown} of {total} groups with most referrals are drawn; the table below lists them all.",
    },
    "ttc_title": {"vi": "Thời gian chuyển bước", "en": "Time to convert"},
    "ttc_who": {
        "vi": "Tính cho những người được giới thiệu trong kỳ (huyện, đơn vị, khu vực lúc giới thiệu; nhóm theo "
        "tháng, quý, năm là thời điểm giới thiệu); mỗi bước tính những người trong số đó đã qua bước ấy đến ngày "
        "{date}. Người chưa qua không được tính, nên lứa giới thiệu gần đây chỉ gồm những người nhanh nhất. Không "
        "theo cách đếm và số ngày đã chọn. Trung vị và phân vị 90 (P90): nội suy tuyến tính giữa hai giá trị gần "
        "nhất sau khi sắp xếp, tại vị trí 1 + (n − 1)p (DuckDB quantile_cont, PERCENTILE.INC của Excel), làm tròn "
        "0,1 ngày.",
        "en": "Counts the people referred in the period (district, unit and sector at referral; months, quarters "
        "and years are those of the referral); each step counts those of them who had made it by {date}. People "
        "still on the way are not counted, so a recent cohort holds only its quickest people. The counting mode "
        "and window do not apply. Median and 90th percentile (P90): linear interpolation between the two nearest "
        "sorted values at position 1 + (n − 1)p (DuckDB quantile_cont, Excel's PERCENTILE.INC), to 0.1 day.",
    },
    "ttc_histogram": {"vi": "Số người theo số ngày của từng bước", "en": "People by days taken, per step"},
    "ttc_bins": {"vi": "Mỗi cột là {days} ngày; đường gạch: trung vị, đường chấm: P90; n: số người qua bước.",
                 "en": "Each bar is {days} days; dashed line: median, dotted line: P90; n: people who made the step."},
    "ttc_not_for_audiences": {
        "vi": "Thời gian chuyển bước không hiển thị cho khán giả hạn chế: đây là số người theo lứa giới thiệu, "
        "bảng và biểu đồ so với nhau sẽ để lộ số nhỏ.",
        "en": "Time to convert is not shown to a restricted audience: it counts people by referral cohort, and "
        "its tables and charts compared with one another would give small numbers away.",
    },
    "ttc_by": {"vi": "Theo {dimension}", "en": "By {dimension}"},
    "ttc_by_quarter": {"vi": "Theo quý giới thiệu", "en": "By quarter of referral"},
    "ttc_referred": {"vi": "Được giới thiệu", "en": "Referred"},
    "days": {"vi": "ngày", "en": "days"},
    "people": {"vi": "người", "en": "people"},
    "days_median": {"vi": "trung vị", "en": "median"},
    "step_people": {"vi": "số người", "en": "people"},
    "step_days_median": {"vi": "trung vị (ngày)", "en": "median (days)"},
    "step_days_p90": {"vi": "P90 (ngày)", "en": "P90 (days)"},
    "ttc_column": {"vi": "{stage}: {what}", "en": "{stage}: {what}"},
    "ttc_column_help": {
        "vi": "Bước {step}: {what} (ngày kể từ bước trước).",
        "en": "Step {step}: {what} (days from the previous stage).",
    },
    # Intervals and the funnel plot (analytics/intervals.py, analytics/ranking.py)
    "interval_95": {"vi": "khoảng tin cậy 95%", "en": "95% interval"},
    "error_bars": {"vi": "Vạch đen: khoảng tin cậy 95% của tỷ lệ ({method}).",
                   "en": "Black whiskers: the rate's 95% interval ({method})."},
    "method_binomial": {"vi": "Wilson, tỷ lệ của cùng những người", "en": "Wilson, a share of the same people"},
    "method_poisson": {"vi": "điểm Poisson, tỷ số hai số đếm", "en": "Poisson score, a ratio of two counts"},
    "chart_funnel_plot": {"vi": "Biểu đồ phễu kiểm soát", "en": "Funnel plot"},
    "funnel_measure": {"vi": "Tỷ lệ so sánh", "en": "Rate compared"},
    "funnel_centre": {"vi": "Toàn bộ lựa chọn: {value}", "en": "Whole selection: {value}"},
    "funnel_limit_95": {"vi": "Giới hạn 95%", "en": "95% limits"},
    "funnel_limit_998": {"vi": "Giới hạn 99,8%", "en": "99.8% limits"},
    "limit_above_998": {"vi": "Cao hơn hẳn (ngoài 99,8%)", "en": "Clearly higher (beyond 99.8%)"},
    "limit_above_95": {"vi": "Cao hơn (ngoài 95%)", "en": "Higher (beyond 95%)"},
    "limit_within": {"vi": "Trong giới hạn", "en": "Within the limits"},
    "limit_below_95": {"vi": "Thấp hơn (ngoài 95%)", "en": "Lower (beyond 95%)"},
    "limit_below_998": {"vi": "Thấp hơn hẳn (ngoài 99,8%)", "en": "Clearly lower (beyond 99.8%)"},
    "limit_short_above_998": {"vi": "▲ cao (99,8%)", "en": "▲ high (99.8%)"},
    "limit_short_above_95": {"vi": "△ cao (95%)", "en": "△ high (95%)"},
    "limit_short_within": {"vi": "trong giới hạn", "en": "within"},
    "limit_short_below_95": {"vi": "▽ thấp (95%)", "en": "▽ low (95%)"},
    "limit_short_below_998": {"vi": "▼ thấp (99,8%)", "en": "▼ low (99.8%)"},
    "funnel_plot_note": {
        "vi": "Mỗi điểm là một nhóm: tỷ lệ theo số người ở mẫu số. Nhóm nhỏ dao động nhiều do ngẫu nhiên, nên "
        "chỉ nhóm nằm ngoài giới hạn mới thực sự khác toàn bộ lựa chọn. {groups} nhóm; {plotted} có tỷ lệ được vẽ; "
        "{ranked} nhóm có ít nhất {minimum} người ở mẫu số được xếp hạng, các nhóm khác chỉ liệt kê.",
        "en": "Each point is a group: its rate against the people in its denominator. Small groups vary more by "
        "chance, so only groups outside the limits really differ from the whole selection. {groups} groups; "
        "{plotted} with a rate are plotted; the {ranked} with at least {minimum} in the denominator are ranked, "
        "the others only listed.",
    },
    "funnel_plot_none": {"vi": "Không có tỷ lệ chung của lựa chọn để so sánh.",
                         "en": "The whole selection has no rate to compare with."},
    "rank": {"vi": "Hạng", "en": "Rank"},
    "interval_low": {"vi": "Cận dưới 95%", "en": "95% low"},
    "interval_bound_definition": {
        "vi": "{bound} của {rate}: khoảng tin cậy 95% (Wilson cho tỷ lệ của cùng những người, điểm Poisson cho tỷ "
        "số hai số đếm trong kỳ).",
        "en": "{bound} of {rate}: the 95% interval (Wilson for a share of the same people, Poisson score for a "
        "ratio of two counts in the period).",
    },
    "interval_high": {"vi": "Cận trên 95%", "en": "95% high"},
    "limit_status": {"vi": "So với giới hạn", "en": "Against the limits"},
    "change_not_significant": {
        "vi": "Thay đổi so với cùng kỳ chỉ được tô màu khi vượt mức dao động ngẫu nhiên (kiểm định hai số đếm "
        "Poisson, 95%).",
        "en": "A change on last year is coloured only when it is beyond chance (test of two Poisson counts, 95%).",
    },
}


def t(key: str, lang: str, **values: object) -> str:
    """The text ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    text = TEXT[key][lang]
    return text.format(**values) if values else text
