"""Data: upload exports, check them before they go live, publish them as a new version; match the
projects other tools name to the register's; see every version and the files behind it, roll
back or remove a mistaken file; the data-quality report and the drop folder. The parts are in
pmo/ui/data_page/; everything that changes the store goes through pmo.ingest."""

import streamlit as st

from pmo.ui import data, inbox_watcher, page, url
from pmo.ui.data_page import drop_folder, history, matching, quality, reads, upload

st.set_page_config(page_title="Data", page_icon=":material/upload_file:", layout="wide")

VIEWS = {"Upload": upload.upload_view, "Projects to match": matching.matching_view,
         "History": history.history_view, "Data quality": quality.quality_view,
         "Drop folder": drop_folder.drop_folder_view}

page.start()
inbox_watcher.start()
store = data.store()
st.title("Data", anchor=False)
st.caption("Upload new exports, check them before they go live, publish them as a new version; "
           "see every version, download the files behind it, roll back or remove a mistaken "
           "file. Nothing is published without your click, and nothing is ever deleted.")
reads.kpi_row(store)
url.drop_invalid("data_view", list(VIEWS), "page section", "Upload")
view = st.segmented_control("View", list(VIEWS), default="Upload", key="data_view", required=True,
                            bind="query-params", label_visibility="collapsed")
VIEWS.get(view or "Upload", upload.upload_view)(store)
