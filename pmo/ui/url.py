"""The URL is the view: helpers for query parameters that shape a page.

`link()` is the current URL with every parameter that shapes the view; `drop_invalid` and
`url_select` keep a stale or edited link from breaking a page (the value is dropped with a notice
and the share bar's link is redrawn). Pages bind widgets with `bind="query-params"`; these cover
the rest.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.query_params import _coerce_value_for_query_url

ROOT = Path(__file__).resolve().parent.parent.parent
PRESENT = "present"                  # presentation mode (?present=1): not part of the view
SHARE_VIEW_KEY = "_share_view"       # the view pmo/ui/share.py's share bar draws, per run


_PAGES_DIR = str(ROOT / "pages") + os.sep
_HOME = str(ROOT / "dashboard.py")


def running_page() -> str:
    """The page being run: the outermost frame in pages/ or dashboard.py, relative to the repo.
    (Plain string tests: a page run asks this a few dozen times.)"""
    frame, found = sys._getframe(1), None
    while frame is not None:
        f = frame.f_code.co_filename
        if f == _HOME or (f.startswith(_PAGES_DIR) and os.sep not in f[len(_PAGES_DIR):]):
            found = f
        frame = frame.f_back
    if found is None or found == _HOME:
        return "dashboard.py"
    return "pages/" + found[len(_PAGES_DIR):]


def url_path(script: str) -> str:
    """pages/1_Portfolio_Health.py -> Portfolio_Health (Streamlit's page URL); home -> ''."""
    name = Path(script).stem
    return "" if script == "dashboard.py" else re.sub(r"^\d+[_\- ]*", "", name)


def link(script: str) -> str:
    """The current URL with every parameter that shapes the view (not presentation mode)."""
    sync_bound()
    base = st.context.url or ("./" + url_path(script))
    params = {k: v for k, v in st.query_params.to_dict().items() if k != PRESENT}
    return base + ("?" + urlencode(params) if params else "")


def sync_bound() -> None:
    """Make the server's copy of the URL hold what every URL-bound widget shows.

    The browser sends its URL with each rerun, but Streamlit's frontend can read it just before it
    writes a widget's new value there (seen under load: the filter applied, the copied link
    without it). The server's copy then lacks the value, the share bar's link drops the filter, and
    the next write to st.query_params pushes that copy back to the address bar. Streamlit's own
    rules are used: a widget at its default has no parameter, any other value is written the way
    its binding writes it. Only widgets already drawn in this run are read: one not drawn yet
    still holds the last run's value, while the URL may be newer (the browser's Back button)."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    state = ctx.session_state
    try:
        drawn = ctx.shared.widget_ids_this_run
        with state.query_params() as qp:
            inner = state._state
            changed = False
            for key, binding in list(qp._bindings_by_param.items()):
                meta = inner._new_widget_state.widget_metadata.get(binding.widget_id)
                if meta is None or binding.widget_id not in drawn or key not in state:
                    continue
                value = state[key]
                wanted = (None if value == meta.deserializer(None) else
                          _coerce_value_for_query_url(meta.serializer(value), binding.value_type))
                if wanted == []:
                    wanted = ""         # how the URL says "none chosen" where the default is some
                have = qp._query_params.get(key)
                if wanted is None and have is not None and have != "":
                    del qp._query_params[key]
                    changed = True
                elif wanted is not None and have != wanted:
                    qp._query_params[key] = wanted
                    changed = True
            if changed:
                qp._send_query_param_msg()
    except (AttributeError, KeyError, TypeError, ValueError):   # a Streamlit whose internals moved
        return


def shown_value(value: str, limit: int = 40) -> str:
    """A URL value safe to quote in a notice: no markup characters, at most `limit` characters."""
    text = re.sub(r"[\[\]()<>*_`~#|\\:$]", " ", str(value))
    text = " ".join(text.split())
    return text[:limit] + ("…" if len(text) > limit else "")


def _link_changed() -> None:
    """The URL changed during this run: the page's share bar (if drawn) shows the new link."""
    view = st.session_state.get(SHARE_VIEW_KEY)
    if view is not None and view.script == running_page():
        view.refresh_link()


def _lower(label: str) -> str:
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def drop_invalid(key: str, allowed, label: str, fallback: str = "the default") -> None:
    """Before a URL-bound widget: a value from an old or edited link that is not an option (any
    more) is removed from the URL and the session, and a notice says so. `allowed` is the options
    (as they appear in the URL) or a test of one value."""
    value = st.query_params.get(key)
    if value is not None and not (allowed(value) if callable(allowed) else value in allowed):
        del st.query_params[key]
        st.session_state.pop(key, None)
        st.toast(f"The link's {_lower(label)} '{shown_value(value)}' is not valid here (any more); showing "
                 f"{fallback} instead.", icon=":material/link_off:")
        _link_changed()


def url_select(label: str, choices: dict, param: str, default: str, help: str | None = None, *,
               width="stretch") -> str:
    """A selectbox whose value travels in the URL as its short code (?eac=plan, ?sort=cpi), not
    its label, and is kept for the session across pages. An unknown code is dropped with a notice.
    Returns the chosen code."""
    requested = before = st.query_params.get(param)
    if requested is not None and requested not in choices:
        st.toast(f"The link's {_lower(label)} '{shown_value(requested)}' is not an option; showing "
                 f"{choices[default]} instead.", icon=":material/link_off:")
        requested = None
    code = requested or st.session_state.get(f"_{param}") or default
    code = code if code in choices else default
    st.session_state[f"_{param}"] = code
    # written only when it differs: each write sends the server's copy of the URL to the browser
    if code != default and st.query_params.get(param) != code:
        st.query_params[param] = code
    elif code == default and param in st.query_params:
        del st.query_params[param]

    def changed() -> None:
        picked = st.session_state[f"{param}_pick"]
        st.session_state[f"_{param}"] = picked
        if picked == default:
            st.query_params.pop(param, None)
        else:
            st.query_params[param] = picked

    if st.query_params.get(param) != before:
        _link_changed()
    codes = list(choices)
    st.session_state[f"{param}_pick"] = code
    return st.selectbox(label, codes, key=f"{param}_pick", format_func=choices.get, on_change=changed,
                        help=help, width=width)


