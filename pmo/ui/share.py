"""Share exactly what you see: the link that reopens this view, downloads of every table (CSV,
Excel) and chart (PNG, SVG), the meeting pack (PowerPoint + PDF), presentation mode and saved
views. The files are made by pmo/export/; this module puts them behind buttons.

A page calls `share_bar(...)` once, right after its sidebar filters, then draws as usual with
three drop-in helpers that also record what the page shows for the meeting pack:

    view = share.share_bar("Portfolio health", f)      # top-right: link, pack, saved views, present
    share.kpi_row("Status at a glance")                 # the KPIs after it form one slide
    share.metric("Active projects", "35", ...)          # = st.metric, recorded
    share.chart(chart, key="rag")                       # = st.altair_chart + PNG/SVG buttons, recorded
    share.download_table(df, "Red projects")            # CSV/Excel buttons under a table
    share.pack_table("Red projects and why", df)        # a table slide (paginated)

Files are built only when a button is clicked (`st.download_button` with a callable, in its own
thread, without rerunning the page), so pages stay as fast as before; every download is written
to the audit log with who, what, which filters and which store version.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError
from streamlit.runtime.scriptrunner import get_script_run_ctx

from pmo import audit, charts, export, health, metrics, saved_views
from pmo.lru import Lru
from pmo.ui import auth, copy_link, data, nav, safe
from pmo.ui.url import PRESENT, SHARE_VIEW_KEY, link, running_page, url_path

_STATE = SHARE_VIEW_KEY
LINK_BOX = "share_link"          # the fragment key of the link in the Copy link popover
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "png": "image/png", "svg": "image/svg+xml",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pdf": "application/pdf"}

try:   # exports convert charts under the same lock Streamlit uses for Altair's global settings
    from streamlit.elements.vega_charts import _altair_globals_lock

    export.use_altair_lock(_altair_globals_lock)
except ImportError:  # pragma: no cover - a Streamlit without it: export keeps its own lock
    pass

try:   # the conversion st.altair_chart does (theme, Arrow datasets), kept per chart: see _page_spec
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec as _convert_altair
except ImportError:  # pragma: no cover - a Streamlit without it: st.altair_chart on every run
    _convert_altair = None

PRESENT_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"], [class*="st-key-dl_"] {
  display: none !important;
}
[data-testid="stMainBlockContainer"] {
  max-width: 100% !important; padding: 1.25rem 2.5rem 2rem 2.5rem !important;
}
[data-testid="stAppViewContainer"] { margin-left: 0 !important; }
</style>
"""


# ---------------------------------------------------------------------------------------------
# The view being shown (one per run)
# ---------------------------------------------------------------------------------------------
@dataclass
class View:
    page: str                       # "Portfolio health"
    script: str                     # "pages/1_Portfolio_Health.py"
    filters: list[str]              # ["Portfolio: Digital Channels", ...]
    as_of: date | None
    version: int | None
    currency: str
    link: str
    user: str
    role: str
    root: Path
    pack: export.Pack = None        # set in __post_init__
    keys: set = field(default_factory=set)
    link_slot: object = None        # where the link is shown (redrawn when the URL is corrected)
    link_draws: int = 0             # how often it was drawn (each drawing's widget key)
    downloads: list = field(default_factory=list)   # (name, df, labels, meta) of each table offered as CSV
    sections: dict = field(default_factory=dict)    # what each `section` recorded: {name: _Recorded}

    def __post_init__(self):
        if self.pack is None:
            self.pack = export.Pack(self.meta())

    def add_filter(self, text: str | None) -> None:
        """A selection that shapes the view beyond the sidebar (window, drill path, method)."""
        if text and text not in self.filters:
            self.filters.append(text)

    def filter_text(self) -> str:
        return " · ".join(self.filters) or "All projects"

    def meta(self, title: str | None = None) -> export.Meta:
        return export.Meta(page=self.page, filters=self.filter_text(), as_of=self.as_of, version=self.version,
                           link=self.link, user=self.user, currency=self.currency, title=title)

    def refresh_link(self, *, draw: bool = False) -> None:
        """The URL may have changed during this run (a stale value dropped, a default written into
        it): show the link as it is now (`draw`: show it even if unchanged)."""
        new = link(self.script)
        if new == self.link and not draw:
            return
        self.link = new
        if self.link_slot is not None:
            # a button that copies on click or tap, and the link itself, selectable; a key per
            # drawing, since one run may draw the same link twice (A, then B, then A again)
            self.link_draws += 1
            with self.link_slot.container():
                copy_link.copy_button(self.link, key=f"share_copy_{self.link_draws}")
                st.code(self.link, language=None, wrap_lines=True)

    def key(self, base: str) -> str:
        """A widget key unique in this run."""
        base = re.sub(r"[^a-z0-9_]+", "_", base.lower()).strip("_")[:50] or "x"
        k, n = base, 2
        while k in self.keys:
            k, n = f"{base}_{n}", n + 1
        self.keys.add(k)
        return k


