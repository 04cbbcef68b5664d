"""Load data, for analysts: templates, upload → check (problems report) → load, versions and rollback."""

import pandas as pd
import streamlit as st

from analytics import output
from analytics.i18n import t
from analytics.ingest.pseudonymise import MissingKeyError
from analytics.ingest.schema import KINDS
from ui import components, data, permissions

view = st.session_state["view"]
lang = view.lang

st.title(t("page_data", lang))
st.caption(t("data_intro", lang))


st.subheader(t("templates", lang))
for column, kind in zip(st.columns(len(KINDS)), KINDS.values(), strict=True):
    column.markdown(f"**{kind.title[lang]}**")
    for suffix, mime in (("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                         ("csv", "text/csv")):
        column.download_button(f"{kind.key}.{suffix}", data.template(kind.key, suffix), f"{kind.key}.{suffix}", mime,
                               key=f"template_{kind.key}_{suffix}", icon=":material/download:")

st.subheader(t("coverage_heading", lang))
components.coverage(view)

st.subheader(t("upload", lang))
if not permissions.can_load_data(view.principal):
    st.info(t("no_permission", lang))
    st.stop()  # versions and the load log are for analysts only: their row counts reveal small numbers

uploads = st.file_uploader(t("upload", lang), type=["csv", "xlsx"], accept_multiple_files=True,
                           label_visibility="collapsed")
if uploads:
    files = [(u.name, u.getvalue()) for u in uploads]
    try:
        key = data.pseudonym_key()
    except MissingKeyError as error:
        st.error(str(error))
    else:
        plan = data.check(view, files, key)
        st.markdown(f"**{t('check_result', lang)}**")
        st.dataframe(pd.DataFrame([
            {t("col_file", lang): f.name, t("col_kind", lang): KINDS[f.kind].title[lang] if f.kind else "",
             t("col_status", lang): t(f"status_{f.status}", lang), t("col_rows", lang): f.rows,
             t("col_rejected", lang): f.rejected_rows} for f in plan.files]), hide_index=True, width="stretch")
        problems = plan.report()
        if not plan.ok:
            st.error(t("refused", lang))
        if len(problems):
            st.dataframe(problems, hide_index=True, width="stretch")
            st.download_button(t("download_problems", lang), output.csv_bytes(problems),
                               "problems.csv", "text/csv", icon=":material/download:")
        else:
            st.success(t("no_problems", lang))
        if plan.ok and not plan.changes:
            st.info(t("nothing_new", lang))
        confirmed = plan.changes and st.button(t("confirm_load", lang), type="primary", icon=":material/upload:")
        if confirmed and (snapshot := data.load(view, files, key)):
            st.success(t("loaded", lang, snapshot=snapshot))

st.subheader(t("snapshots", lang))
if done := st.session_state.pop("rolled_back", None):
    st.success(t("rolled_back", lang, snapshot=done))
snapshots = data.snapshots(view)
st.dataframe(
    pd.DataFrame([{t("col_version", lang): s["id"], t("col_current", lang): s["current"],
                   t("col_source", lang): s.get("source"), t("col_created", lang): s.get("created_at", "")[:19],
                   t("col_batches", lang): len(s.get("batches", []))} for s in snapshots]),
    hide_index=True, width="stretch",
)
others = [s["id"] for s in snapshots if not s["current"]]
if others:
    left, right = st.columns([3, 1])
    chosen = left.selectbox(t("rollback", lang), others[::-1], key="rollback_to")
    if right.button(t("rollback", lang), icon=":material/history:"):
        if data.rollback(view, chosen):
            st.session_state["rolled_back"] = chosen
            st.rerun()
        st.error(t("rollback_damaged", lang, snapshot=chosen))

with st.expander(t("audit", lang)):
    st.dataframe(pd.DataFrame(data.load_log(view)), hide_index=True, width="stretch")
