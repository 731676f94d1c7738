"""The Data page's layout: upload -> preview -> publish, the column mapper, history and rollback,
the data-quality report and the drop folder. Everything that changes the store goes through
`pmo.ingest` (the same code as the CLI); pure helpers live in `pmo.uploads` and `pmo.inbox`.

Session state (all keys start with `data_`): `data_files` {upload id: Staged} holds each staged
upload, the options its preview was made with and the preview itself, so widgets rerun the
script without reading the file again; a file is read again only when its options change.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import polars as pl
import streamlit as st

from pmo import audit, config, inbox, quality, schema, uploads
from pmo import formatting as fmt
from pmo.importers import registry
from pmo.ingest import EMPTY, FileOutcome, IngestFailed, analyse, counts_text, current_user, remove_ingest, rollback
from pmo.readiness import write_state
from pmo.store import Store, StoreBusy
from pmo.ui import auth, data, inbox_watcher, page, share, url

VIEWS = ["Upload", "History", "Data quality", "Drop folder"]
PREVIEW_ROWS = 50
PUBLISH_ATTEMPTS = 15          # x 1 s: how long a publish waits for someone else's to finish
AUTO = "auto"
BUSY_MESSAGE = "Someone else is publishing; retry in a moment. Your previews are kept."


# --- Session state -------------------------------------------------------------------------------

@dataclass
class Staged:
    """One uploaded file, the options its preview was made with, and the preview."""

    file_id: str
    name: str
    path: Path
    size: int
    outcome: FileOutcome | None = None
    problems: list[str] = field(default_factory=list)
    made_with: tuple | None = None            # (as_of, tool, date_order, mapping_path, currency, allow_empty)
    default_as_of: date | None = None         # the as-of the file gives itself (or today)
    needs_mapping: bool = False               # no importer recognised it: show the mapper
    mapping_path: Path | None = None
    headers: list[tuple[str, list[str]]] | None = None
    refusals: set = field(default_factory=set)    # IngestFailed.kinds of the last analysis (empty, currency)
    allow_empty: bool = False                 # the person confirmed publishing a file without rows

    @property
    def ok(self) -> bool:
        return self.outcome is not None and not self.problems


def _files() -> dict[str, Staged]:
    return st.session_state.setdefault("data_files", {})


def _upload_dir() -> Path:
    d = st.session_state.get("data_tmpdir")
    if not d or not Path(d).is_dir():
        uploads.sweep_upload_dirs(Path(tempfile.gettempdir()))     # abandoned sessions' uploads
        d = tempfile.mkdtemp(prefix=uploads.UPLOAD_DIR_PREFIX)
        st.session_state["data_tmpdir"] = d
    return Path(d)


def _drop(entry: Staged) -> None:
    shutil.rmtree(entry.path.parent, ignore_errors=True)
    _files().pop(entry.file_id, None)


def _clear_uploads() -> None:
    for e in list(_files().values()):
        _drop(e)
    st.session_state["data_done"] = set()
    st.session_state["data_gen"] = st.session_state.get("data_gen", 0) + 1   # a fresh, empty uploader


# --- Cached reads (keyed by store version) -------------------------------------------------------

@st.cache_data(max_entries=8, show_spinner=False)
def _versions(root: str, current: int) -> pl.DataFrame:
    s = Store(root)
    rows = []
    for v in reversed(s.versions()):
        m = s.manifest(v)
        rows.append({"version": v, "serving": "● serving" if v == current else "",
                     "created_at": m.get("created_at"), "action": m.get("action"),
                     "user": m.get("user"), "note": m.get("note"),
                     "files_in_use": len(m.get("active", []))})
    df = pl.DataFrame(rows, schema={"version": pl.Int64, "serving": pl.String, "created_at": pl.String,
                                    "action": pl.String, "user": pl.String, "note": pl.String,
                                    "files_in_use": pl.Int64}, orient="row")
    return df.with_columns(pl.col("created_at").str.to_datetime(strict=False, time_unit="us"))


@st.cache_data(max_entries=8, show_spinner=False)
def _ingests(root: str, current: int) -> pl.DataFrame:
    s = Store(root)
    m = s.manifest(current)
    active = set(m.get("active", []))
    df = s.ingests(m)
    return df.with_columns(pl.col("ingest_id").is_in(list(active)).alias("in_use")).sort(
        "ingest_id", descending=True)


@st.cache_data(max_entries=8, show_spinner=False)
def _quality(root: str, current: int, scope) -> list[quality.Finding]:
    # keyed by the scope: each role sees the findings of its own rows (and salaries only if allowed)
    return quality.store_report(data.runtime(scope).con)


# --- The page ------------------------------------------------------------------------------------

def render() -> None:
    page.start()
    inbox_watcher.start()
    store = data.store()
    st.title("Data", anchor=False)
    st.caption("Upload new exports, check them before they go live, publish them as a new version; "
               "see every version, download the files behind it, roll back or remove a mistaken "
               "file. Nothing is published without your click, and nothing is ever deleted.")
    kpi_row(store)
    url.drop_invalid("data_view", VIEWS, "page section", "Upload")
    view = st.segmented_control("View", VIEWS, default="Upload", key="data_view", required=True,
                                bind="query-params", label_visibility="collapsed")
    if view == "History":
        history_view(store)
    elif view == "Data quality":
        quality_view(store)
    elif view == "Drop folder":
        drop_folder_view(store)
    else:
        upload_view(store)


def kpi_row(store: Store) -> None:
    current = store.current_version()
    ing = _ingests(str(store.root.resolve()), current)
    if auth.current_scope().restricted:       # per-file counts add up rows of every portfolio
        ing = ing.with_columns(pl.lit(None, dtype=pl.Int64).alias(c) for c in uploads.COUNT_COLUMNS)
    in_use = ing.filter(pl.col("in_use"))
    latest = ing.row(0, named=True) if ing.height else None
    waiting = inbox.waiting(store)
    created = store.manifest(current).get("created_at") if current else None
    with st.container(horizontal=True):
        st.metric("Store version", fmt.count(current), border=True,
                  help="The version the dashboard serves now. Every publish, rollback and removal "
                       f"makes a new version; older ones are kept. This one was made {created or '—'} (UTC).")
        st.metric("Files in use", fmt.count(in_use.height), border=True,
                  help=f"Ingested files whose rows this version holds. {ing.height:,} ingests in the log; "
                       f"{ing.height - in_use.height:,} no longer in use (removed, rolled back or replaced).")
        st.metric("Latest ingest", f"{latest['ingested_at']:%d %b %Y}" if latest and latest["ingested_at"] else "—",
                  border=True,
                  help=(f"{latest['file_name']} by {latest['user']} at {latest['ingested_at']:%H:%M} (UTC)."
                        if latest and latest["ingested_at"] else "Nothing ingested yet."))
        cleared = int(in_use["cells_cleared"].fill_null(0).sum()) if in_use.height else 0
        scoped = auth.current_scope().restricted
        st.metric("Rows rejected", "—" if scoped else fmt.count(in_use["rows_rejected"].sum() if in_use.height else 0),
                  border=True,
                  help="Rows of the files in use that were not stored (a missing key, an unreadable value, "
                       f"a duplicate). Besides, {cleared:,} value{'s' if cleared != 1 else ''} were left empty "
                       "in rows that were stored (cells cleared). Both listed with row numbers under Data quality.")
        st.metric("Waiting in drop folder", fmt.count(len(waiting)), border=True,
                  help=f"Files in {store.inbox} not yet ingested. The dashboard picks them up "
                       "within seconds; see Drop folder.")


# --- Upload --------------------------------------------------------------------------------------

def upload_view(store: Store) -> None:
    _show_last_publish()
    cfg = config.load(store.root)
    limit = int(cfg["store"].get("upload_limit_mb", 200))
    server_cap = int(st.get_option("server.maxUploadSize"))
    limit_mb = max(1, min(limit, server_cap))
    uploaded = st.file_uploader(
        "Export files", type=list(uploads.UPLOAD_TYPES), accept_multiple_files=True,
        key=f"data_upload_{st.session_state.get('data_gen', 0)}", max_upload_size=limit_mb,
        help=f"CSV, TSV, TXT, XLSX or Parquet, up to {limit_mb} MB each. The tool is recognised "
             "from the header; nothing is stored until you press Publish.")
    _sync_uploads(uploaded or [])
    entries = list(_files().values())
    if not entries:
        st.info("Drop one or more exports above (Jira, MS Project / Project Server, finance ledger, "
                "SAP, HR, OEWS, FX ...). Each gets a preview of the rows as they will be stored and "
                "its data-quality findings before anything is published. See docs/data-workflow.md.",
                icon=":material/upload_file:")
        return
    _analyse_pending(store, entries)
    manifest = store.manifest()
    for e in entries:
        file_card(store, e, manifest)
    publish_bar(store, entries)


def _sync_uploads(uploaded) -> None:
    """Stage new uploads on disk under their own names; forget the ones removed from the uploader."""
    files = _files()
    done = st.session_state.setdefault("data_done", set())
    seen = set()
    for f in uploaded:
        seen.add(f.file_id)
        if f.file_id in done or f.file_id in files:
            continue
        path = uploads.stage_upload(_upload_dir(), f.file_id, f.name, f)
        files[f.file_id] = Staged(f.file_id, uploads.safe_name(f.name), path, f.size)
    for fid in [k for k in files if k not in seen]:
        _drop(files[fid])


def _wanted(e: Staged) -> tuple:
    """The options the preview must reflect, read from this file's widgets."""
    fid = e.file_id
    picked = st.session_state.get(f"data_asof_{fid}")
    as_of = picked if picked and picked != e.default_as_of else None
    tool = st.session_state.get(f"data_tool_{fid}", AUTO)
    order = st.session_state.get(f"data_order_{fid}", AUTO)
    currency = (st.session_state.get(f"data_currency_{fid}") or "").strip().upper() or None
    return (as_of, None if tool == AUTO else tool, None if order == AUTO else order, e.mapping_path,
            currency, e.allow_empty)


