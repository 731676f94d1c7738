"""Prioritisation: which projects to fund within a budget. Projects are scored on weighted business
drivers, the highest-scoring set within the budget is found exactly (forced choices and
dependencies respected), the efficient frontier shows the best score at every budget, and
scenarios are saved, compared and shared by link.

The maths is pmo/prioritisation.py; the scores come from a scoring sheet or are entered here; every
write is a store version (pmo/page_inputs.py). docs/prioritisation.md explains every figure.
"""

import re

import polars as pl
import streamlit as st

from pmo import metrics as fmt
from pmo import page_inputs
from pmo import prioritisation as pr
from pmo.charts import prioritisation as charts
from pmo.ingest import IngestFailed
from pmo.store import StoreBusy
from pmo.ui import data, filters, page, safe, session, share, tables, url

st.set_page_config(page_title="Prioritisation", page_icon=":material/balance:", layout="wide")

TABLE_ORDER = ["score_rank", "project_id", "project_name", "portfolio", "stage", "priority_cost", "priority_score",
               "selection", "selection_reason", "risk_exposure"]
PAIRWISE = [1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9]
CAPACITY_HELP = (
    "Role capacity: no capacity data is loaded, so the selection is limited by the budget alone. To limit it "
    "by the hours each role has per quarter, load the **HR export** (scheduled weekly hours and time off, "
    "e.g. Workday) or a tool's capacity sheet, and **allocations** (Project Online "
    "`AssignmentTimephasedDataSet`, a Float / Runn allocation sheet, MS Project's assignment export) on the "
    "Data page (docs/resources.md lists the layouts).")
PAIRWISE_TEXT = {1 / 9: "9× less", 1 / 7: "7× less", 1 / 5: "5× less", 1 / 3: "3× less", 1: "equal",
                 3: "3× more", 5: "5× more", 7: "7× more", 9: "9× more"}


def slug(text: str) -> str:
    return "w_" + re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------
page.start()
f = filters.sidebar(show_as_of=False)
settings = data.settings()
currency = settings["general"]["reporting_currency"]
cfg = pr.read_settings(settings)
role = session.role()
user = session.user()
may_write = role is not None and "ingest" in role.actions

candidates_all = data.query("priority_candidates", **f.params())
candidates = candidates_all.filter(~pl.col("stage").is_in(sorted(cfg.closed_stages)) | pl.col("stage").is_null())
scores = data.query("priority_scores")
deps = data.query("priority_dependencies")
saved = data.query("priority_saved_scenarios")
fiscal_start = int(settings["general"].get("fiscal_year_start_month", 1))
role_capacity = data.query("priority_role_capacity", fiscal_start_month=fiscal_start)
names = dict(zip(candidates["project_id"].to_list(), candidates["project_name"].to_list()))
criteria = list(cfg.weights) + sorted(set(scores["criterion"].to_list()) - set(cfg.weights))
weight_keys = {c: slug(c) for c in criteria}
saved_names = saved.sort("saved_at", descending=True)["scenario"].unique(maintain_order=True).to_list()
selectable = candidates.filter(pl.col("priority_cost").is_not_null())["project_id"].to_list()


def scenario_settings(name: str) -> dict:
    rows = saved.filter(pl.col("scenario") == name)
    first = rows.row(0, named=True)
    return {"weights": pr.parse_weights(first["weights"]), "budget": first["budget"],
            "forced_in": rows.filter(pl.col("forced") == "in")["project_id"].to_list(),
            "forced_out": rows.filter(pl.col("forced") == "out")["project_id"].to_list(),
            "saved_by": first["saved_by"], "saved_at": first["saved_at"], "note": first["note"],
            "respect_capacity": bool(first["respect_capacity"])}


def detach() -> None:
    """A weight, the budget or a forced choice changed by hand: the view is no longer the saved
    scenario, so its name leaves the link (bound widgets change through the session state, which
    updates the URL)."""
    st.session_state["scenario"] = None
    st.session_state["_pr_applied"] = None


