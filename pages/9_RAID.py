"""RAID: risks, assumptions, issues and dependencies across the selected projects, from every tool
that exports them (Project Online, Jira, Azure DevOps, ServiceNow, a RAID log spreadsheet).

The 5 x 5 heat map of open risks (click a cell: the cell travels in the URL as ?cell=<probability>-<impact>),
risks ranked by exposure, ageing, the three flags with their reasons, issues by priority and age,
assumptions due for validation, the dependency graph with cycles listed as data errors, and the
history of open counts and exposure per status date. Scoring rules: docs/raid.md; config [raid].
"""

import polars as pl
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from pmo import governance, raid
from pmo import metrics as fmt
from pmo.charts import raid as charts
from pmo.ui import data, filters, page, safe, share, tables, url

st.set_page_config(page_title="RAID", page_icon=":material/crisis_alert:", layout="wide")

# ---------------------------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------------------------
PROJECT_PAGE = "pages/6_Project.py"
HEAT_KEY = "raid_heat"
ITEM_COLUMNS = ["project_id", "item_id", "title", "owner", "status", "exposure_score", "exposure_band",
                "probability_score", "impact_score", "cost_exposure", "due_date", "age_days", "flag_reason",
                "tool", "project_name"]
CELL_COLUMNS = ["project_id", "item_id", "title", "owner", "due_date", "flag_reason", "cost_exposure", "tool"]
BAND_CHIPS = st.column_config.MultiselectColumn(
    fmt.label("exposure_band"), options=list(raid.BANDS), color=list(raid.BAND_COLORS),
    help=fmt.help_text("exposure_band"))
STATE_CHIPS = st.column_config.MultiselectColumn(
    fmt.label("dependency_state"), options=list(raid.STATE_ORDER), color=list(raid.STATE_COLORS),
    help=fmt.help_text("dependency_state"))


def chips(df: pl.DataFrame, column: str) -> pl.DataFrame:
    """A text column as a one-chip list (the coloured MultiselectColumn)."""
    return df.with_columns(pl.concat_list(pl.col(column)).list.drop_nulls().alias(column))


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------
page.start()
f = filters.sidebar()
settings = data.settings()
currency = settings["general"]["reporting_currency"]
limits, problems = governance.read_raid_settings(settings)
ranges = raid.band_ranges(limits)
params = {**f.params(), "as_of": f.as_of}

url.drop_invalid("cell", lambda v: raid.parse_cell(v) is not None, "heat-map cell", "no cell")
cell = raid.parse_cell(st.query_params.get("cell"))

view = share.share_bar("RAID", f)
if cell:
    view.add_filter(f"Heat-map cell: probability {cell[0]} × impact {cell[1]}")
for problem in problems:
    st.warning(f"Configuration: {problem}", icon=":material/settings:")

items = raid.with_flag_reasons(data.query("raid_register", **params), limits["not_updated_days"])
links = raid.with_dependency_states(data.query("raid_dependency_graph", **params))
cycles = data.query("raid_cycles", **f.params())
trend = data.query("raid_history_trend", **params)

judged = items["judged_at"].max() if items.height else None
exports = (items.group_by("tool").agg(pl.col("export_date").max()).sort("tool") if items.height else items)
st.caption(f.summary() + (" · judged at " + fmt.day(judged) if f.as_of else " · each source's newest export")
           + (" · exports: " + ", ".join(f"{safe.md(r['tool'])} {fmt.day(r['export_date'])}"
                                         for r in exports.iter_rows(named=True)) if items.height else ""))

if items.is_empty() and links.is_empty():
    st.info("No risks, assumptions, issues or dependencies for these projects"
            + (" by this status date" if f.as_of else "") + ". Load a RAID export on the **Data** page: "
            "Project Online's *Risks* and *Issues* tables (ProjectData), a Jira issue CSV with Risk / Issue / "
            "Dependency issue types (and *Blocks* links), an Azure DevOps query of Risk and Issue work items, "
            "ServiceNow's *risk* or *issue* list, or a RAID log spreadsheet (ID, Type, Title, Project, Owner, "
            "Status, Date raised, Probability, Impact, Due date ...). docs/raid.md lists the columns each is "
            "read by. Or clear a sidebar filter.", icon=":material/crisis_alert:")
    st.stop()