def _analyse_pending(store: Store, entries: list[Staged]) -> None:
    todo = [e for e in entries if e.made_with != _wanted(e)]
    if not todo:
        return
    slot = st.empty()                  # the progress shows while reading, then makes way
    with slot.container(), st.status(f"Reading {len(todo)} file{'s' if len(todo) > 1 else ''}...",
                                     expanded=True) as status:
        bar = st.progress(0.0)
        for i, e in enumerate(todo):
            status.update(label=f"Reading {e.name} ({_size(e.size)}), {i + 1} of {len(todo)}...")
            bar.progress(i / len(todo), text=f"Detecting, parsing and validating {e.name}")
            _analyse(store, e)
        bar.progress(1.0)
    slot.empty()


def _analyse(store: Store, e: Staged) -> None:
    wanted = _wanted(e)
    as_of, tool, order, mapping_path, currency, allow_empty = wanted
    e.outcome, e.problems, e.refusals = None, [], set()
    try:
        e.outcome = analyse(e.path, as_of=as_of, tool=tool, display_name=e.name,
                            settings=config.load(store.root), mapping_path=mapping_path,
                            store_root=store.root, date_order=order, currency=currency,
                            allow_empty=allow_empty)
        if as_of is None:
            e.default_as_of = e.outcome.as_of
    except IngestFailed as exc:
        e.problems = list(exc.problems)
        e.refusals = set(exc.kinds)
        if mapping_path is None and tool is None and uploads.is_unknown_layout(exc.problems, e.name):
            e.needs_mapping = True
    except Exception as exc:  # noqa: BLE001 - an importer bug must not reach the user as a traceback
        e.problems = [(f"{e.name}: this file could not be read ({type(exc).__name__}: {exc}). "
                       "Please report it with the file.")]
    e.made_with = wanted


