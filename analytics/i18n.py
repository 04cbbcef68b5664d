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
    "page_overview": {"vi": "Tổng quan", "en": "Overview"},
    "page_explore": {"vi": "Phân tích", "en": "Explore"},
    "language": {"vi": "Ngôn ngữ", "en": "Language"},
    "period": {"vi": "Kỳ báo cáo", "en": "Reporting period"},
    "year": {"vi": "Năm", "en": "Year"},
    "month": {"vi": "Tháng", "en": "Month"},
    "quarter": {"vi": "Quý", "en": "Quarter"},
    "from_month": {"vi": "Từ tháng", "en": "From month"},
    "to_month": {"vi": "Đến tháng", "en": "To month"},
    "districts": {"vi": "Huyện, thị xã, thành phố", "en": "Districts"},
    "all_districts": {"vi": "Toàn tỉnh", "en": "Whole province"},
    "sectors": {"vi": "Khu vực doanh nghiệp", "en": "Enterprise sectors"},
    "all_sectors": {"vi": "Mọi khu vực", "en": "All sectors"},
    "mode": {"vi": "Cách đếm", "en": "Counting"},
    "window_days": {"vi": "Chỉ tính trong số ngày sau giới thiệu", "en": "Only within days of referral"},
    "bad_link": {
        "vi": "Liên kết có tham số không hợp lệ ({error}); đang hiển thị kỳ mặc định.",
        "en": "The link has an invalid parameter ({error}); showing the default view.",
    },
    "vs_last_year": {"vi": "so với cùng kỳ", "en": "vs same period last year"},
    "of_previous_step": {"vi": "{rate} so với bước trước", "en": "{rate} of the previous step"},
    "of_referred": {"vi": "{rate} so với số giới thiệu", "en": "{rate} of referred"},
    "of_target": {"vi": "đạt {rate} chỉ tiêu năm", "en": "{rate} of the yearly target"},
    "per_1000": {"vi": "{value} người / 1.000 đoàn viên", "en": "{value} per 1,000 members"},
    "no_comparison": {"vi": "chưa có số cùng kỳ", "en": "no figure last year"},
    "chart_funnel": {"vi": "Phễu phát triển đảng viên", "en": "Party-development funnel"},
    "chart_districts": {"vi": "So sánh các huyện, thị xã, thành phố", "en": "Districts compared"},
    "largest_shown": {"vi": "{shown} đơn vị giới thiệu nhiều nhất trong {total}; đủ trong bảng bên dưới",
                      "en": "the {shown} with most referrals of {total}; all in the table below"},
    "chart_trend": {"vi": "Diễn biến theo tháng", "en": "Monthly trend"},
    "chart_leaks": {"vi": "Tỷ lệ chuyển bước", "en": "Step conversion"},
    "count": {"vi": "Số người", "en": "People"},
    "immature": {
        "vi": "Lứa giới thiệu chưa đủ {days} ngày để chuyển đổi bình thường tính đến {date}: "
        "số học lớp và kết nạp còn tăng, đừng so như kết quả cuối cùng.",
        "en": "This cohort has had less than the normal {days} days to convert by {date}: "
        "class and admission figures will still grow; do not read them as final.",
    },
    "immature_short": {"vi": "chưa đủ thời gian", "en": "still maturing"},
    "download_csv": {"vi": "Tải bảng (CSV)", "en": "Download table (CSV)"},
    "table_districts": {"vi": "Bảng số liệu theo huyện", "en": "District table"},
    "breakdown": {"vi": "Chia theo", "en": "Break down by"},
    "reproduce": {"vi": "Tái tạo số liệu này bằng dòng lệnh", "en": "Reproduce these figures from the command line"},
    "no_data": {"vi": "Không có số liệu cho lựa chọn này.", "en": "No data for this selection."},
}


def t(key: str, lang: str, **values: object) -> str:
    """The text ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    text = TEXT[key][lang]
    return text.format(**values) if values else text