# ---------------------------------------------------------------------------------------------
# KPI cards: now, and the change from the status date before (raid_history_trend)
# ---------------------------------------------------------------------------------------------
open_items = items.filter(pl.col("is_open"))
risks_open = raid.open_risks(items)
now = {
    "open_risks": risks_open.height,
    "critical_risks": risks_open.filter(pl.col("exposure_band") == "critical").height,
    "open_exposure": int(risks_open["exposure_score"].sum() or 0),
    "open_issues": open_items.filter(pl.col("kind") == "issue").height,
}
earlier = trend.filter(pl.col("as_of") < judged) if judged is not None and trend.height else trend.clear()
previous = earlier.row(-1, named=True) if earlier.height else None
since = f"since {fmt.day(previous['as_of'])}" if previous else None
share.kpi_row("RAID at a glance", f"Changes are {since} (the RAID history's date before)." if previous else None)
row = iter([*share.kpi_cells(4), *share.kpi_cells(4)])
for name, value in now.items():
    with next(row):
        share.kpi(name, value, since=since, **({"previous": previous[name]} if previous else {}))
with next(row):
    share.kpi("flagged_items", open_items.filter(pl.col("flag_count") > 0).height)
with next(row):
    share.kpi("blocked_links", links.filter(pl.col("is_blocked")).height)
with next(row):
    share.kpi("at_risk_links", links.filter(pl.col("is_at_risk")).height)
with next(row):
    share.kpi("dependency_cycles", cycles.height)


# ---------------------------------------------------------------------------------------------
# Heat map (click a cell) and the risks of the selected cell
# ---------------------------------------------------------------------------------------------
def cell_picked() -> None:
    """The heat map's click writes the cell to the URL (?cell=4-5), so a copied link reopens it."""
    state = st.session_state.get(HEAT_KEY) or {}
    picked = (state.get("selection") or {}).get(charts.CELL_PICK) or []
    if picked and picked[0].get("probability_score") is not None:
        st.query_params["cell"] = raid.cell_code(picked[0]["probability_score"], picked[0]["impact_score"])
    else:
        st.query_params.pop("cell", None)


def clear_cell() -> None:
    st.query_params.pop("cell", None)
    st.session_state.pop(HEAT_KEY, None)


def project_link(project_id: str, label: str) -> None:
    try:
        st.page_link(PROJECT_PAGE, label=safe.md(label), icon=":material/open_in_new:",
                     query_params={"project": project_id})
    except StreamlitPageNotFoundError:  # this page run on its own (tests): no page registry
        st.markdown(safe.link(label, "Project", project=project_id))


cells = raid.heat_cells(items, limits)
left, right = st.columns([1.1, 1], gap="large")
with left:
    share.chart(charts.heat_map(cells, ranges, cell), key=HEAT_KEY, on_select=cell_picked,
                selection_mode=charts.CELL_PICK)
    unscored = raid.unscored_open_risks(items)
    if unscored:
        st.caption(f"{fmt.plural(unscored, 'open risk')} without a probability or an impact in "
                   "the export cannot be placed (listed in 'Risks ranked by exposure' at the end).")
with right:
    if cell is None:
        st.markdown("**Click a cell** to list its open risks here.")
        top = risks_open.drop_nulls("exposure_score").sort(["exposure_score", "project_id", "item_id"],
                                                           descending=[True, False, False])
        st.caption(f"{fmt.plural(risks_open.height, 'open risk')}; the highest exposures:")
        for r in top.head(5).iter_rows(named=True):
            project_link(r["project_id"], f"{r['project_id']} {r['item_id']} · exposure {r['exposure_score']} · {r['title']}")
    else:
        in_cell = raid.in_cell(items, cell)
        band = raid.band(cell[0] * cell[1], limits)
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(f"**Probability {cell[0]} × impact {cell[1]}** = exposure {cell[0] * cell[1]} "
                        f"({band}): {fmt.plural(in_cell.height, 'open risk')}", width="stretch")
            st.button("Clear cell", icon=":material/close:", on_click=clear_cell, type="tertiary")
        if in_cell.is_empty():
            st.caption("No open risk in this cell.")
        else:
            for r in in_cell.head(tables.LIST_ITEMS).iter_rows(named=True):
                project_link(r["project_id"], f"{r['project_id']} {r['item_id']} · {r['title']}")
                st.caption(" · ".join(safe.md(x) for x in (
                    f"owner {r['owner']}" if r["owner"] else "no owner",
                    f"due {fmt.day(r['due_date'])}" if r["due_date"] else None,
                    r["flag_reason"] or None, r["tool"]) if x))
            if in_cell.height > tables.LIST_ITEMS:
                tables.paged(in_cell.select(CELL_COLUMNS), key="raid_cell", noun="risks", currency=currency,
                             placeholder="—")
            share.download_table(in_cell.select(ITEM_COLUMNS), f"Open risks P{cell[0]} x I{cell[1]}")

# ---------------------------------------------------------------------------------------------
# Risks ranked by exposure
# ---------------------------------------------------------------------------------------------
st.subheader(f"Risks ranked by exposure ({risks_open.height})", anchor=False)
ranked = risks_open.sort(["exposure_score", "cost_exposure", "project_id", "item_id"],
                         descending=[True, True, False, False], nulls_last=True)
