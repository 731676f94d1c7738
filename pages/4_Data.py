"""Data: upload exports, preview and publish them, the column mapper, history and rollback,
the data-quality report and the drop folder. Layout lives in pmo/ui/data_page.py."""

import streamlit as st

from pmo.ui import data_page

st.set_page_config(page_title="Data", page_icon=":material/upload_file:", layout="wide")

data_page.render()