def _who() -> tuple[str, str]:
    return auth.current_user(), auth.current_role().name


def current() -> View | None:
    """This page's view, if the page drew a share bar in this run (page.start forgets the
    previous run's)."""
    view = st.session_state.get(_STATE)
    if view is not None and view.script == running_page():
        return view
    return None


def _view_or_default(page: str | None = None) -> View:
    view = current()
    if view is None:
        script = running_page()
        user, role = _who()
        view = View(page or url_path(script).replace("_", " ") or "Home", script, [], None,
                    data.version(), _currency(), link(script), user, role, data.store().root)
    return view


def _currency() -> str:
    return data.settings().get("general", {}).get("reporting_currency", "USD")


def filter_parts(f) -> list[str]:
    """The shared sidebar filters (pmo.ui.filters.Filters) as 'Label: value' parts."""
    return f.parts()


# ---------------------------------------------------------------------------------------------
# The share bar
# ---------------------------------------------------------------------------------------------
def presenting() -> bool:
    value = st.query_params.get(PRESENT)
    if value is None:
        return False
    if value in ("1", "true"):
        return True
    del st.query_params[PRESENT]
    st.toast("The link's presentation setting was not understood; showing the normal view.",
             icon=":material/link_off:")
    return False


def _set_present(on: bool) -> None:
    if on:
        st.query_params[PRESENT] = "1"
    elif PRESENT in st.query_params:
        del st.query_params[PRESENT]


def share_bar(page_title: str, filters=None, as_of: date | None = None, version: int | None = None,
              *, currency: str | None = None, heading: bool = True) -> View:
    """The page title (`heading=True`) with, at its right, Copy link, Meeting pack, Saved views and
    Present. `filters` is the shared Filters (its as-of is used when `as_of` is not given), a
    summary string, or a list of 'Label: value' parts. Returns the view, to which the page may add
    selections shown beyond the sidebar (a window, a drill path)."""
    script = running_page()
    if filters is None:
        parts = []
    elif isinstance(filters, str):
        parts = [filters] if filters and filters != "All projects" else []
    elif isinstance(filters, (list, tuple)):
        parts = [p for p in filters if p]
    else:
        parts = filter_parts(filters)
        as_of = as_of or getattr(filters, "as_of", None) or getattr(filters, "latest_as_of", None)
    user, role = _who()
    view = View(page_title, script, parts, as_of, data.version() if version is None else version,
                currency or _currency(), link(script), user, role, data.store().root)
    st.session_state[_STATE] = view

    row = st.container(horizontal=True, vertical_alignment="center", gap="medium", key="share_row", wrap=True,
                       horizontal_alignment="left" if heading else "right")
    if heading:
        row.title(page_title, anchor=False, width="stretch")
    if presenting():
        st.html(PRESENT_CSS)
        with row.container(horizontal=True, horizontal_alignment="right", key="share_exit"):
            st.button("Exit presentation", icon=":material/close_fullscreen:", type="tertiary",
                      key="share_present_off", on_click=_set_present, args=(False,))
        return view

    with row.container(horizontal=True, horizontal_alignment="right", gap="small", key="share_bar", wrap=True,
                       width="content"):
        with st.popover("Copy link", icon=":material/link:",
                        help="This view as a link: page, filters, as-of date and selections."):
            st.caption("Anyone allowed to see this data opens exactly this view: page, filters, as-of "
                       "date and selections. **Copy** puts the link on the clipboard; it is also below, "
                       "to select.")
            _link_box()
        with st.popover("Meeting pack", icon=":material/slideshow:",
                        help="This view as slides: a title slide with the filters and as-of date, one "
                             "slide per KPI row and chart, and the red projects with their reasons."):
            st.caption(f"16:9 slides of this view ({view.filter_text()}, as of "
                       f"{view.meta().as_of_text()}). Built when you click: a few seconds.")
            with st.container(horizontal=True, gap="small"):
                _download("PowerPoint", lambda: _pack_bytes(view, "pptx"),
                          export.file_name(view.meta(), "meeting-pack", "pptx"), "pptx",
                          key="share_pack_pptx", icon=":material/co_present:", kind="secondary")
                _download("PDF", lambda: _pack_bytes(view, "pdf"),
                          export.file_name(view.meta(), "meeting-pack", "pdf"), "pdf",
                          key="share_pack_pdf", icon=":material/picture_as_pdf:", kind="secondary")
        with st.popover("Saved views", icon=":material/bookmarks:",
                        help="Name this view to open it again later; your saved views are listed here."):
            _saved_views(view)
        st.button("Present", icon=":material/fit_screen:", key="share_present_on", on_click=_set_present,
                  args=(True,), help="A clean full-width view for screen sharing: no sidebar, toolbar or "
                                     "download buttons. The link keeps it (?present=1).")
    return view


