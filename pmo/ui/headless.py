"""Rendering a saved view's page headlessly for `pmo report` (pmo/report.py): Streamlit's own
script runner (AppTest) runs the page as the view's owner with their role, and what the page's
share bar collected is the meeting pack. Streamlit-aware, so it lives in pmo/ui."""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from pathlib import Path

from pmo import auth
from pmo.report import RENDER_TIMEOUT, ROOT, Rendered, ReportError


@contextmanager
def _env(**values: str):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def render(store_root: Path | str, view: dict, owner: str, role: auth.Role) -> Rendered:
    """Run the view's page headlessly as `owner` with `role`; what its share bar collected."""
    from streamlit.testing.v1 import AppTest

    from pmo.ui.url import SHARE_VIEW_KEY

    # AppTest's own bookkeeping outside a script run warns on stderr; nothing for the reader
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)
    params = {k: v for k, v in view["params"].items() if k not in ("as_of", "present")}
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=RENDER_TIMEOUT)
    for k, v in params.items():
        at.query_params[k] = v
    with _env(PMO_DATA_DIR=str(Path(store_root).resolve())), auth.render_as(owner, role):
        try:
            if view["page"] == "dashboard.py":
                at.run()
            else:
                at.switch_page(view["page"]).run()
        except RuntimeError as exc:           # AppTest's timeout
            raise ReportError(f"the page {view['page']} did not finish rendering ({exc}).") from None
    if at.exception:
        raise ReportError(f"the page {view['page']} failed while rendering: {at.exception[0].message}; "
                          "open the view in the dashboard to see why.")
    shown = at.session_state[SHARE_VIEW_KEY] if SHARE_VIEW_KEY in at.session_state else None
    if shown is None:
        said = " ".join(e.value for e in at.error)
        raise ReportError(f"the page {view['page']} showed no meeting pack for {owner} (role {role.name})"
                          + (f": {said}" if said else "; it may not offer one."))
    return Rendered(shown, list(shown.downloads))