st.caption("Open risks, highest probability × impact first (bands: "
           + ", ".join(f"{b} {r}" for b, r in ranges.items()) + "). Cost exposure = cost × probability where "
           "the tool gives a cost. 'Why flagged' says which flag an item raises and the dates behind it.")
if ranked.is_empty():
    st.success("No open risk.", icon=":material/check_circle:")
else:
    tables.paged(chips(ranked.select(ITEM_COLUMNS), "exposure_band"), key="raid_ranked", noun="risks",
                 order="highest exposure first", currency=currency, placeholder="—",
                 overrides={"exposure_band": BAND_CHIPS})
    share.download_table(ranked.select(ITEM_COLUMNS), "Risks ranked by exposure")
    share.pack_table("Top risks by exposure", ranked.head(10).select(
        "project_id", "item_id", "title", "exposure_score", "exposure_band", "owner", "due_date"),
        widths={"project_id": 1.3, "item_id": 1, "title": 6, "exposure_score": 1.4, "exposure_band": 1.3,
                "owner": 2, "due_date": 1.4})

# ---------------------------------------------------------------------------------------------
# Ageing and flags
# ---------------------------------------------------------------------------------------------
a1, a2 = st.columns([1, 1.4], gap="large")
with a1:
    ageing = raid.ageing_counts(items, limits["ageing_days"])
    if ageing["items"].sum() == 0:
        st.info("No open item has a raised date to age it by.", icon=":material/hourglass_empty:")
    else:
        share.chart(charts.ageing(ageing), key="raid_ageing")
        table = (ageing.pivot(on="kind", index="ageing_bucket", values="items", maintain_order=True))
        st.caption(" · ".join(f"{r['ageing_bucket']} days: {sum(v for k, v in r.items() if k != 'ageing_bucket')}"
                              for r in table.iter_rows(named=True)) + " open items.")
with a2:
    flagged = raid.flagged(items)
    counts = raid.flag_counts(items)
    st.subheader(f"Flagged items ({flagged.height})", anchor=False)
    st.caption("Open items at the judged date; an item can raise several flags. The table below says "
               "why each is flagged.")
    for name, n in counts.items():
        st.markdown(f"- **{fmt.label(name)}**: {fmt.plural(n, 'open item')} — {fmt.help_text(name)}")
if flagged.is_empty():
    st.success("No open item is overdue, unowned or stale.", icon=":material/check_circle:")
else:
    cols = ["project_id", "item_id", "kind", "title", "flag_reason", "owner", "due_date", "updated_date",
            "exposure_score", "tool"]
    tables.paged(flagged.select(cols), key="raid_flagged", noun="items", order="most flags first",
                 currency=currency, placeholder="—")
    share.download_table(flagged.select(cols), "Flagged RAID items")
share.pack_table("Flagged RAID items", flagged.head(12).select("project_id", "item_id", "title", "flag_reason"),
                 widths={"project_id": 1.3, "item_id": 1, "title": 4, "flag_reason": 6},
                 empty="No open item is overdue, unowned or stale.")

# ---------------------------------------------------------------------------------------------
# Issues by priority and age; assumptions due for validation
# ---------------------------------------------------------------------------------------------
i1, i2 = st.columns(2, gap="large")
with i1:
    issues = raid.open_issues(items)
    st.subheader(f"Open issues ({issues.height})", anchor=False)
    if issues.is_empty():
        st.success("No open issue.", icon=":material/check_circle:")
    else:
        share.chart(charts.issues(raid.issues_by_priority(items, limits["ageing_days"]),
                                  raid.bucket_labels(limits["ageing_days"])), key="raid_issues")
with i2:
    due = raid.assumptions_due(items)
    open_assumptions = open_items.filter(pl.col("kind") == "assumption").height
    st.subheader(f"Assumptions due for validation ({due.height})", anchor=False)
    st.caption(f"Open assumptions whose validation date has passed or falls within "
               f"{raid.VALIDATION_WINDOW_DAYS} days ({open_assumptions} open in all).")
    if due.is_empty():
        st.success("No assumption is due for validation.", icon=":material/check_circle:")
    else:
        due = due.with_columns(pl.Series("validation_reason", [raid.validation_reason(r) for r in due.iter_rows(named=True)],
                                         dtype=pl.String))
        cols = ["project_id", "item_id", "title", "validation_reason", "owner", "due_date", "mitigation", "tool"]
        tables.paged(due.select(cols), key="raid_assumptions", noun="assumptions", order="most overdue first",
                     currency=currency, placeholder="—")
        share.download_table(due.select(cols), "Assumptions due for validation")