@st.fragment(key=LINK_BOX)
def _link_box() -> None:
    """The link and its Copy button. A fragment, so that a section whose widget is kept in the URL
    (a grouping) reruns it with itself (`keep_link`) and the link shown stays exact."""
    view = st.session_state.get(_STATE)
    if view is not None:
        view.link_slot = st.empty()
        view.refresh_link(draw=True)


# ---------------------------------------------------------------------------------------------
# Saved views
# ---------------------------------------------------------------------------------------------
def _save_view(view: View) -> None:
    name = saved_views.clean_name(st.session_state.get("share_view_name", ""))
    if not name:
        st.toast("Give the view a name first.", icon=":material/edit:")
        return
    params = {k: v for k, v in st.query_params.to_dict().items() if k != PRESENT}
    saved_views.save_view(view.root, view.user, name, view.script, params)
    st.session_state["share_view_name"] = ""
    st.toast(f"Saved '{name}'.", icon=":material/bookmark_added:")


def _delete_view(view: View, name: str) -> None:
    saved_views.delete_view(view.root, view.user, name)
    st.toast(f"Removed '{name}'.", icon=":material/bookmark_remove:")


def _page_label(script: str) -> str:
    return next((label for p, label, _, _ in nav.PAGES if p == script), url_path(script).replace("_", " "))


def _saved_views(view: View) -> None:
    st.text_input("Name this view", key="share_view_name", max_chars=saved_views.MAX_NAME,
                  placeholder="e.g. Digital Channels, red projects")
    st.button("Save this view", icon=":material/bookmark_add:", key="share_view_save", on_click=_save_view,
              args=(view,), help="Keeps the page, filters and selections under this name, for you.")
    views = saved_views.list_views(view.root, view.user)
    if not views:
        st.caption("No saved views yet.")
        return
    st.caption(f"Your saved views ({len(views)}):")
    for i, v in enumerate(views):
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            label = f"{safe.md(v['name'])} · {_page_label(v['page'])}"
            try:
                st.page_link(v["page"], label=label, icon=":material/bookmark:", query_params=v["params"])
            except (StreamlitPageNotFoundError, KeyError):   # a page run on its own (tests), or gone
                st.markdown(f":material/bookmark: {label}")
            st.button("", icon=":material/delete:", key=f"share_view_del_{i}", type="tertiary",
                      on_click=_delete_view, args=(view, v["name"]), help=f"Remove '{v['name']}'")


