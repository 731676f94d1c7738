"""The filters every page shares: portfolio, program, department, manager, stage and as-of date.

Each is a sidebar widget bound to the URL (`bind="query-params"`), so a copied link reopens the
same view, and kept across page switches (`persist_state="session"`). A value in a link that no
longer exists is dropped with a notice instead of an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from pmo import filter_choices
from pmo.ui import data, safe
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
        parts.append(f"as of {as_of:%d %b %Y}" if as_of else "latest data")
        return " · ".join(parts) if parts else "All projects"


def _options() -> dict[str, list[str]]:
    df = data.query("filter_options")
    out: dict[str, list[str]] = {d: [] for d in (*DIMENSIONS, "as_of")}
    for dim, value in df.iter_rows():
        out[dim].append(value)
    return out


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
        offered = filter_choices.choices(data.query("filter_combinations"),
                                         {d: _current(d) for d in DIMENSIONS},
                                         {d: LABELS[d] for d in DIMENSIONS}, quote=safe.md)
        for dim in DIMENSIONS:
            values[dim] = st.selectbox(
                offered[dim].label, offered[dim].options, index=None, placeholder="All", key=dim,
                bind="query-params", persist_state="session")
        as_of = None
        if show_as_of and opts["as_of"]:
            choices = list(reversed(opts["as_of"]))
            _drop_stale("as_of", choices)
            picked = st.selectbox(
                "As of (status date)", choices, index=None, placeholder=f"Latest ({choices[0]})",
                key="as_of", bind="query-params", persist_state="session",
                help="Show the portfolio as it was known on an earlier status date.")
            as_of = date.fromisoformat(picked) if picked else None
        if any(values.values()) or as_of:
            if st.button("Clear filters", icon=":material/filter_alt_off:", width="stretch"):
                for k in (*DIMENSIONS, "as_of"):
                    st.session_state.pop(k, None)
                    if k in st.query_params:
                        del st.query_params[k]
                st.rerun()
        st.caption(f"Store version {data.version()}")
    return Filters(**values, as_of=as_of, latest_as_of=latest)
