"""Versions and ingests: what each version holds, the raw files behind it, rollback and removing an
ingest (each a new version: nothing is deleted)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import streamlit as st

from pmo import audit, uploads
from pmo import metrics as fmt
from pmo.ingest import IngestFailed, current_user, remove_ingest, rollback
from pmo.readiness import write_state
from pmo.store import Store, StoreBusy
from pmo.ui import auth, data, safe, share, tables
from pmo.ui.data_page.reads import ingests_table, versions_table
from pmo.ui.data_page.state import BUSY_MESSAGE
from pmo.ui.data_page.upload import home_link


def history_view(store: Store) -> None:
    msg = st.session_state.pop("data_history_result", None)
    if msg:
        st.success(msg, icon=":material/check_circle:")
        home_link("Open the home page to see the figures")
    root, current = str(store.root.resolve()), store.current_version()
    if current == 0:
        st.info("The store is empty: nothing has been published yet.")
        return
    versions = versions_table(root, current)
    ingests = ingests_table(root, current)
    if auth.current_scope().restricted:
        # per-file counts add up rows of every portfolio; file names can name other portfolios' projects
        ingests = uploads.for_scoped_role(ingests, auth.current_user())
        versions = uploads.versions_for_scoped_role(versions, auth.current_user())
        st.caption(f"Your role sees {safe.md(auth.current_scope().describe())}: the ingest log shows no row "
                   "counts (they cover every portfolio), no names of files others published (they can name "
                   "other portfolios' projects), and raw files are not offered.")
    _confirmation(store)
    what_is_loaded()

    st.subheader("Versions", anchor=False)
    st.caption("Every publish, rollback and removal is a version; the dashboard serves the one marked "
               "serving. Rolling back publishes a new version with the rows of an earlier one, so it "
               "can itself be undone.")
    st.dataframe(versions, hide_index=True, key="data_versions", placeholder=fmt.MISSING, column_config={
        "version": st.column_config.NumberColumn("Version", format="%d"),
        "serving": st.column_config.TextColumn("Serving"),
        "created_at": st.column_config.DatetimeColumn("Made at (UTC)", format="D MMM YYYY HH:mm"),
        "action": "Action", "user": "By", "note": "What", "files_in_use": st.column_config.NumberColumn(
            "Files in use", format="%d")})
    earlier = [v for v in versions["version"].to_list() if v != current]
    if earlier:
        notes = dict(zip(versions["version"].to_list(), versions["note"].to_list(), strict=True))
        with st.container(horizontal=True, vertical_alignment="bottom"):
            pick = st.selectbox("Earlier version", earlier, key="data_rollback_pick",
                                format_func=lambda v: f"Version {v}: {notes.get(v) or ''}"[:90])
            if st.button("Roll back to this version", key="data_rollback", icon=":material/undo:"):
                st.session_state["data_confirm"] = ("rollback", pick)
                st.rerun()

    st.subheader("Ingests", anchor=False)
    st.caption("Every file ever ingested, newest first. The raw file is kept byte for byte; download it "
               "to check what was loaded. Removing an ingest publishes a new version built from the "
               "other files in use, as if it had never been loaded.")
    st.dataframe(ingests.select("ingest_id", "in_use", "file_name", "tool", "as_of", "rows_accepted",
                                "rows_rejected", "cells_cleared", "user", "ingested_at", "version"),
                 hide_index=True, key="data_ingests", placeholder=fmt.MISSING, column_config={
                     "ingest_id": st.column_config.NumberColumn("Ingest", format="%d"),
                     "in_use": st.column_config.CheckboxColumn("In use"),
                     "file_name": "File", "tool": "Tool",
                     "as_of": st.column_config.DateColumn("As of", format="D MMM YYYY"),
                     "rows_accepted": st.column_config.NumberColumn("Rows accepted", format="localized"),
                     "rows_rejected": st.column_config.NumberColumn("Rows rejected", format="localized"),
                     "cells_cleared": st.column_config.NumberColumn("Cells cleared", format="localized"),
                     "user": "By", "ingested_at": st.column_config.DatetimeColumn("Ingested at (UTC)",
                                                                                  format="D MMM YYYY HH:mm"),
                     "version": st.column_config.NumberColumn("In version", format="%d")})
    share.download_table(ingests.drop("sha256", strict=False), "Ingest log")
    if ingests.height == 0:
        return
    rows = {r["ingest_id"]: r for r in ingests.iter_rows(named=True)}
    with st.container(horizontal=True, vertical_alignment="bottom"):
        iid = st.selectbox("Ingest", list(rows), key="data_ingest_pick",
                           format_func=lambda i: f"#{i} {rows[i]['file_name']} (as of {rows[i]['as_of']})")
        rec = rows[iid]
        raw = store.raw_path(rec["sha256"], rec["file_name"])
        refused = uploads.raw_download_refusal(auth.current_role(), rec.get("tables"))
        if refused:
            st.caption(refused)
        elif raw.exists():
            st.download_button("Download the raw file", data=_raw_file(store, rec, raw), file_name=rec["file_name"],
                               key="data_download_raw", icon=":material/download:", on_click="ignore",
                               disabled=bool(write_state(store)),
                               help="Audited. Off while the store is read-only (the audit log cannot be written).")
        else:
            st.caption(f"The raw file of ingest {iid} is missing from the store.")
        if st.button("Remove this ingest", key="data_remove", icon=":material/delete:", disabled=not rec["in_use"],
                     help=None if rec["in_use"] else "Not part of the version being served."):
            st.session_state["data_confirm"] = ("remove", iid)
            st.rerun()


def _raw_file(store: Store, rec: dict, raw: Path):
    """The raw file's bytes when the button is clicked, after writing the audit event (no event,
    no file)."""
    user, role = auth.current_user(), auth.current_role().name

    def read() -> bytes:
        audit.log(store.root, user, "export", {"what": "raw file", "file": rec["file_name"],
                                               "ingest_id": rec["ingest_id"], "sha256": rec["sha256"]}, role=role)
        return raw.read_bytes()
    return read


def _confirmation(store: Store) -> None:
    pending = st.session_state.get("data_confirm")
    if not pending:
        return
    kind, target = pending
    current = store.current_version()
    with st.container(border=True, key="data_confirm_box"):
        if kind == "rollback":
            st.warning(f"Roll back to version {target}? The dashboard will serve exactly what version "
                       f"{target} served, as a new version {current + 1}. Version {current} is kept: you "
                       "can roll back to it the same way.", icon=":material/undo:")
            yes = f"Yes, roll back to version {target}"
        else:
            st.warning(f"Remove ingest {target}? A new version {current + 1} is built from the other files "
                       "in use, without this one. The raw file and the log entry are kept; roll back to "
                       f"version {current} to undo.", icon=":material/delete:")
            yes = f"Yes, remove ingest {target}"
        with st.container(horizontal=True):
            confirmed = st.button(yes, type="primary", key="data_confirm_yes")
            if st.button("Cancel", key="data_confirm_no"):
                st.session_state.pop("data_confirm", None)
                st.rerun()
    if not confirmed:
        return
    st.session_state.pop("data_confirm", None)
    try:
        with st.spinner("Publishing the new version..."):
            if kind == "rollback":
                v = rollback(store, target, current_user())
                msg = f"Version {v} is live: it serves what version {target} served."
            else:
                v = remove_ingest(store, target, current_user())
                msg = f"Version {v} is live: ingest {target} removed."
    except StoreBusy:
        st.error(BUSY_MESSAGE.replace(" Your previews are kept.", ""), icon=":material/hourglass:")
        return
    except IngestFailed as exc:
        st.error("\n\n".join(exc.problems), icon=":material/error:")
        return
    st.session_state["data_history_result"] = msg
    st.rerun()


def what_is_loaded() -> None:
    """The tables of the version being served: rows, the tools they come from, the latest as-of."""
    st.subheader("What is loaded", anchor=False)
    overview = data.query("store_tables_overview")
    tables.static(overview, key="data_overview", noun="tables")
    share.download_table(overview, "What is loaded")