# ---------------------------------------------------------------------------------------------
# Recording what the page shows (for the meeting pack)
# ---------------------------------------------------------------------------------------------
def kpi_row(title: str, note: str | None = None) -> None:
    """The metrics drawn after this form one slide titled `title` (`note`: a line under it)."""
    view = current()
    if view is not None:
        view.pack.new_kpi_row(title, note)


_NO_PREVIOUS = object()


def kpi_cells(n: int) -> list:
    """Places for `n` KPI cards in one row that wraps: each card as wide as its label and figure,
    as many to a line as fit (two on a phone), so no label or figure is cut. Used like st.columns."""
    row = st.container(horizontal=True, wrap=True)
    return [row] * n


def kpi(name: str, value, *, previous=_NO_PREVIOUS, since: str | None = None, delta: str | None = None,
        currency: str | None = None, note: str | None = None, text: str | None = None) -> None:
    """A KPI card of metric `name` (metrics/*.toml): its label, format and help, the change from
    `previous` (coloured by the metric's good direction; "no change" when equal at the shown
    precision) or a given `delta` text, `note` added to the help. Recorded for the meeting pack."""
    m = metrics.spec(name)
    cur = currency or _currency()
    shown = text if text is not None else metrics.text(name, value, cur)
    color, arrow = "off", "auto"
    if previous is not _NO_PREVIOUS:
        delta = health.delta_text(value, previous, metrics.delta_kind(name), cur)
        color = metrics.delta_color(name)
        if delta is not None and delta.lstrip("+-$€£0.,") in ("", "K", "M", "B", " pts"):
            delta, color, arrow = "no change", "off", "off"
    elif delta is not None:
        arrow = "off"
    tip = " ".join(x for x in (m.help, note, f"Change {since}." if since and previous is not _NO_PREVIOUS else None) if x)
    metric(m.label, shown, delta, delta_color=color, delta_arrow=arrow, border=True, help=tip)


def metric(label, value, delta=None, **kwargs):
    """st.metric, recorded for the meeting pack (pages use `kpi`, which takes the label from the
    metrics layer)."""
    out = st.metric(label, value, delta, **kwargs)
    view = current()
    if view is not None:
        view.pack.kpi(label, "—" if value is None else value, None if delta is None else delta, kwargs.get("help"))
    return out


def chart(chart, *, name: str | None = None, key: str | None = None, **kwargs):
    """st.altair_chart, then PNG / SVG downloads under it; recorded for the meeting pack. The chart
    carries its text alternative (title and figures) as its Vega description: the SVG's aria-label."""
    spec = _page_spec(chart)
    if spec is not None:
        event = st.vega_lite_chart(spec=dict(spec), key=key, **kwargs)
    else:
        event = st.altair_chart(_unvalidated(_as_shown(chart)), key=key, **kwargs)
    download_chart(chart, name or key)
    view = current()
    if view is not None:
        view.pack.charts.append(chart)
    return event


def _as_shown(chart):
    """The chart as the page shows it: titles wrapped for narrow screens, and its text alternative
    (title and figures) as its Vega description, the SVG's aria-label."""
    return charts.wrapped_titles(chart).properties(description=charts.text_alternative(chart))


# Each chart object's Vega-Lite spec as Streamlit sends it (datasets already Arrow), so a chart
# that pmo/charts hands back again for the same figures (pmo/charts/memo.py) is converted once,
# not on every rerun of every session. Keyed by id(chart); the entry holds the chart, so the id
# cannot be reused while it is kept.
_SPECS = Lru(512)


def _page_spec(chart) -> dict | None:
    """The chart's spec as the page shows it, converted once per chart object; None when this
    Streamlit has no converter to reuse (then st.altair_chart converts it on every run)."""
    if _convert_altair is None:
        return None
    hit = _SPECS.get(id(chart))
    if hit is not None and hit[0] is chart:
        return hit[1]
    spec = _convert_altair(_unvalidated(_as_shown(chart)))
    _SPECS.put(id(chart), (chart, spec))
    return spec