def apply_scenario(name: str) -> None:
    """Put a saved scenario's weights, budget and forced choices into the widgets (and so the link)."""
    s = scenario_settings(name)
    for c, key in weight_keys.items():
        st.session_state[key] = float(s["weights"].get(c, 0.0))
    st.session_state["budget"] = float(s["budget"])
    for key in ("force_in", "force_out"):
        st.session_state[key] = [p for p in s["forced_" + key.split("_")[1]] if p in selectable]
    if not role_capacity.is_empty():        # without capacity data the option is not offered
        st.session_state["capacity"] = s["respect_capacity"]
    st.session_state["_pr_applied"] = name


url.drop_invalid("scenario", saved_names, "scenario")
if st.session_state.get("_pr_open") in saved_names:        # just saved: open it
    st.session_state["scenario"] = st.session_state.pop("_pr_open")
    st.session_state["_pr_applied"] = st.session_state["scenario"]
wanted = st.session_state.get("scenario") or st.query_params.get("scenario")
if wanted and st.session_state.get("_pr_applied") != wanted:
    apply_scenario(wanted)

view = share.share_bar("Prioritisation", f)
if wanted:
    view.add_filter(f"Scenario: {wanted}")

if candidates.is_empty():
    st.info("No open project matches these filters. Prioritisation needs a project register (MS Project / "
            "Project Online, ServiceNow pm_project, Clarity ... on the Data page); closed and cancelled "
            "projects are not candidates. Clear a filter in the sidebar.", icon=":material/filter_alt_off:")
    st.stop()

# ---------------------------------------------------------------------------------------------
# Sidebar: scenario, weights, budget, forced choices (all in the link)
# ---------------------------------------------------------------------------------------------
current_cost = float(candidates.filter(~pl.col("stage").is_in(sorted(cfg.proposal_stages)))["priority_cost"]
                     .fill_null(0).sum())
default_budget = cfg.budget or float(round(current_cost / 100_000) * 100_000)
with st.sidebar:
    st.subheader("Scenario", anchor=False)
    st.selectbox("Open a saved scenario", saved_names, index=None, key="scenario", bind="query-params",
                 placeholder="Saved scenarios" if saved_names else "None saved yet",
                 help="Loads its weights, budget, forced choices and the role capacity switch; the selection is recomputed on the current data.")
    url.drop_invalid("budget", lambda v: re.fullmatch(r"[0-9.e+]+", v) is not None, "budget")
    budget = st.number_input(f"Budget ({currency})", min_value=0.0, value=default_budget, step=100_000.0,
                             format="%.0f", key="budget", bind="query-params", on_change=detach,
                             help="The selection's total cost (register budgets) must stay within it. Default: config "
                                  "[prioritisation] budget, else what the current portfolio costs.")
    st.markdown("**Weights** (sum to 100)")
    weights = {}
    for c in criteria:
        key = weight_keys[c]
        url.drop_invalid(key, lambda v: re.fullmatch(r"[0-9.]+", v) is not None, f"weight of {c}")
        weights[c] = st.number_input(c + (" (lower is better)" if c in cfg.lower_is_better else ""), min_value=0.0,
                                     max_value=100.0, value=float(cfg.weights.get(c, 0.0)), step=5.0, key=key,
                                     bind="query-params", on_change=detach)
    for key in ("force_in", "force_out"):
        url.drop_invalid(key, lambda v: v in selectable, "forced project")
    forced_in = st.multiselect("Force in", selectable, key="force_in", bind="query-params", on_change=detach,
                               help="Always selected (committed, regulatory, contracted). Project ids: the table "
                                    "below names them.")
    forced_out = st.multiselect("Force out", selectable, key="force_out", bind="query-params", on_change=detach,
                                help="Never selected (stopped, deferred).")
    if role_capacity.is_empty():
        respect_capacity = False
        st.caption(CAPACITY_HELP)
    else:
        url.drop_invalid("capacity", ("true", "false"), "role capacity switch")
        respect_capacity = st.toggle(
            "Respect role capacity", key="capacity", bind="query-params", on_change=detach,
            help="Also keep each role's planned hours per fiscal quarter within the hours its people have left "
                 "(HR contract hours less leave and holidays, after the last logged day), once the projects "
                 "outside this selection have taken theirs.")