def file_card(store: Store, e: Staged, manifest: dict) -> None:
    with st.container(border=True, key=f"data_card_{e.file_id}"):
        head, opts = st.columns([6, 1], vertical_alignment="center")
        with head:
            if e.ok:
                o = e.outcome
                tables = ", ".join(f"**{t}** ({n:,} rows)" for t, n in o.tables.items())
                st.markdown(f"#### {e.name}\n{o.label} → {tables}")
            elif e.needs_mapping and not e.mapping_path:
                st.markdown(f"#### {e.name}\n{_size(e.size)} · a layout no importer knows: map its columns below")
            else:
                st.markdown(f"#### {e.name}\n{_size(e.size)} · not ready to publish")
        with opts, st.popover("Options", icon=":material/tune:"):
            tools = [AUTO, *registry.modules()]
            st.selectbox("Tool", tools, key=f"data_tool_{e.file_id}",
                         format_func=lambda t: "Recognise from the header" if t == AUTO else registry.modules()[t].LABEL,
                         help="Force a tool when the header is ambiguous (as `pmo ingest --source`).")
            st.selectbox("Date order", [AUTO, "dmy", "mdy"], key=f"data_order_{e.file_id}",
                         format_func={AUTO: "Settle from the values", "dmy": "Day first (31/12/2026)",
                                      "mdy": "Month first (12/31/2026)"}.get,
                         help="Only for date columns whose values cannot settle it (every part ≤ 12).")
            st.text_input("Currency", key=f"data_currency_{e.file_id}", max_chars=3, placeholder="e.g. EUR",
                          help="The ISO code of amounts whose currency the file states nowhere (as "
                               "`pmo ingest --currency`). Without it such a file is refused: amounts are "
                               "never assumed to be in the reporting currency.")
        if e.problems and e.needs_mapping and not e.mapping_path:
            st.info("No importer recognises this file's columns. Map them once below: the mapping is "
                    "kept in the store and applied by itself to the next file with the same header.",
                    icon=":material/table_view:")
            st.caption(e.problems[0].replace(" pass --source TOOL, or map the columns with --mapping FILE "
                                             "(see docs/importing.md).", " or map the columns below."))
        elif e.problems:
            st.error("\n\n".join(e.problems), icon=":material/error:")
            if EMPTY in e.refusals and not e.allow_empty:
                _confirm_empty(e)
        if e.ok:
            _outcome_body(e, manifest)
        if e.needs_mapping:
            mapper(store, e)