if not issues.is_empty():
    cols = ["project_id", "item_id", "title", "priority", "age_days", "ageing_bucket", "owner", "due_date",
            "flag_reason", "tool"]
    tables.paged(issues.select(cols), key="raid_issues_table", noun="issues",
                 order="most urgent priority first, then the oldest", currency=currency, placeholder="—")
    share.download_table(issues.select(cols), "Open issues")

# ---------------------------------------------------------------------------------------------
# Dependencies: graph, links with their state, cycles as data errors
# ---------------------------------------------------------------------------------------------
st.subheader(f"Dependencies ({fmt.plural(links.height, 'blocking link')})", anchor=False)
if links.is_empty():
    st.info("No blocking links for these projects. They come from Jira's *Inward / Outward issue link "
            "(Blocks)* columns and a RAID log's *Depends on* column.", icon=":material/account_tree:")
else:
    cross = links.filter(pl.col("is_cross_project")).height
    st.caption(f"{cross} of {links.height} links cross projects. A link is **at risk** when its open "
               "blocker is due after the dependent needs it, **blocked** while both ends are open; a "
               "**cycle** is a data error (no item of it can start).")
    if not cycles.is_empty():
        st.warning(f"{fmt.plural(cycles.height, 'dependency cycle')} in the exports (data errors to fix at the "
                 "source): " + "; ".join(safe.md(c) for c in cycles["cycle_text"].to_list()[:tables.LIST_ITEMS]),
                 icon=":material/sync_problem:")
    shown_links = links.head(tables.TOP_ROWS * 4)
    nodes, edges = raid.graph_layout(shown_links)
    share.chart(charts.dependency_graph(nodes, edges), key="raid_graph")
    if links.height > shown_links.height:
        st.caption(f"The first {shown_links.height} of {links.height} links drawn (cycles, at risk and "
                   "blocked first); the table lists every one. Narrow the sidebar filters to draw others.")
    cols = ["dependency_state", "dependency_reason", "project_id", "item_id", "item_title", "blocker_project_id",
            "blocker_id", "blocker_title", "dependent_start", "blocker_due", "blocker_slip_days",
            "is_cross_project", "tool"]
    tables.paged(chips(links.select(cols), "dependency_state"), key="raid_links", noun="links",
                 order="cycles, at risk, blocked first", currency=currency, placeholder="—",
                 overrides={"dependency_state": STATE_CHIPS})
    share.download_table(links.select(cols), "Dependencies")
    share.pack_table("Dependencies at risk, blocked or in a cycle", links.filter(
        pl.col("dependency_state").is_in(["data error", "at risk", "blocked"])).select(
        "dependency_state", "project_id", "item_id", "dependency_reason").head(12),
        widths={"dependency_state": 1.4, "project_id": 1.3, "item_id": 1, "dependency_reason": 8},
        empty="No dependency is at risk, blocked or in a cycle.")
if not cycles.is_empty():
    tables.static(cycles, key="raid_cycles", noun="cycles")
    share.download_table(cycles, "Dependency cycles")

# ---------------------------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------------------------
st.subheader("History", anchor=False)
if trend.height < 2:
    st.info("The history needs RAID exports from two or more dates (each export keeps its date: load "
            "last month's RAID log or Project Online drop next to this one).", icon=":material/history:")
if trend.height:
    h1, h2 = st.columns(2, gap="large")
    with h1:
        share.chart(charts.history_counts(trend), key="raid_history_counts")
    with h2:
        share.chart(charts.history_exposure(trend), key="raid_history_exposure")
    share.download_table(trend, "RAID history")

with st.expander("How items are scored and judged", icon=":material/rule:"):
    st.markdown(
        "- **Probability (1-5)**: the fifth the probability falls in (0-20% = 1 ... 81-100% = 5); "
        "**impact (1-5)** from the tool's own scale, linearly (ServiceNow's 1 = High inverted first).\n"
        f"- **Exposure** = probability × impact (1-25); bands {', '.join(f'{b} {r}' for b, r in ranges.items())} "
        "(config [raid]).\n"
        "- **Open** unless closed on or before the judged date. **Judged at**: the as-of date picked in the "
        "sidebar (each source's newest export on or before it), else each export's own date.\n"
        f"- **Flags** (open items): mitigation overdue (due date passed), no owner, not updated for more than "
        f"{limits['not_updated_days']} days. **Ageing**: {', '.join(raid.bucket_labels(limits['ageing_days']))} days.\n"
        "- **Dependencies**: at risk = the open blocker is due after the dependent needs it; blocked = both "
        "open; a cycle is a data error.\n\n"
        "docs/raid.md has each tool's scale and every rule.")