problems = pr.check_weights(weights)
for p in problems:
    st.error(f"Weights: {p}. Until then the scores below use the weights as given.", icon=":material/scale:")
if wanted:
    s = scenario_settings(wanted)
    st.caption(f"Scenario **{safe.md(wanted)}**, saved by {safe.md(s['saved_by'])} at {safe.md(s['saved_at'])}"
               + (f": {safe.md(s['note'])}" if s["note"] else "")
               + ". The selection is recomputed on the current data; 'Compare scenarios' shows what was saved.")
if weights != {c: float(cfg.weights.get(c, 0.0)) for c in criteria}:
    view.add_filter("Weights: " + pr.weights_text(weights))
if budget != default_budget:
    view.add_filter(f"Budget: {fmt.money(budget, currency)}")
for label, ids in (("Forced in", forced_in), ("Forced out", forced_out)):
    if ids:
        view.add_filter(f"{label}: {', '.join(ids)}")
if respect_capacity:
    view.add_filter("Respecting role capacity per quarter")
role_demand = data.query("priority_role_demand", fiscal_start_month=fiscal_start) if respect_capacity else None

if scores.is_empty():
    st.info("No driver scores are loaded yet, so every project scores 0. Load a scoring sheet on the Data page "
            "(columns Project ID, Criterion, Score, Scored by, Scored at, Note; scores as numbers or None / Low / "
            "Moderate / Strong / Extreme; docs/prioritisation.md), or score projects in 'Enter scores' at the "
            "bottom of this page.", icon=":material/upload_file:")

@st.cache_data(max_entries=64, show_spinner="Solving the selection and the frontier ...")
def analysis(version: int, scope, filter_params: tuple, settings_key: tuple, weights_key: tuple, budget_: float,
             fin: tuple, fout: tuple, capacity_on: bool) -> pr.Analysis:
    """The analysis for one store version, row scope, filters and scenario (the frontier is 20
    integer programs: a rerun that changes nothing here does not solve them again)."""
    return pr.analyse(candidates, scores, deps, cfg, dict(weights_key), budget_, list(fin), list(fout),
                      role_capacity if capacity_on else None, role_demand if capacity_on else None)


a = analysis(data.version(), session.scope(), tuple(sorted(f.params().items(), key=lambda kv: kv[0])),
             (tuple(cfg.weights.items()), tuple(sorted(cfg.lower_is_better)), tuple(sorted(cfg.proposal_stages)),
              tuple(sorted(cfg.closed_stages)), cfg.frontier_steps, fiscal_start),
             tuple(weights.items()), float(budget), tuple(forced_in), tuple(forced_out), respect_capacity)
sel = a.selection
if not sel.feasible:
    st.error(f"No selection is possible: {sel.problem}. Raise the budget"
             + (", turn off 'Respect role capacity'" if respect_capacity else "")
             + " or change the forced choices.", icon=":material/block:")

# ---------------------------------------------------------------------------------------------
# KPIs
# ---------------------------------------------------------------------------------------------
share.kpi_row("The best selection within the budget",
              f"Weights: {pr.weights_text(weights)}. Scores 0-100 per project.")
figures = (("priority_candidates", candidates.height), ("priority_budget", budget),
           ("priority_selected_count", len(sel.selected)), ("priority_selected_cost", sel.total_cost),
           ("priority_selected_score", sel.total_score), ("priority_current_score", a.current_score),
           ("priority_unscored", len(a.unscored)))
for chunk in (figures[:4], figures[4:]):
    row = iter(share.kpi_cells(4))
    for name, value in chunk:
        with next(row):
            share.kpi(name, value)
st.caption(f"The current portfolio (candidates past a proposal stage) costs {fmt.money(a.current_cost, currency)} "
           f"and scores {a.current_score:,.1f}; the selection scores {sel.total_score:,.1f} for "
           f"{fmt.money(sel.total_cost, currency)}. Selection is an exact 0/1 optimisation (HiGHS), not a ranking by "
           "score per cost." + (f" Not fully scored (count 0 on a missing criterion): {', '.join(a.unscored)}."
                                 if a.unscored else ""))
