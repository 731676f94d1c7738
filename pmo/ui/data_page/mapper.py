"""The column mapper: a layout no importer knows is mapped column by column onto a canonical table,
previewed, and kept as a mapping file for the same header next time."""

from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from pmo import schema, uploads
from pmo.store import Store
from pmo.ui import safe
from pmo.ui.data_page.state import AUTO, Staged


def mapper(store: Store, e: Staged, publish) -> None:
    """Map an unknown layout's columns onto a canonical table; saved as a mapping file in the store."""
    fid = e.file_id
    if e.headers is None:
        try:
            e.headers = uploads.header_candidates(e.path, e.name)
        except Exception as exc:  # noqa: BLE001
            st.error(safe.md(f"{e.name}: the header cannot be read ({exc})."))
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