def _unvalidated(chart):
    """The chart, converted by Streamlit without checking it against the Vega-Lite JSON schema
    (Streamlit calls `to_dict()`, which validates: about a tenth of Portfolio health's server time
    per run). Our charts are built by pmo/charts and validated there by the tests (tests that
    call `to_dict()`, the exports, and every page under the test suite, which sets
    PMO_VALIDATE_CHARTS=1); a page need not validate them again on every rerun."""
    if os.environ.get("PMO_VALIDATE_CHARTS") != "1":
        object.__setattr__(chart, "to_dict", functools.partial(type(chart).to_dict, chart, validate=False))
    return chart


def pack_table(title: str, df: pl.DataFrame, *, labels: dict | None = None, widths: dict | None = None,
               empty: str = "Nothing to list.") -> None:
    """A table slide in the meeting pack (e.g. the red projects with their reasons); column titles
    from the metrics layer (`labels` for columns a page names itself)."""
    view = current()
    if view is not None:
        titles = {c: metrics.label(c) for c in df.columns if metrics.is_defined(c)}
        view.pack.tables.append(export.PackTable(title, df, {**titles, **(labels or {})}, widths or {}, empty))


# ---------------------------------------------------------------------------------------------
# Sections: parts of a page that rerun on their own (st.fragment)
# ---------------------------------------------------------------------------------------------
# The lists a section appends to while it draws, as (holder, attribute) getters.
_RECORDS = {"charts": lambda v: v.pack, "tables": lambda v: v.pack, "downloads": lambda v: v}


@dataclass
class _Recorded:
    """Where a section's entries sit in the view's lists ({list: (start, count)}) and the widget
    keys it took, so that its next rerun replaces them in place."""
    spans: dict
    keys: set