if a.unknown_scored:
    st.caption(f"Scores for {fmt.plural(len(a.unknown_scored), 'id')} that no open project of these filters has "
               f"(closed, filtered out, or not matched on the Data page): {safe.md(', '.join(a.unknown_scored[:10]))}"
               + (" …" if len(a.unknown_scored) > 10 else ""))

# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------
c1, c2 = st.columns(2, gap="large")
with c1:
    points = pl.DataFrame({"what": ["Current portfolio", "This selection"],
                           "frontier_budget": [a.current_cost, sel.total_cost],
                           "frontier_cost": [a.current_cost, sel.total_cost],
                           "frontier_score": [a.current_score, sel.total_score]})
    if a.frontier.filter((pl.col("frontier_budget") > 0) & (pl.col("frontier_score") > 0)).is_empty():
        # nothing to trade off: an axis of zeros and "$NaN" would say nothing
        st.info("No efficient frontier yet: it needs candidates with a cost (their register budget) and a "
                "driver score above zero. Load budgets and scores (docs/prioritisation.md).",
                icon=":material/show_chart:")
    else:
        share.chart(charts.frontier(a.frontier, points, currency), key="pr_frontier")
with c2:
    share.chart(charts.bubbles(a.table, currency), key="pr_bubbles")
share.chart(charts.ranked(a.table, budget, currency), key="pr_ranked")

# ---------------------------------------------------------------------------------------------
# The selection, every candidate with why
# ---------------------------------------------------------------------------------------------
st.subheader("Every candidate: in or out, and why", anchor=False)
shown = a.table.select(TABLE_ORDER)
tables.paged(shown, key="pr_table", noun="projects", order="highest weighted score first", currency=currency)
share.download_table(shown, "Prioritisation selection")
share.pack_table("Selected projects", shown.filter(pl.col("selection").is_in(["Selected", "Forced in"])).select(
    "score_rank", "project_id", "project_name", "priority_cost", "priority_score"),
    widths={"project_name": 4}, empty="No project is selected.")
share.pack_table("Projects left out, and why", shown.filter(~pl.col("selection").is_in(["Selected", "Forced in"]))
                 .select("project_id", "project_name", "selection", "selection_reason"),
                 widths={"project_name": 3, "selection_reason": 6}, empty="Every candidate is selected.")
if a.capacity is not None:
    st.subheader("Role capacity per quarter: what the selection needs against what is available", anchor=False)
    use = a.capacity_use.drop("period_start")
    left_out = a.table.filter(pl.col("selection_reason").str.contains(" would need ", literal=True)).height
    tight = a.capacity_use.filter((pl.col("spare_hours") < 0.5) & (pl.col("selected_demand_hours") > 0))
    st.caption(
        "Hours per role and fiscal quarter, from the day after the last logged day. Open to selection = the role's "
        "capacity left (contract hours less leave and public holidays of its people whose capacity is known) "
        "less the hours other projects (outside these filters, or not selectable) have booked. "
        + (f"{fmt.plural(left_out, 'project')} left out because a role would run short (the reason is in the "
           "table above). " if left_out else "No project is left out for capacity alone. ")
        + ("Full: " + safe.md(", ".join(f"{r} · {q}" for r, q in tight.select("capacity_role", "capacity_period")
                                        .iter_rows())) + ". " if not tight.is_empty() else "")
        + "Fullest first (needed ÷ available).")
    tables.paged(use, key="pr_capacity", noun="roles and quarters", order="fullest first (needed ÷ available)")
    share.download_table(use, "Role capacity used by the selection")
    share.pack_table("Role capacity: needed by the selection vs available", use.head(12),
                     widths={"capacity_role": 3}, empty="No role capacity is loaded.")
    notes = []
    if a.capacity.unconstrained:
        notes.append("not limited, as no one in the HR or capacity exports holds the role: "
                     + safe.md(", ".join(f"{k} ({h:,.0f} h)" for k, h in sorted(a.capacity.unconstrained.items()))))
    if a.capacity.unmatched_hours:
        notes.append(f"{a.capacity.unmatched_hours:,.0f} h planned on people of unknown capacity (in no HR or "
                     "capacity export) count against no role")
    if notes:
        st.caption("Also: " + "; ".join(notes) + ".")
