"""The downloads beside the deck (``ui.components``): the Word report and the charts' pictures, one click
each, built through ``ui.data`` (the pages' only data door) as the view's user may see them."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from analytics.config import SAMPLE_SNAPSHOT_DIR


def _page():
    """The two buttons for a presenter's view of the sample, Jan–Sep 2022; the report is also made through
    ui.data and its totals table kept in the session for the test to read."""
    import io

    import streamlit as st
    from docx import Document

    from analytics import access
    from analytics.filters import Filter, Month
    from ui import components, data
    from ui.view import View

    flt, source = Filter(Month(2022, 1), Month(2022, 9)), st.session_state["source"]
    view = View(source, access.Principal(user="t", role="presenter"), flt, "vi", data.places(source, flt, "vi"), None)
    components.report_download(view)
    components.pictures_download(view)
    table = Document(io.BytesIO(data.report(view))).tables[0]
    st.session_state["totals"] = [[cell.text for cell in row.cells] for row in table.rows]


def test_the_report_and_pictures_buttons_draw_and_the_report_comes_through_ui_data():
    at = AppTest.from_function(_page, default_timeout=60)
    at.session_state["source"] = str(SAMPLE_SNAPSHOT_DIR)
    at.run()
    assert not at.exception
    assert [button.proto.label for button in at.get("download_button")] == [
        "Tải báo cáo (.docx)", "Tải hình các biểu đồ (PNG, .zip)"]
    assert at.session_state["totals"][1] == ["Giới thiệu", "2.339", "1.597", "+46,5%"]