def _fragment_run() -> bool:
    """True while Streamlit reruns only some fragments (a widget inside one was used)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def section(name: str):
    """Decorator: the function draws one part of the page whose own widgets (a grouping, a heat
    map's page) change nothing outside it. It runs as an st.fragment, so using such a widget reruns
    this part only, not the page (shared filters still rerun the whole page). The charts, tables
    and downloads it records for the meeting pack are replaced in place when it reruns, its
    download keys stay the same, and the view's link follows the URL (a grouping is kept in it).

    The part must not record KPI cards, nor change what the rest of the page shows."""
    def decorate(func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            # on its own rerun no page frame is on the stack yet: the view is the session's last
            view = st.session_state.get(_STATE) if _fragment_run() else current()
            if view is None:
                return func(*args, **kwargs)
            if _fragment_run() and name in view.sections:
                return _rerun_section(view, name, func, args, kwargs)
            marks = {a: len(getattr(get(view), a)) for a, get in _RECORDS.items()}
            keys = set(view.keys)
            out = func(*args, **kwargs)
            view.sections[name] = _Recorded(
                {a: (marks[a], len(getattr(get(view), a)) - marks[a]) for a, get in _RECORDS.items()},
                view.keys - keys)
            return out
        return st.fragment(run, key=_section_key(name))
    return decorate


def keep_link(name: str):
    """on_change of a section's widget kept in the URL (a grouping): reruns the section `name` and
    the share bar's link, so the link shown (and the meeting pack's) carries the new value."""
    def rerun() -> None:
        view = st.session_state.get(_STATE)
        key = _section_key(name)
        st.rerun([key, LINK_BOX] if view is not None and view.link_slot is not None else [key])
    return rerun


def _section_key(name: str) -> str:
    return f"section_{name}"      # fragment keys apart from the widget keys of the same names


def _rerun_section(view: View, name: str, func, args, kwargs):
    rec = view.sections[name]
    view.keys -= rec.keys                   # the same keys as before, not "<key>_2"
    kept = {a: getattr(get(view), a) for a, get in _RECORDS.items()}
    for a, get in _RECORDS.items():
        setattr(get(view), a, [])
    keys = set(view.keys)
    try:
        return func(*args, **kwargs)
    finally:
        for a, get in _RECORDS.items():
            new, (start, count) = getattr(get(view), a), rec.spans[a]
            setattr(get(view), a, kept[a][:start] + new + kept[a][start + count:])
            rec.spans[a] = (start, len(new))
            for other in view.sections.values():   # later sections' entries move with the splice
                o_start, o_count = other.spans[a]
                if other is not rec and o_start > start:
                    other.spans[a] = (o_start + len(new) - count, o_count)
        rec.keys = view.keys - keys
        view.link = link(view.script)       # a grouping kept in the URL: the pack's link follows


# ---------------------------------------------------------------------------------------------
# Downloads
# ---------------------------------------------------------------------------------------------
def _download(label, make, file_name, fmt, *, key, icon=":material/download:", kind="tertiary", help=None):
    # `make` runs only when clicked, in its own thread; the page does not rerun for a download.
    st.download_button(label, data=make, file_name=file_name, mime=MIME[fmt], key=key, on_click="ignore",
                       icon=icon, type=kind, help=help)


def _audit(view: View, what: str, fmt: str, **detail) -> None:
    """Every download is an audit event (pmo.audit, when present)."""
    audit.log(view.root, view.user, "export",
              {"page": view.page, "what": what, "format": fmt, "filters": view.filter_text(),
               "as_of": view.as_of.isoformat() if view.as_of else None, "version": view.version,
               "link": view.link, **detail}, role=view.role)


def _pack_bytes(view: View, fmt: str) -> bytes:
    view.pack.meta = view.meta()
    out = export.pack_pptx(view.pack) if fmt == "pptx" else export.pack_pdf(view.pack)
    _audit(view, "meeting pack", fmt, kpis=sum(len(r.items) for r in view.pack.kpi_rows),
           charts=len(view.pack.charts), tables=[t.title for t in view.pack.tables])
    return out


def download_table(df: pl.DataFrame, name: str, meta: export.Meta | None = None, *,
                   labels: dict | None = None) -> None:
    """CSV and Excel buttons under a table: the rows and columns shown, with the filters, as-of
    date and data version written into the file."""
    view = _view_or_default()
    key = view.key(f"dl_{name}")
    view.downloads.append((name, df, labels, meta))    # the CSV attachments of `pmo report`

    def make(fmt: str):
        def build() -> bytes:
            m = meta or view.meta(name)
            out = (export.to_csv_bytes(df, m, labels) if fmt == "csv"
                   else export.to_xlsx_bytes(df, m, sheet=name, labels=labels))
            _audit(view, name, fmt, rows=df.height, columns=len(df.columns))
            return out
        return build

    m = meta or view.meta(name)
    with st.container(horizontal=True, horizontal_alignment="right", gap="small", key=key):
        _download("CSV", make("csv"), export.file_name(m, name, "csv"), "csv", key=f"{key}_csv",
                  help=f"{name}: the {df.height:,} rows shown, as CSV (filters and as-of date in the first lines).")
        _download("Excel", make("xlsx"), export.file_name(m, name, "xlsx"), "xlsx", key=f"{key}_xlsx",
                  help=f"{name}: the {df.height:,} rows shown, as an Excel sheet with the filters and as-of date.")


def download_chart(chart, name: str | None = None, meta: export.Meta | None = None) -> None:
    """PNG and SVG buttons under a chart: the image carries its title, the filters and the as-of date."""
    view = _view_or_default()
    title, _ = export.chart_title(chart)
    name = name if name and not name.startswith("bv_chart:") else (title or name or "chart")
    key = view.key(f"dl_{export.slug(title or name)}")

    def make(fmt: str):
        def build() -> bytes:
            m = meta or view.meta(title or name)
            sub = [m.filters, f"As of {m.as_of_text()} · {m.version_text()} · {m.page}"]
            out = export.chart_png(chart, subtitle=sub) if fmt == "png" else export.chart_svg(chart, subtitle=sub)
            _audit(view, title or name, fmt)
            return out
        return build

    m = meta or view.meta(title or name)
    with st.container(horizontal=True, horizontal_alignment="right", gap="small", key=key):
        _download("PNG", make("png"), export.file_name(m, title or name, "png"), "png", key=f"{key}_png",
                  icon=":material/image:", help="This chart as a picture, with its title, the filters and the as-of date.")
        _download("SVG", make("svg"), export.file_name(m, title or name, "svg"), "svg", key=f"{key}_svg",
                  icon=":material/image:", help="This chart as SVG (sharp at any size), with its title, the filters "
                                                "and the as-of date.")