with st.expander("Scores per criterion (how each weighted score is made)", icon=":material/functions:"):
    contrib = a.contributions.join(candidates.select("project_id", "project_name"), on="project_id", how="left") \
        .select("project_id", "project_name", "criterion", "score", "normalised_score", "criterion_weight",
                "score_contribution")
    tables.paged(contrib, key="pr_contrib", noun="scores", order="by project and criterion")
    share.download_table(contrib, "Scores per criterion")
    st.caption("Normalised = (raw − lowest) ÷ (highest − lowest) over the candidates shown, reversed where lower is "
               "better; a criterion on which every candidate scores the same adds 0; a missing score counts 0. "
               "Points = weight × normalised.")
with st.expander("The efficient frontier as a table", icon=":material/table:"):
    tables.static(a.frontier, key="pr_frontier_table", currency=currency)
    share.download_table(a.frontier, "Efficient frontier")

# ---------------------------------------------------------------------------------------------
# Weights from a pairwise comparison
# ---------------------------------------------------------------------------------------------
with st.expander("Derive the weights from a pairwise comparison", icon=":material/compare_arrows:"):
    st.caption("Say how much more important each criterion is than each other; the weights are the normalised "
               "row geometric means of the comparison matrix (AHP). A consistency ratio above 0.10 means the "
               "comparisons contradict each other (A > B, B > C but C > A): revisit them.")
    active = [c for c in criteria]
    n = len(active)
    matrix = [[1.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            v = st.select_slider(f"{active[i]} vs {active[j]}", PAIRWISE, value=1,
                                 format_func=lambda x: PAIRWISE_TEXT[x], key=f"pw_{i}_{j}")
            matrix[i][j], matrix[j][i] = v, 1 / v
    derived, cr = pr.pairwise_weights(active, matrix)
    rounded = {c: round(w, 1) for c, w in derived.items()}
    top = max(rounded, key=rounded.get)
    rounded[top] = round(rounded[top] + 100 - sum(rounded.values()), 1)
    st.markdown(" · ".join(f"{safe.md(c)} **{w:g}**" for c, w in rounded.items())
                + (f" · consistency ratio **{cr:.2f}**" + (" :red-badge[inconsistent]" if cr > pr.CONSISTENT_CR else "")
                   if cr is not None else ""))

    def use_pairwise() -> None:
        for c, w in rounded.items():
            st.session_state[weight_keys[c]] = w
        detach()

    st.button("Use these weights", on_click=use_pairwise, icon=":material/check:")

# ---------------------------------------------------------------------------------------------
# Save, compare and share scenarios
# ---------------------------------------------------------------------------------------------
st.subheader("Scenarios", anchor=False)
in_scope = set(data.query("priority_candidates", portfolio=None, program=None, department=None, manager=None,
                          stage=None)["project_id"].to_list())
result = st.session_state.pop("pr_result", None)
if result:
    getattr(st, result[0])(safe.md(result[1]))


def save_current(name: str, note: str) -> None:
    rows = [{"project_id": r["project_id"], "selected": r["project_id"] in sel.selected,
             "forced": "in" if r["project_id"] in forced_in else "out" if r["project_id"] in forced_out else None,
             "cost": r["priority_cost"], "score": r["priority_score"]} for r in a.table.iter_rows(named=True)]
    try:
        v = page_inputs.save_scenario(data.store(), name, rows, budget=budget, weights=pr.weights_text(weights),
                                      currency=currency, note=note, role=role, user=user, in_scope=in_scope,
                                      respect_capacity=respect_capacity)
    except (page_inputs.NotAllowed, ValueError) as exc:
        st.session_state["pr_result"] = ("error", str(exc))
        return
    except (StoreBusy, IngestFailed) as exc:
        st.session_state["pr_result"] = ("warning", str(exc))
        return
    st.session_state["pr_result"] = ("success", f"Scenario '{name.strip()}' saved: version {v} holds it.")
    st.session_state["_pr_open"] = name.strip()         # the next run opens it (its name in the link)


if may_write:
    with st.form("pr_save", border=True):
        st.markdown("**Save this view as a scenario** (weights, budget, forced choices, the role capacity "
                    "switch and the selection)")
        with st.container(horizontal=True, vertical_alignment="bottom"):
            name = st.text_input("Scenario name", max_chars=60, placeholder="e.g. FY27 board proposal")
            note = st.text_input("Note", max_chars=200, placeholder="Why this scenario")
            submitted = st.form_submit_button("Save scenario", icon=":material/save:")
        st.caption("Saving a name that exists replaces it. Each save is a new data version (History on the Data page "
                   "can roll it back) and an audit event.")
    if submitted:
        save_current(name, note)
        st.rerun()
else:
    st.caption("Your role may view scenarios; saving needs an analyst or an admin.")

if saved_names:
    st.markdown("**Compare scenarios**")
    for key in ("cmp_a", "cmp_b"):
        url.drop_invalid(key, saved_names, "scenario to compare")
    ca, cb = st.columns(2)
    with ca:
        first = st.selectbox("First", saved_names, index=min(1, len(saved_names) - 1), key="cmp_a", bind="query-params")
    with cb:
        second = st.selectbox("Second", saved_names, index=0, key="cmp_b", bind="query-params")

    def as_scenario(name: str) -> pr.Scenario:
        rows = saved.filter(pl.col("scenario") == name)
        s = scenario_settings(name)
        return pr.Scenario(name, float(s["budget"]), s["weights"], frozenset(rows.filter(pl.col("selected"))["project_id"]),
                           frozenset(s["forced_in"]), frozenset(s["forced_out"]),
                           dict(zip(rows["project_id"].to_list(), rows["score"].to_list())),
                           dict(zip(rows["project_id"].to_list(), rows["cost"].to_list())), s["respect_capacity"])

    sa, sb = as_scenario(first), as_scenario(second)
    summary = pl.DataFrame([{
        "scenario": s.name, "saved_by": scenario_settings(s.name)["saved_by"], "saved_at": scenario_settings(s.name)["saved_at"],
        "priority_budget": s.budget, "priority_selected_count": len(s.selected),
        "priority_selected_cost": sum(s.costs.get(p) or 0 for p in s.selected),
        "priority_selected_score": round(sum(s.scores.get(p) or 0 for p in s.selected), 1),
        "weights": pr.weights_text(s.weights), "respect_capacity": s.respect_capacity} for s in (sa, sb)])
    tables.static(summary, key="pr_cmp_summary", currency=currency)
    diff = pl.DataFrame([{"project_id": r["project_id"], "scenario_change": r["change"], "change_reason": r["reason"]}
                         for r in (pr.compare(sa, sb) if first != second else [])],
                        schema={"project_id": pl.String, "scenario_change": pl.String, "change_reason": pl.String})
    diff = diff.join(candidates_all.select("project_id", "project_name"), on="project_id", how="left") \
        .select("project_id", "project_name", "scenario_change", "change_reason")
    if first == second:
        st.caption("Pick two different scenarios to see which projects enter or leave.")
    elif diff.is_empty():
        st.success(f"'{first}' and '{second}' select the same projects.", icon=":material/check_circle:")
    else:
        st.caption(f"From '{safe.md(first)}' to '{safe.md(second)}': {fmt.plural(diff.filter(pl.col('scenario_change') == 'enters').height, 'project')} "
                   f"enter, {diff.filter(pl.col('scenario_change') == 'leaves').height} leave.")
        tables.static(diff, key="pr_cmp_diff")
    share.download_table(summary, "Scenarios compared")
    share.download_table(diff, "Projects entering or leaving")
    share.pack_table(f"{first} → {second}: projects entering or leaving", diff,
                     widths={"project_name": 3, "change_reason": 6}, empty="Both select the same projects.")
    if may_write:
        with st.popover("Delete a scenario", icon=":material/delete:"):
            gone = st.selectbox("Scenario", saved_names, index=None, key="pr_delete_pick")

            def delete() -> None:
                try:
                    v = page_inputs.delete_scenario(data.store(), gone, role=role, user=user, in_scope=in_scope)
                except (page_inputs.NotAllowed, StoreBusy, IngestFailed) as exc:
                    st.session_state["pr_result"] = ("error", str(exc))
                    return
                detach()
                st.session_state["pr_result"] = ("success", f"Scenario '{gone}' deleted: version {v}.")

            st.button("Delete", disabled=gone is None, on_click=delete, type="primary")
else:
    st.caption("No scenario is saved yet." + (" Save this view above to compare it with another." if may_write else ""))

# ---------------------------------------------------------------------------------------------
# Enter scores (analysts)
# ---------------------------------------------------------------------------------------------
if may_write:
    with st.expander("Enter scores", icon=":material/edit_note:"):
        st.caption("One row per project of these filters, one column per criterion: a number or None / Low / "
                   "Moderate / Strong / Extreme. Empty a cell to remove the score. Saving publishes the whole "
                   "scoring list as a new data version, with you as the scorer of the cells you changed.")
        raw = {(r["project_id"], r["criterion"]): r["rating"] for r in scores.iter_rows(named=True)}
        grid = pl.DataFrame([{"project_id": p, "project_name": names.get(p), **{c: raw.get((p, c)) for c in criteria}}
                             for p in candidates["project_id"].to_list()],
                            schema={"project_id": pl.String, "project_name": pl.String, **{c: pl.String for c in criteria}})
        cfg_cols = {"project_id": st.column_config.TextColumn(fmt.label("project_id"), disabled=True),
                    "project_name": st.column_config.TextColumn(fmt.label("project_name"), disabled=True)}
        edited = st.data_editor(grid, hide_index=True, key="pr_scores_editor", column_config=cfg_cols,
                                placeholder=fmt.MISSING,
                                num_rows="fixed")
        if st.button("Save scores", icon=":material/save:", key="pr_scores_save"):
            edits, bad = [], []
            for before, after in zip(grid.iter_rows(named=True), pl.DataFrame(edited).iter_rows(named=True)):
                for c in criteria:
                    old, new = before[c], (after[c] or "").strip() or None
                    if (old or None) != new:
                        if new is not None and pr.rating_value(new) is None:
                            bad.append(f"{before['project_id']} {c}: '{new}'")
                        edits.append({"project_id": before["project_id"], "criterion": c, "score": new})
            if bad:
                st.error("Not saved: these are neither numbers nor ratings (None, Low, Moderate, Strong, Extreme): "
                         + safe.md("; ".join(bad[:10])))
            elif not edits:
                st.info("Nothing changed.")
            else:
                try:
                    v = page_inputs.save_scores(data.store(), edits, role=role, user=user, in_scope=in_scope)
                    st.session_state["pr_result"] = ("success", f"{len(edits)} scores saved: version {v}.")
                    st.rerun()
                except (page_inputs.NotAllowed, StoreBusy, IngestFailed) as exc:
                    st.error(safe.md(str(exc)))

with st.expander("How selection works", icon=":material/rule:"):
    st.markdown(
        "- **Score** per project = Σ weight × normalised score (0–100); weights from the sidebar (default: config "
        "`[prioritisation] weights`), or from the pairwise comparison above.\n"
        "- **Selection** = the set with the highest total score whose register budgets add up to at most the "
        "budget; forced-in projects always in, forced-out never; a project only with every open project it depends "
        "on (RAID log *Depends on*, tracker *Blocks* links across projects). Solved exactly as a 0/1 integer "
        "program (HiGHS): a ranking by score per cost can miss better combinations.\n"
        "- **Efficient frontier** = the best total score at each of "
        f"{cfg.frontier_steps} budgets from 1/{cfg.frontier_steps} of the total cost to all of it. The current "
        "portfolio is the candidates past a proposal stage (config `[prioritisation] proposal_stages`).\n"
        "- **Respect role capacity** (when capacity data is loaded): the selected projects' planned hours per role "
        "and fiscal quarter (allocations after the last logged day) must also fit the hours that role's people "
        "have left, after the projects outside the selection have taken theirs. A project left out for it names "
        "the role and quarter that would run short.\n"
        "- A project without a register budget cannot be selected; closed and cancelled projects are not candidates.")