def _confirm_empty(e: Staged) -> None:
    """A file with no data rows is refused; publishing it anyway (it clears its source) takes a
    deliberate second click, as `pmo ingest --allow-empty` does."""
    st.caption("If the export's filter found nothing by mistake, export it again. To clear that source "
               "on purpose, confirm below: the preview then shows what publishing it replaces.")
    if st.button("Publish anyway: replace the source's rows with none", key=f"data_allow_empty_{e.file_id}",
                 icon=":material/delete_sweep:"):
        e.allow_empty = True
        st.rerun()


def _outcome_body(e: Staged, manifest: dict) -> None:
    o = e.outcome
    fid = e.file_id
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.metric("Rows read", fmt.count(o.rows_read), border=True,
                  help="Data rows found below the header.")
        for table, n in o.tables.items():
            st.metric(f"Rows for {table}", fmt.count(n), border=True,
                      help=f"Rows that will be stored in `{table}` (docs/data-model.md).")
        st.metric("Rows rejected in file", fmt.count(o.rows_rejected), border=True,
                  help="Rows of this file that will not be stored (a missing key, an unreadable value, a "
                       "duplicate); listed under Data quality with row number and reason, and kept with "
                       "the raw file.")
        st.metric("Cells cleared in file", fmt.count(o.cells_cleared), border=True,
                  help="Values that could not be read in rows that will be stored: the row is kept with "
                       "that value left empty. Listed under Data quality.")
        st.date_input("As of", value=e.default_as_of or o.as_of, key=f"data_asof_{fid}", format="YYYY-MM-DD",
                      help="The date this export describes. Taken from the file when it carries one, "
                           "else today. Change it and the preview is made again.")
    for prev in uploads.earlier_ingests(manifest, o.sha256):
        st.warning(f"This exact file was already ingested on {prev['ingested_at'][:10]} as ingest "
                   f"{prev['ingest_id']} (as of {prev['as_of']}). Publishing it again adds a new ingest "
                   "with the same rows.", icon=":material/content_copy:")
    for table, served in uploads.stale_tables(manifest, o):
        st.warning(f"{table}: the store already serves a newer export of this source (as of {served}). "
                   f"This file is as of {o.as_of}, so it will not replace those rows.", icon=":material/history:")
    if e.allow_empty and o.rows_read == 0:
        st.warning("This file has no data rows: publishing it replaces the rows its source has in the store "
                   "with none.", icon=":material/delete_sweep:")
    rejected = [r for r in o.rejects if not r.cleared]
    if rejected:
        first = min(rejected, key=lambda r: r.row or 0)
        n = o.rows_rejected
        st.warning(f"{n:,} row{'s' if n != 1 else ''} of this file cannot be accepted and will not be "
                   f"stored (first: row {first.row}, {first.reason}). See the Data quality tab below; fix "
                   "them in the tool and export again, or publish without them.", icon=":material/report:")
    if o.cells_cleared:
        first = min((r for r in o.rejects if r.cleared), key=lambda r: r.row or 0)
        n = o.cells_cleared
        st.info(f"{n:,} value{'s' if n != 1 else ''} could not be read and will be left empty; "
                f"{'its row is' if n == 1 else 'their rows are'} stored (first: row {first.row}, {first.column}: "
                f"{first.reason}). See the Data quality tab below.", icon=":material/ink_eraser:")
    tabs = st.tabs([f"{t} ({n:,})" for t, n in o.tables.items()]
                   + [f"Data quality ({o.rows_rejected:,} + {o.cells_cleared:,})"])
    for tab, table in zip(tabs, o.frames, strict=False):
        with tab:
            shown = o.preview(table, PREVIEW_ROWS).rename({"_row": "file_row"})
            shown = shown.select("file_row", *[c for c in shown.columns if c != "file_row"])
            st.caption(f"The first {shown.height:,} of {o.tables[table]:,} rows as they will be stored in "
                       f"`{table}` (file_row = the row in the file).")
            st.dataframe(shown, hide_index=True, key=f"data_preview_{fid}_{table}")
    with tabs[-1]:
        _findings(o)


