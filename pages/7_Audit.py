"""Audit log (admins): who signed in, ingested, rolled back, exported or queried what, and when.

Read from <store>/audit/*.jsonl (pmo/audit.py): outside the store's versions, so a rollback
never changes it."""

from datetime import datetime, timedelta, timezone

import polars as pl
import streamlit as st

from pmo import audit
from pmo import metrics as fmt
from pmo.ui import auth, data, page, share, tables

st.set_page_config(page_title="Audit log", page_icon=":material/policy:", layout="wide")

page.start()
auth.require("view_audit")

ACTION_LABELS = {"sign_in": "Sign-in", "ingest": "Ingest", "rollback": "Rollback", "remove": "Remove ingest",
                 "rebuild": "Rebuild", "export": "Export", "sql": "SQL query", "sql_refused": "SQL refused"}
PERIODS = {"Last 7 days": 7, "Last 30 days": 30, "Last 90 days": 90, "Everything": None}

st.title("Audit log", anchor=False)
# the store's folder on the server is not the reader's business (and no server path reaches a page)
st.caption("Every sign-in, ingest, rollback, export and SQL explorer query, with who and when. Kept in "
           f"the store's `{audit.DIR}/` folder as one JSON line per event, outside the store's versions.")

with st.container(horizontal=True, vertical_alignment="bottom"):
    period = st.segmented_control("Period", list(PERIODS), default="Last 30 days", key="audit_period")
    actions = st.multiselect("Actions", list(ACTION_LABELS), format_func=ACTION_LABELS.get,
                             placeholder="All actions", key="audit_actions", width=420)
days = PERIODS.get(period or "Last 30 days")
since = datetime.now(timezone.utc) - timedelta(days=days) if days else None
events = audit.read_events(data.store().root, since=since)
df = audit.frame(events)
if actions:
    df = df.filter(pl.col("action").is_in(actions))

k = iter(share.kpi_cells(4))
for name, value in (("audit_events", df.height),
                    ("people_signed_in", df.filter(pl.col("action") == "sign_in")["user"].n_unique()),
                    ("sql_queries", df.filter(pl.col("action") == "sql").height),
                    ("sql_refused", df.filter(pl.col("action") == "sql_refused").height)):
    with next(k):
        share.kpi(name, value)

if df.is_empty():
    st.info("No audit events in this period.", icon=":material/info:")
else:
    shown = df.with_columns(pl.col("action").replace_strict(ACTION_LABELS, default=pl.col("action")),
                            pl.col("ts").dt.convert_time_zone("UTC").dt.strftime(fmt.DATETIME_FORMAT + ":%S UTC"))
    tables.show(shown.select("ts", "user", "action", "what", "role"), key="audit_table",
                height="auto" if shown.height <= 15 else 560,
                overrides={"what": st.column_config.TextColumn(fmt.label("what"), width="large")})
    st.download_button("Download these events (CSV, with full details)", data=shown.write_csv(),
                       file_name="pmo-audit.csv", mime="text/csv", icon=":material/download:",
                       key="audit_download", on_click="ignore")
