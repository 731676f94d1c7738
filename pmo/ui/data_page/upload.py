"""Upload -> preview -> publish: files staged in the session, read with the options chosen, shown as
they will be stored, and published together as one new version through pmo.ingest (the same code
as `pmo ingest`)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pmo import config, inbox, uploads
from pmo import metrics as fmt
from pmo.importers import registry
from pmo.ingest import EMPTY, FileOutcome, IngestFailed, analyse, counts_text, current_user
from pmo.manifest import Manifest
from pmo.readiness import write_state
from pmo.store import Store, StoreBusy
from pmo.ui import auth, safe
from pmo.ui.data_page.mapper import mapper
from pmo.ui.data_page.state import (
    AUTO,
    BUSY_MESSAGE,
    PREVIEW_ROWS,
    PUBLISH_ATTEMPTS,
    Staged,
    clear_uploads,
    drop_staged,
    staged_files,
    upload_dir,
)


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
    entries = list(staged_files().values())
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
    files = staged_files()
    done = st.session_state.setdefault("data_done", set())
    seen = set()
    for f in uploaded:
        seen.add(f.file_id)
        if f.file_id in done or f.file_id in files:
            continue
        path = uploads.stage_upload(upload_dir(), f.file_id, f.name, f)
        files[f.file_id] = Staged(f.file_id, uploads.safe_name(f.name), path, f.size)
    for fid in [k for k in files if k not in seen]:
        drop_staged(files[fid])


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
            status.update(label=f"Reading {e.name} ({file_size(e.size)}), {i + 1} of {len(todo)}...")
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


def file_card(store: Store, e: Staged, manifest: Manifest) -> None:
    with st.container(border=True, key=f"data_card_{e.file_id}"):
        head, opts = st.columns([6, 1], vertical_alignment="center")
        with head:
            if e.ok:
                o = e.outcome
                tables = ", ".join(f"**{t}** ({n:,} rows)" for t, n in o.tables.items())
                st.markdown(f"#### {safe.md(e.name)}\n{safe.md(o.label)} → {tables}")
            elif e.needs_mapping and not e.mapping_path:
                st.markdown(f"#### {safe.md(e.name)}\n{file_size(e.size)} · a layout no importer knows: map its columns below")
            else:
                st.markdown(f"#### {safe.md(e.name)}\n{file_size(e.size)} · not ready to publish")
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
            st.caption(safe.md(e.problems[0].replace(" pass --source TOOL, or map the columns with --mapping FILE "
                                                     "(see docs/importing.md).", " or map the columns below.")))
        elif e.problems:
            # refusals quote the file's own values: shown as written
            st.error("\n\n".join(safe.md(p) for p in e.problems), icon=":material/error:")
            if EMPTY in e.refusals and not e.allow_empty:
                _confirm_empty(e)
        if e.ok:
            _outcome_body(e, manifest)
        if e.needs_mapping:
            mapper(store, e, publish)


def _confirm_empty(e: Staged) -> None:
    """A file with no data rows is refused; publishing it anyway (it clears its source) takes a
    deliberate second click, as `pmo ingest --allow-empty` does."""
    st.caption("If the export's filter found nothing by mistake, export it again. To clear that source "
               "on purpose, confirm below: the preview then shows what publishing it replaces.")
    if st.button("Publish anyway: replace the source's rows with none", key=f"data_allow_empty_{e.file_id}",
                 icon=":material/delete_sweep:"):
        e.allow_empty = True
        st.rerun()


def _outcome_body(e: Staged, manifest: Manifest) -> None:
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
                       f"`{table}` (Row in file = the row in the file).")
            # the columns under their labels (metrics/*.toml), a dash for an empty cell
            labels = {c: fmt.label(c) for c in shown.columns if fmt.is_defined(c)}
            st.dataframe(shown, hide_index=True, key=f"data_preview_{fid}_{table}", placeholder=fmt.MISSING,
                         column_config={**labels, "file_row": st.column_config.NumberColumn("Row in file",
                                                                                              format="%d")})
    with tabs[-1]:
        _findings(o)


def _findings(o: FileOutcome) -> None:
    for note in o.notes:
        st.markdown(f"- {safe.md(note)}")
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
    st.dataframe(rej, hide_index=True, key=f"data_rejects_{o.sha256[:12]}", placeholder=fmt.MISSING,
                 column_config={"row": st.column_config.NumberColumn("Row", format="%d"), "what": "What happened",
                                "table": "Table", "column": "Column", "value": "Value", "reason": "Reason"})


def publish_bar(store: Store, entries: list[Staged]) -> None:
    ready = [e for e in entries if e.ok]
    blocked = [e for e in entries if not e.ok]
    if blocked:
        st.caption(f"Not published: {safe.md(', '.join(e.name for e in blocked))} (see the problems above).")
    locked = write_state(store)
    if locked:
        st.warning(f"The store is {locked}: previews work, publishing does not until it is writable again.",
                   icon=":material/lock:")
    if auth.current_scope().restricted:
        st.caption(f"Your role publishes only rows of {safe.md(auth.current_scope().describe())}; rows of "
                   "other portfolios in the same source are kept as they are.")
    with st.container(horizontal=True):
        label = f"Publish {len(ready)} file{'s' if len(ready) != 1 else ''}"
        if st.button(label, type="primary", icon=":material/publish:", key="data_publish",
                     disabled=not ready or bool(locked)):
            publish(store, ready)
        if st.button("Cancel", icon=":material/close:", key="data_cancel"):
            clear_uploads()
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
            names = safe.md(", ".join(i.file_name for i in group))     # into Markdown below
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
                    st.error(safe.md(p), icon=":material/error:")
                status.update(label=f"Not published: {names}. The store is unchanged for these files.",
                              state="error")
                ok = False
                break
            except Exception as exc:  # noqa: BLE001
                st.error(f"Publishing {names} failed unexpectedly ({safe.md(f'{type(exc).__name__}: {exc}')}). "
                         "The store is unchanged for these files.")
                status.update(label="Publishing failed", state="error")
                ok = False
                break
            published.append({"version": outcomes[0].version, "summaries": [o.summary() for o in outcomes]})
            for i in group:
                st.session_state.setdefault("data_done", set()).add(by_path[i.path].file_id)
                drop_staged(by_path[i.path])
            bar.progress((gi + 1) / len(groups))
        if ok:
            status.update(label=f"Published version {published[-1]['version']}", state="complete")
    if published:
        st.session_state["data_published"] = published
    if ok:
        if not staged_files():
            clear_uploads()
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


def file_size(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 1e5 else f"{n / 1e3:,.1f} KB"