def _findings(o: FileOutcome) -> None:
    for note in o.notes:
        st.markdown(f"- {note}")
    if not o.rejects:
        st.success("Every row was accepted.", icon=":material/check_circle:")
        return
    rej = pl.DataFrame(
        [{"row": r.row, "what": r.kind, "table": r.table, "column": r.column,
          "value": None if r.value is None else str(r.value), "reason": r.reason} for r in o.rejects],
        schema={"row": pl.Int64, "what": pl.String, "table": pl.String, "column": pl.String, "value": pl.String,
                "reason": pl.String}).sort("row")
    st.caption(f"{counts_text(o.rows_rejected, o.cells_cleared).capitalize()}. A rejected row is not stored "
               "(the raw file keeps it); a cleared cell's row is stored with that value empty. Fix them in "
               "the tool and export again, or publish as it is.")
    st.dataframe(rej, hide_index=True, key=f"data_rejects_{o.sha256[:12]}")


def publish_bar(store: Store, entries: list[Staged]) -> None:
    ready = [e for e in entries if e.ok]
    blocked = [e for e in entries if not e.ok]
    if blocked:
        st.caption(f"Not published: {', '.join(e.name for e in blocked)} (see the problems above).")
    locked = write_state(store)
    if locked:
        st.warning(f"The store is {locked}: previews work, publishing does not until it is writable again.",
                   icon=":material/lock:")
    if auth.current_scope().restricted:
        st.caption(f"Your role publishes only rows of {auth.current_scope().describe()}; rows of other "
                   "portfolios in the same source are kept as they are.")
    with st.container(horizontal=True):
        label = f"Publish {len(ready)} file{'s' if len(ready) != 1 else ''}"
        if st.button(label, type="primary", icon=":material/publish:", key="data_publish",
                     disabled=not ready or bool(locked)):
            publish(store, ready)
        if st.button("Cancel", icon=":material/close:", key="data_cancel"):
            _clear_uploads()
            st.rerun()


def publish(store: Store, entries: list[Staged]) -> None:
    """Publish previewed files (one ingest_files call per as-of / options group), waiting for a busy store."""
    items = {e.file_id: e for e in entries}
    groups = uploads.publish_groups([
        uploads.PublishItem(e.path, e.name, *e.made_with) for e in entries])   # the preview's options
    by_path = {e.path: e for e in items.values()}
    published: list[dict] = []
    ok = True
    with st.status(f"Publishing {len(entries)} file{'s' if len(entries) > 1 else ''}...",
                   expanded=True) as status:
        bar = st.progress(0.0)
        for gi, group in enumerate(groups):
            names = ", ".join(i.file_name for i in group)
            st.write(f"Validating and publishing {names}...")
            first = group[0]
            try:
                outcomes = inbox.publish_with_retry(
                    store, [i.path for i in group], attempts=PUBLISH_ATTEMPTS, wait=1.0,
                    on_wait=lambda a: st.write(f"Someone else is publishing; waiting ({a} s)..."),
                    as_of=first.as_of, tool=first.tool, date_order=first.date_order,
                    mapping_path=first.mapping_path, display_names=[i.file_name for i in group],
                    user=current_user(), currency=first.currency, allow_empty=first.allow_empty,
                    scope=auth.current_scope())
            except StoreBusy:
                status.update(label=BUSY_MESSAGE, state="error")
                ok = False
                break
            except IngestFailed as exc:
                for p in exc.problems:
                    st.error(p, icon=":material/error:")
                status.update(label=f"Not published: {names}. The store is unchanged for these files.",
                              state="error")
                ok = False
                break
            except Exception as exc:  # noqa: BLE001
                st.error(f"Publishing {names} failed unexpectedly ({type(exc).__name__}: {exc}). "
                         "The store is unchanged for these files.")
                status.update(label="Publishing failed", state="error")
                ok = False
                break
            published.append({"version": outcomes[0].version, "summaries": [o.summary() for o in outcomes]})
            for i in group:
                st.session_state.setdefault("data_done", set()).add(by_path[i.path].file_id)
                _drop(by_path[i.path])
            bar.progress((gi + 1) / len(groups))
        if ok:
            status.update(label=f"Published version {published[-1]['version']}", state="complete")
    if published:
        st.session_state["data_published"] = published
    if ok:
        if not _files():
            _clear_uploads()
        st.rerun()
    if not ok and published:
        _show_last_publish()


