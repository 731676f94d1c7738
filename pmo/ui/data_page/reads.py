"""What the Data page reads from the store, cached per store version: versions, the ingest log and
the data-quality findings; and the row of headline figures."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pmo import inbox, quality, uploads
from pmo import metrics as fmt
from pmo.store import Store
from pmo.ui import auth, data, safe, share


@st.cache_data(max_entries=8, show_spinner=False)
def versions_table(root: str, current: int) -> pl.DataFrame:
    s = Store(root)
    rows = []
    for v in reversed(s.versions()):
        m = s.manifest(v)
        rows.append({"version": v, "serving": "● serving" if v == current else "",
                     "created_at": m.created_at, "action": m.action, "user": m.user, "note": m.note,
                     "files_in_use": len(m.active)})
    df = pl.DataFrame(rows, schema={"version": pl.Int64, "serving": pl.String, "created_at": pl.String,
                                    "action": pl.String, "user": pl.String, "note": pl.String,
                                    "files_in_use": pl.Int64}, orient="row")
    return df.with_columns(pl.col("created_at").str.to_datetime(strict=False, time_unit="us"))


@st.cache_data(max_entries=8, show_spinner=False)
def ingests_table(root: str, current: int) -> pl.DataFrame:
    s = Store(root)
    m = s.manifest(current)
    active = set(m.active)
    df = s.ingests(m)
    return df.with_columns(pl.col("ingest_id").is_in(list(active)).alias("in_use")).sort(
        "ingest_id", descending=True)


@st.cache_data(max_entries=8, show_spinner=False)
def quality_findings(root: str, current: int, scope) -> list[quality.Finding]:
    # keyed by the scope: each role sees the findings of its own rows (and salaries only if allowed)
    return quality.store_report(data.runtime(scope).con)


def kpi_row(store: Store) -> None:
    current = store.current_version()
    ing = ingests_table(str(store.root.resolve()), current)
    scoped = auth.current_scope().restricted
    if scoped:       # per-file counts add up rows of every portfolio; file names can name its projects
        ing = uploads.for_scoped_role(ing, auth.current_user())
    in_use = ing.filter(pl.col("in_use"))
    latest = ing.row(0, named=True) if ing.height else None
    waiting = inbox.waiting(store)
    created = store.manifest(current).created_at if current else None
    cleared = int(in_use["cells_cleared"].fill_null(0).sum()) if in_use.height else 0
    with st.container(horizontal=True):
        share.kpi("store_version", current, note=f"This one was made {created or '—'} (UTC).")
        share.kpi("files_in_use", in_use.height,
                  note=f"{ing.height:,} ingests in the log; {ing.height - in_use.height:,} no longer in use "
                       "(removed, rolled back or replaced).")
        share.kpi("latest_ingest", latest["ingested_at"].date() if latest and latest["ingested_at"] else None,
                  note=(f"{safe.md(latest['file_name'])} by {safe.md(latest['user'])} at "
                        f"{latest['ingested_at']:%H:%M} (UTC)." if latest and latest["ingested_at"] else None))
        share.kpi("rows_rejected_total", None if scoped else in_use["rows_rejected"].sum() if in_use.height else 0,
                  note=f"Besides, {fmt.plural(cleared, 'value')} left empty in rows that were stored (cells "
                       "cleared). Both listed with row numbers under Data quality.")
        share.kpi("waiting_in_inbox", len(waiting), note="The dashboard picks them up within seconds; see Drop folder.")
