"""Projects to match: the projects an export names that no register lists (a task tracker's
project, a status report's name, a ledger's code). Each shows on every page as a project of its
own until an analyst links it to a register project or keeps it; the decision is published as a
new version (pmo/project_links.py), so it is kept, rolled back and replayed like any export."""

from __future__ import annotations

import streamlit as st

from pmo import metrics, project_links
from pmo.ingest import IngestFailed, current_user
from pmo.store import Store, StoreBusy
from pmo.ui import data, safe, share, tables
from pmo.ui.data_page.state import BUSY_MESSAGE

SHOWN = 25          # unmatched projects with a form each; the rest in the table below


def _decide(store: Store, alias: str, link_to: str | None) -> None:
    try:
        version = project_links.decide(store, alias, link_to=link_to, user=current_user())
    except StoreBusy:
        st.session_state["data_match_result"] = ("warning", BUSY_MESSAGE)
        return
    except IngestFailed as exc:
        st.session_state["data_match_result"] = ("error", "\n\n".join(exc.problems))
        return
    what = f"linked to {link_to}" if link_to else "kept as a project of its own"
    st.session_state["data_match_result"] = ("success", f"{alias} {what}: version {version} serves it.")


def _forget(store: Store, alias: str) -> None:
    try:
        version = project_links.forget(store, alias, user=current_user())
    except (StoreBusy, IngestFailed) as exc:
        st.session_state["data_match_result"] = ("warning", str(exc))
        return
    st.session_state["data_match_result"] = ("success", (f"The decision about {alias} is undone: version "
                                                         f"{version} matches it automatically again."))


def matching_view(store: Store) -> None:
    result = st.session_state.pop("data_match_result", None)
    if result:
        getattr(st, result[0])(safe.md(result[1]))
    unmatched = data.query("projects_to_match")
    register = data.query("register_projects")
    st.caption("Projects an export names that no register project matches by id, alias or name. Each "
               "shows on every page as a project of its own until you link it to a register project "
               "(its rows then count for that project) or keep it. Each decision is a new data version: "
               "History can roll it back.")
    if unmatched.is_empty():
        st.success("Every project matches a register project (or was kept as its own)." if register.height
                   else "There is no register export yet, so nothing to match against.",
                   icon=":material/check_circle:")
    else:
        st.markdown(f"**{metrics.plural(unmatched.height, 'project')} to match**")
        names = dict(register.iter_rows())
        options = list(names)
        for row in unmatched.head(SHOWN).iter_rows(named=True):
            alias = row["project_id"]
            with st.container(border=True):
                st.markdown(f"**{safe.md(alias)}** · {safe.md(row['project_name'])} · from "
                            f"{safe.md(', '.join(row['sources']))}")
                suggested = [s.split(" · ")[0] for s in row["suggestions"]]
                ordered = [o for o in suggested if o in names] + [o for o in options if o not in suggested]
                with st.container(horizontal=True, vertical_alignment="bottom"):
                    target = st.selectbox("Link to", ordered, index=0 if suggested else None,
                                          key=f"data_match_to_{alias}", placeholder="Choose a register project",
                                          format_func=lambda pid: f"{pid} · {names.get(pid) or ''}", width=420,
                                          help="Closest names first." if suggested else None)
                    st.button("Link", key=f"data_match_link_{alias}", icon=":material/link:",
                              disabled=target is None, on_click=_decide, args=(store, alias, target))
                    st.button("Keep as its own project", key=f"data_match_new_{alias}", type="tertiary",
                              icon=":material/add_circle:", on_click=_decide, args=(store, alias, None))
        tables.paged(unmatched, key="data_unmatched", noun="projects")
        share.download_table(unmatched, "Projects to match")
    decisions = data.query("project_link_decisions")
    if decisions.height:
        st.subheader("Decisions taken", anchor=False)
        tables.paged(decisions, key="data_link_decisions", noun="decisions", order="newest first")
        with st.container(horizontal=True, vertical_alignment="bottom"):
            undo = st.selectbox("Undo the decision about", decisions["alias"].to_list(), index=None,
                                key="data_match_undo", width=420)
            st.button("Undo", key="data_match_undo_go", disabled=undo is None, icon=":material/undo:",
                      on_click=_forget, args=(store, undo))
        share.download_table(decisions, "Project link decisions")