def _show_last_publish() -> None:
    published = st.session_state.get("data_published")
    if not published:
        return
    lines = [f"**Version {p['version']}** is live: " + "; ".join(p["summaries"]) for p in published]
    st.success("\n\n".join(lines), icon=":material/check_circle:")
    home_link("Open the home page to see the new figures")


def home_link(label: str) -> None:
    try:
        st.page_link("dashboard.py", label=label, icon=":material/dashboard:")
    except Exception:  # noqa: BLE001 - the page run on its own (tests) has no home page registered
        st.markdown(f"[{label}](/)")


def _size(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 1e5 else f"{n / 1e3:,.1f} KB"


# --- The column mapper ---------------------------------------------------------------------------

def mapper(store: Store, e: Staged) -> None:
    """Map an unknown layout's columns onto a canonical table; saved as a mapping file in the store."""
    fid = e.file_id
    if e.headers is None:
        try:
            e.headers = uploads.header_candidates(e.path, e.name)
        except Exception as exc:  # noqa: BLE001
            st.error(f"{e.name}: the header cannot be read ({exc}).")
            return
    with st.expander("Map the columns", expanded=not e.ok, icon=":material/table_view:"):
        st.caption("Pick the export column that holds each canonical column (docs/data-model.md). "
                   "**Preview mapping** shows the rows as they would be stored and what would be "
                   "rejected; **Save mapping & publish** then stores them and keeps the mapping.")
        sheets = [s for s, _ in e.headers]
        sheet = sheets[0]
        if len(sheets) > 1:
            sheet = st.selectbox("Sheet", sheets, key=f"data_map_sheet_{fid}")
        header = dict(e.headers)[sheet]
        tables = list(schema.TABLES)
        best = uploads.guess_table(header)
        c1, c2, c3 = st.columns(3)
        table = c1.selectbox("Canonical table", tables, index=tables.index(best), key=f"data_map_table_{fid}",
                             help="Where the rows go. Columns are described in docs/data-model.md.")
        name = c2.text_input("Name", value=Path(e.name).stem, key=f"data_map_name_{fid}",
                             help="Shown in summaries and the history.")
        source = c3.text_input("Dataset id", value=uploads.source_id(e.name), key=f"data_map_source_{fid}",
                               help="A newer file with the same id replaces the rows of the older one.")
        guess = uploads.guess_columns(table, header)
        options = [uploads.NO_COLUMN, *header]
        columns: dict[str, str] = {}
        st.markdown(f"**Columns of `{table}`** (* = required)")
        grid = st.columns(3)
        for i, col in enumerate(uploads.mappable_columns(table)):
            req = " *" if col in uploads.required_columns(table) else ""
            kind = uploads.column_kind(table, col)
            default = guess.get(col, uploads.NO_COLUMN)
            pick = grid[i % 3].selectbox(f"{col} ({kind}){req}", options, index=options.index(default),
                                         key=f"data_map_{fid}_{table}_{col}")
            if pick != uploads.NO_COLUMN:
                columns[col] = pick
        st.markdown("**Value formats**")
        f1, f2, f3 = st.columns(3)
        order = f1.selectbox("Dates", [AUTO, "dmy", "mdy"], key=f"data_map_dates_{fid}",
                             format_func={AUTO: "Settle from the values", "dmy": "Day first (31/12/2026)",
                                          "mdy": "Month first (12/31/2026)"}.get)
        decimal = f2.selectbox("Numbers", [AUTO, ".", ","], key=f"data_map_decimal_{fid}",
                               format_func={AUTO: "Settle from the values", ".": "Decimal point (1,234.56)",
                                            ",": "Decimal comma (1.234,56)"}.get)
        has_lists = any(uploads.column_kind(table, c) == "list" for c in columns)
        separator = f3.text_input("List separator", value=",", key=f"data_map_sep_{fid}", disabled=not has_lists,
                                  help="Between the items of a list cell (labels, sprints, external ids).")
        text_cols = [c for c in uploads.constant_candidates(table) if c not in columns]
        constants: dict[str, str] = {}
        if text_cols:
            st.markdown("**Fixed values** for columns the export lacks (the same value on every row)")
            cgrid = st.columns(3)
            for i, col in enumerate(text_cols):
                v = cgrid[i % 3].text_input(col, key=f"data_map_const_{fid}_{table}_{col}")
                if v.strip():
                    constants[col] = v.strip()
        missing = uploads.missing_required(table, columns, constants)
        text = uploads.mapping_toml(table=table, columns=columns, name=name.strip() or Path(e.name).stem,
                                    source=source.strip() or uploads.source_id(e.name),
                                    sheet=sheet if len(sheets) > 1 else None,
                                    date_order=None if order == AUTO else order,
                                    decimal=None if decimal == AUTO else decimal,
                                    separator=separator if has_lists else None, constants=constants)
        if missing:
            st.warning(f"`{table}` needs {', '.join(missing)}: pick a column or give a fixed value.",
                       icon=":material/warning:")
        with st.popover("Mapping file", icon=":material/description:"):
            st.code(text, language="toml")
        previewed = e.ok and e.mapping_path == _mapping_path(e, text)
        with st.container(horizontal=True):
            preview = st.button("Preview mapping", key=f"data_map_preview_{fid}", disabled=bool(missing),
                                icon=":material/visibility:", type="secondary" if previewed else "primary")
            save = st.button("Save mapping & publish", key=f"data_map_publish_{fid}",
                             type="primary" if previewed else "secondary", disabled=not previewed,
                             icon=":material/save:",
                             help=None if previewed else "Preview this mapping first.")
    if preview:
        e.mapping_path = _mapping_path(e, text)
        e.mapping_path.write_text(text, encoding="utf-8")
        st.rerun()
    if save and previewed:
        publish(store, [e])


def _mapping_path(e: Staged, text: str) -> Path:
    """Where the mapper's TOML goes: beside the upload, named by its content (new text = new preview)."""
    return e.path.parent / f"mapping-{hashlib.sha256(text.encode()).hexdigest()[:10]}.toml"


# --- History -------------------------------------------------------------------------------------

def history_view(store: Store) -> None:
    msg = st.session_state.pop("data_history_result", None)
    if msg:
        st.success(msg, icon=":material/check_circle:")
        home_link("Open the home page to see the figures")
    root, current = str(store.root.resolve()), store.current_version()
    if current == 0:
        st.info("The store is empty: nothing has been published yet.")
        return
    versions = _versions(root, current)
    ingests = _ingests(root, current)
    if auth.current_scope().restricted:       # per-file counts add up rows of every portfolio
        ingests = ingests.with_columns(pl.lit(None, dtype=pl.Int64).alias(c) for c in uploads.COUNT_COLUMNS)
        st.caption(f"Your role sees {auth.current_scope().describe()}: the ingest log shows no row counts "
                   "(they cover every portfolio) and raw files are not offered.")
    _confirmation(store)

    st.subheader("Versions", anchor=False)
    st.caption("Every publish, rollback and removal is a version; the dashboard serves the one marked "
               "serving. Rolling back publishes a new version with the rows of an earlier one, so it "
               "can itself be undone.")
    st.dataframe(versions, hide_index=True, key="data_versions", column_config={
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
                 hide_index=True, key="data_ingests", column_config={
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


# --- Data quality --------------------------------------------------------------------------------

def quality_view(store: Store) -> None:
    root, current = str(store.root.resolve()), store.current_version()
    scope = auth.sql_scope()          # the session's rows, and salary rows only if it may see them
    findings = _quality(root, current, scope)
    active = store.manifest(current).get("active", [])
    rejected = data.runtime(scope).query("rejected_rows_detail", ingest_ids=list(active), limit=500)
    total = rejected["rejected_total"][0] if rejected.height else 0
    with_findings = [f for f in findings if f.rows.height]
    with st.container(horizontal=True):
        st.metric("Checks run", fmt.count(len(findings)), border=True,
                  help="Store-wide checks in queries/checks/ (the same as `pmo check`).")
        st.metric("Checks with findings", fmt.count(len(with_findings)), border=True,
                  help="Checks that found at least one item to look at.")
    st.subheader("Store-wide checks", anchor=False)
    summary = pl.DataFrame({"check": [f.title for f in findings], "found": [f.rows.height for f in findings]},
                           schema={"check": pl.String, "found": pl.Int64})
    st.table(summary.with_columns(pl.col("found").map_elements(fmt.count, return_dtype=pl.String)).rename(
        {"check": "Check", "found": "Found"}), hide_index=True)
    for f in with_findings:
        with st.expander(f"{f.title.rstrip('.')}: {f.rows.height:,} found", icon=":material/rule:"):
            st.dataframe(f.rows.rename({"item": "Item", "detail": "Detail"}), hide_index=True,
                         key=f"data_check_{f.check}")
            share.download_table(f.rows, f.title.rstrip("."))
    st.subheader("Rejected rows and cleared cells", anchor=False)
    if rejected.height == 0:
        st.success("No rejected rows or cleared cells in the files in use.", icon=":material/check_circle:")
        return
    in_use = _ingests(root, current).filter(pl.col("in_use"))
    st.caption(f"{counts_text(int(in_use['rows_rejected'].sum()), int(in_use['cells_cleared'].fill_null(0).sum()))}"
               f" in the files in use; {total:,} entries, newest ingest first"
               + (f"; the first {rejected.height:,} shown" if total > rejected.height else "") + ".")
    st.dataframe(rejected.drop("rejected_total"), hide_index=True, key="data_rejected", column_config={
        "ingest_id": st.column_config.NumberColumn("Ingest", format="%d"), "file_name": "File",
        "table_name": "Table", "row_number": st.column_config.NumberColumn("Row", format="%d"),
        "kind": "What happened", "column_name": "Column", "value": "Value", "reason": "Reason"})
    share.download_table(rejected.drop("rejected_total"), "Rejected rows")


# --- Drop folder ---------------------------------------------------------------------------------

def _when(p: Path) -> str:
    t = inbox.moved_at(p)
    return f"{t:%d %b %Y %H:%M:%S}" if t else "—"


def drop_folder_view(store: Store) -> None:
    watcher = inbox_watcher.start()
    st.markdown("Put export files in this folder (copy, save or sync from a shared drive); each is "
                "ingested on its own, then moved to `processed/` or to `failed/` with a `.error.txt` "
                "beside it saying why.")
    st.code(str(store.inbox.resolve()), language=None)
    if watcher is not None and watcher.running:
        st.caption(f"This dashboard checks the folder every {watcher.interval:g} seconds. "
                   "On a server without the dashboard open, run `pmo watch`.")
    else:
        st.caption("This dashboard is not watching the folder ([store] inbox_interval_seconds = 0): "
                   "run `pmo watch`, or press Process now.")
    if st.button("Process now", key="data_process_now", icon=":material/play_arrow:",
                 help="Ingest the files that are ready now, without waiting for the next pass."):
        with st.spinner("Ingesting the waiting files..."):
            results = inbox.process_inbox(store, user=f"{current_user()} (drop folder)")
        st.session_state["data_inbox_results"] = [(r.status, r.line()) for r in results]
        st.rerun()
    results = st.session_state.pop("data_inbox_results", None)
    if results is not None:
        for status, line in results:
            {"processed": st.success, "busy": st.warning}.get(status, st.error)(line)
        if not results:
            st.caption("Nothing was ready: files modified in the last few seconds, or named .part / "
                       ".tmp / .crdownload, are left for the next pass.")
    waiting = inbox.waiting(store)
    processed = inbox.recent(store, "processed")
    failed = inbox.recent(store, "failed")
    st.subheader(f"Waiting ({len(waiting):,})", anchor=False)
    if waiting:
        st.table(pl.DataFrame([{"File": p.name, "Size": _size(p.stat().st_size),
                                "Modified": f"{datetime.fromtimestamp(p.stat().st_mtime):%d %b %Y %H:%M:%S}",
                                "State": "being written" if inbox.is_partial(p.name) else "ready"}
                               for p in waiting]), hide_index=True)
    else:
        st.caption("Nothing waiting.")
    st.subheader("Failed", anchor=False)
    if not failed:
        st.caption("No failed files.")
    for i, p in enumerate(failed):
        with st.expander(f"{inbox.original_name(p)}, refused {_when(p)}", icon=":material/error:",
                         expanded=i == 0):
            st.caption(f"Kept as `{p}`; the note beside it:")
            st.code(inbox.error_note(p) or "(no .error.txt beside this file)", language=None, wrap_lines=True)
    st.subheader("Processed", anchor=False)
    if processed:
        st.table(pl.DataFrame([{"File": inbox.original_name(p), "Ingested at": _when(p), "Kept as": p.name}
                               for p in processed]), hide_index=True)
    else:
        st.caption("No processed files yet.")
