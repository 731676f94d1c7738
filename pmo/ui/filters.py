"""The filters every page shares: portfolio, program, department, manager, stage and as-of date.

Each is a sidebar widget bound to the URL (`bind="query-params"`), so a copied link reopens the
same view, and kept across page switches (`persist_state="session"`). The as-of date lists its
dates as 25 Sep 2026 while the URL keeps the ISO date (`_as_of_picker`). A value in a link that no
longer exists is dropped with a notice instead of an error.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from datetime import date

import streamlit as st

from pmo import filter_choices, metrics
from pmo.ui import data, safe, url
from pmo.ui.url import shown_value

DIMENSIONS = ("portfolio", "program", "department", "manager", "stage")
LABELS = {"portfolio": "Portfolio", "program": "Program", "department": "Department",
          "manager": "Manager", "stage": "Stage", "as_of": "As of"}


@dataclass(frozen=True)
class Filters:
    portfolio: str | None = None
    program: str | None = None
    department: str | None = None
    manager: str | None = None
    stage: str | None = None
    as_of: date | None = None          # None = latest
    latest_as_of: date | None = None

    def params(self) -> dict:
        """Bound parameters for queries (NULL = all)."""
        return {"portfolio": self.portfolio, "program": self.program,
                "department": self.department, "manager": self.manager, "stage": self.stage}

    def parts(self) -> list[str]:
        """'Label: value' for each filter set."""
        return [f"{LABELS[d]}: {getattr(self, d)}" for d in DIMENSIONS if getattr(self, d)]

    def summary(self) -> str:
        parts = self.parts()
        as_of = self.as_of or self.latest_as_of
        parts.append(f"as of {metrics.day(as_of)}" if as_of else "latest data")
        return " · ".join(parts) if parts else "All projects"


# What the sidebar derives from a query result, kept while that result lives (the runtime caches
# results per version and scope, so every rerun of every session on a version shares them): the
# sidebar was about a tenth of a page's server time per rerun, recomputing the same lists.
_DERIVED: dict[int, dict] = {}     # id(result) -> {key: value}, dropped with the result
_DERIVED_LOCK = threading.Lock()
_MAX_PER_RESULT = 512            # distinct filter choices remembered per result


def _derived(frame, key, make):
    """make() for (this result, key), computed once while `frame` (a cached query result) lives."""
    with _DERIVED_LOCK:
        memo = _DERIVED.get(id(frame))
        if memo is not None and key in memo:
            return memo[key]
    value = make()
    with _DERIVED_LOCK:
        if id(frame) not in _DERIVED:
            # forget it with the result (an id can be reused by a later object)
            _DERIVED[id(frame)] = {}
            weakref.finalize(frame, _DERIVED.pop, id(frame), None)
        memo = _DERIVED[id(frame)]
        if len(memo) >= _MAX_PER_RESULT:
            memo.clear()
        memo[key] = value
    return value


def _options() -> dict[str, list[str]]:
    df = data.query("filter_options")

    def make() -> dict[str, list[str]]:
        out: dict[str, list[str]] = {d: [] for d in (*DIMENSIONS, "as_of")}
        for dim, value in df.iter_rows():
            out[dim].append(value)
        return out
    # a copy of each list: a caller may change what it gets
    return {d: list(v) for d, v in _derived(df, "options", make).items()}


def _drop_stale(key: str, allowed: list[str]) -> None:
    """A value from an old link that is not an option any more: drop it and say so."""
    value = st.query_params.get(key)
    if value is not None and value not in allowed:
        del st.query_params[key]
        st.session_state.pop(key, None)
        st.toast(f"The link's {LABELS[key].lower()} '{shown_value(value)}' is not in the data any more; "
                 "showing all instead.", icon=":material/link_off:")


def _current(key: str) -> str | None:
    """A filter's value before its widget is drawn: the widget's state, else the link's."""
    if key in st.session_state:
        return st.session_state[key]
    return st.query_params.get(key)


AS_OF_KEPT = "_as_of"     # the as-of date chosen in this session (ISO), kept across pages


def _as_of_picker(choices: list[str]) -> str | None:
    """The as-of picker: dates listed as they read everywhere (25 Sep 2026), the URL keeping the
    ISO date (?as_of=2026-09-25), so links stay short, stable and language-free. Not a bound
    widget: with bind="query-params" the URL would hold the shown text; the URL is kept here the
    way url.url_select keeps its codes. Returns the ISO date chosen, or None for the latest."""
    if st.query_params.get("as_of") not in (None, *choices):
        st.session_state.pop(AS_OF_KEPT, None)
    _drop_stale("as_of", choices)
    before = st.query_params.get("as_of")
    iso = before or st.session_state.get(AS_OF_KEPT)
    iso = iso if iso in choices else None
    st.session_state[AS_OF_KEPT] = iso
    if iso and iso != before:       # a write sends the server's copy of the URL to the browser
        st.query_params["as_of"] = iso
    if st.query_params.get("as_of") != before:
        url._link_changed()

    def changed() -> None:
        picked = st.session_state["as_of"]
        st.session_state[AS_OF_KEPT] = picked
        if picked:
            st.query_params["as_of"] = picked
        else:
            st.query_params.pop("as_of", None)

    st.session_state["as_of"] = iso
    return st.selectbox(
        "As of (status date)", choices, index=None, key="as_of", format_func=metrics.day,
        placeholder=f"Latest ({metrics.day(choices[0])})", on_change=changed,
        help="Show the portfolio as it was known on an earlier status date.")


def sidebar(*, show_as_of: bool = True) -> Filters:
    """Render the shared filters in the sidebar; return what is selected."""
    opts = _options()
    latest = date.fromisoformat(opts["as_of"][-1]) if opts["as_of"] else None
    values: dict = {}
    with st.sidebar:
        st.subheader("Filters", anchor=False)
        for dim in DIMENSIONS:
            _drop_stale(dim, opts[dim])
        # each filter offers what still selects a project under the others (picked before drawing)
        combos, current = data.query("filter_combinations"), {d: _current(d) for d in DIMENSIONS}
        offered = _derived(combos, ("choices", *current.values()), lambda: filter_choices.choices(
            combos, current, {d: LABELS[d] for d in DIMENSIONS}, quote=safe.md))
        for dim in DIMENSIONS:
            values[dim] = st.selectbox(
                offered[dim].label, offered[dim].options, index=None, placeholder="All", key=dim,
                bind="query-params", persist_state="session")
        as_of = None
        if show_as_of and opts["as_of"]:
            picked = _as_of_picker(list(reversed(opts["as_of"])))
            as_of = date.fromisoformat(picked) if picked else None
        if any(values.values()) or as_of:
            if st.button("Clear filters", icon=":material/filter_alt_off:", width="stretch"):
                for k in (*DIMENSIONS, "as_of", AS_OF_KEPT):
                    st.session_state.pop(k, None)
                    if k in st.query_params:
                        del st.query_params[k]
                st.rerun()
        st.caption(f"Store version {data.version()}")
    return Filters(**values, as_of=as_of, latest_as_of=latest)
