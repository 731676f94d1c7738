"""PMO maturity: a self-assessment of the PMO's functions against our own question bank (CC BY 4.0,
config/maturity_questions.toml), the level per function, the change since the previous assessment,
targets, the trend over assessments, and what the loaded data measures beside each answer.

The scoring is pmo/maturity.py; answers are entered here or imported from a filled-in sheet, and
every save is a store version (pmo/page_inputs.py). docs/maturity.md explains every figure.
"""

from datetime import date

import polars as pl
import streamlit as st

from pmo import maturity as mt
from pmo import metrics as fmt
from pmo import page_inputs
from pmo.charts import maturity as charts
from pmo.config import ROOT
from pmo.ingest import IngestFailed
from pmo.store import StoreBusy
from pmo.ui import data, filters, page, safe, session, share, tables, url

st.set_page_config(page_title="PMO maturity", page_icon=":material/stairs:", layout="wide")

page.start()
f = filters.sidebar(show_as_of=False)
settings = data.settings()
bank = mt.load_bank(ROOT / settings.get("maturity", {}).get("question_bank", "config/maturity_questions.toml"))
targets, floors = mt.read_settings(settings)
role = session.role()
user = session.user()
may_write = role is not None and "ingest" in role.actions and not role.scope.restricted

answers = data.query("maturity_assessments")
levels = mt.assessment_levels(bank, answers)
order = levels.select("assessment", "assessed_on").unique().sort("assessed_on", "assessment")
names = order["assessment"].to_list()
dates = dict(zip(names, order["assessed_on"].to_list()))

view = share.share_bar("PMO maturity", f)
result = st.session_state.pop("mt_result", None)
if result:
    getattr(st, result[0])(safe.md(result[1]))

if not names:
    st.info("No maturity assessment is loaded yet. Answer the questions in 'Answer an assessment' below (an analyst "
            "or admin), or import a filled-in sheet on the Data page: columns Assessment, Assessment date, Question "
            "ID, Level (0-5), Evidence, Answered by (docs/maturity.md).", icon=":material/stairs:")

# ---------------------------------------------------------------------------------------------
# Which assessment, compared with which (in the link)
# ---------------------------------------------------------------------------------------------
if names:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        url.drop_invalid("assessment", names, "assessment")
        if st.session_state.get("_mt_open") in names:
            st.session_state["assessment"] = st.session_state.pop("_mt_open")
        url.drop_invalid("compare", names, "assessment to compare with")
        chosen = st.selectbox("Assessment", names[::-1], index=0, key="assessment", bind="query-params", width=260)
        earlier = [n for n in names if dates[n] < dates[chosen]]
        others = [n for n in names if n != chosen]
        compare = st.selectbox("Compared with", others, index=others.index(earlier[-1]) if earlier else None,
                               key="compare", bind="query-params", width=260,
                               placeholder="No earlier assessment") if others else None
    if chosen != names[-1]:
        view.add_filter(f"Assessment: {chosen}")
    if compare:
        view.add_filter(f"Compared with: {compare}")

    now = levels.filter(pl.col("assessment") == chosen).to_dicts()
    before = levels.filter(pl.col("assessment") == compare).to_dicts() if compare else None
    rows = mt.with_change(now, before, targets)
    mine = answers.filter(pl.col("assessment") == chosen)
    given = {r["question_id"]: r for r in mine.iter_rows(named=True)}

    # measured evidence, on the current data of the filters' projects
    report = data.query("governance_report", as_of=None, portfolio=f.portfolio)
    raid = data.query("maturity_raid_hygiene", **f.params()).row(0, named=True)
    measured = mt.measures(report, raid["raid_open_items"], raid["raid_clean_items"])
    qrows = []
    for q in bank.questions:
        a = given.get(q.id) or {}
        lvl = int(a.get("answer_level") or 0)
        m = measured.get(q.measure) if q.measure else None
        qrows.append({"question_id": q.id, "function_name": bank.functions[q.function], "question_text": q.text,
                      "answer_level": lvl, "level_name": bank.level_name(lvl) + (f": {q.levels[lvl - 1]}" if lvl else ""),
                      "evidence": a.get("evidence"), "answered_by": a.get("answered_by"),
                      "answered_at": a.get("answered_at"),
                      "measure_name": mt.MEASURES[q.measure][0] if q.measure else None,
                      "measured_share": m["share"] if m else None,
                      "measured_count": f"{m['numerator']:,} of {m['denominator']:,}" if m else None,
                      "evidence_flag": mt.contradiction(lvl, m["share"] if m else None, floors)})
    qtable = pl.DataFrame(qrows, schema={"question_id": pl.String, "function_name": pl.String,
                                         "question_text": pl.String, "answer_level": pl.Int64, "level_name": pl.String,
                                         "evidence": pl.String, "answered_by": pl.String, "answered_at": pl.String,
                                         "measure_name": pl.String, "measured_share": pl.Float64,
                                         "measured_count": pl.String, "evidence_flag": pl.String})
    contradicted = qtable.filter(pl.col("evidence_flag").is_not_null())

    # -----------------------------------------------------------------------------------------
    # KPIs
    # -----------------------------------------------------------------------------------------
    overall = round(sum(r["maturity_level"] for r in rows) / len(rows), 2) if rows else None
    prev_overall = round(sum(r["maturity_level"] for r in before) / len(before), 2) if before else None
    since = f"since {compare}" if compare else None
    share.kpi_row(f"PMO maturity: {chosen} ({fmt.day(dates[chosen])})",
                  f"Changes are since {compare}." if compare else None)
    k = iter(share.kpi_cells(4))
    with next(k):
        share.kpi("maturity_overall", overall, since=since,
                  **({"previous": prev_overall} if prev_overall is not None else {}))
    with next(k):
        share.kpi("maturity_functions_at_target", sum(1 for r in rows if r["maturity_gap"] == 0))
    with next(k):
        share.kpi("maturity_contradicted", contradicted.height)
    with next(k):
        share.kpi("maturity_unknown", qtable.filter(pl.col("answer_level") == 0).height)

    # -----------------------------------------------------------------------------------------
    # Radar, functions, trend
    # -----------------------------------------------------------------------------------------
    c1, c2 = st.columns([1, 1], gap="large")
    with c1:
        series = {chosen: {r["function"]: r["maturity_level"] for r in rows}}
        if before:
            series[compare] = {r["function"]: r["maturity_level"] for r in before}
        series["Target"] = {fid: mt.target_of(targets, fid) for fid in bank.functions}
        share.chart(charts.radar(series, bank.functions), key="mt_radar")
    with c2:
        st.subheader("Level per function", anchor=False)
        ftable = pl.DataFrame(rows).select("function_name", "maturity_level", "maturity_level_change", "maturity_mean",
                                           "maturity_mean_change", "maturity_target", "maturity_gap",
                                           "questions_answered", "questions")
        tables.static(ftable.select("function_name", "maturity_level", "maturity_level_change", "maturity_mean",
                                    "maturity_target", "maturity_gap", "questions_answered"), key="mt_functions")
        share.download_table(ftable, "Maturity per function")
        share.pack_table(f"Maturity per function: {chosen}", ftable.select(
            "function_name", "maturity_level", "maturity_level_change", "maturity_target", "maturity_gap"),
            widths={"function_name": 4})
        st.caption("Level = the highest level at which every question of the function is answered at or above it "
                   "(the lowest answer; unknown = 0). Mean = the mean answer. Targets: config [maturity]."
                   + ("" if compare else " No earlier assessment to compare with."))
    if len(names) > 1:
        share.chart(charts.trend(levels, names), key="mt_trend")

    # -----------------------------------------------------------------------------------------
    # Answers with measured evidence
    # -----------------------------------------------------------------------------------------
    st.subheader("Answers, with what the data measures", anchor=False)
    if contradicted.height:
        st.warning(f"{fmt.plural(contradicted.height, 'answer')} "
                   f"{'claims' if contradicted.height == 1 else 'claim'} more than the loaded data shows: "
                   + "; ".join(f"**{safe.md(r['question_id'])}** {safe.md(r['evidence_flag'])}"
                               for r in contradicted.iter_rows(named=True)), icon=":material/report:")
    st.caption("Measured on the current data of the filtered projects (status reports, plans, gate log, RAID "
               "register), whatever the assessment's date. A level is flagged when the measured share is below "
               "its floor: " + ", ".join(f"level {lvl} needs {share_:.0%}" for lvl, share_ in sorted(floors.items()))
               + ".")
    tables.paged(qtable, key="mt_answers", noun="questions", order="in the bank's order")
    share.download_table(qtable, "Maturity answers")
    share.pack_table("Answers the data contradicts", contradicted.select("question_id", "function_name",
                                                                         "answer_level", "measured_share",
                                                                         "evidence_flag"),
                     widths={"evidence_flag": 6}, empty="The data contradicts no answer.")

# ---------------------------------------------------------------------------------------------
# Answer an assessment (an unscoped analyst or admin)
# ---------------------------------------------------------------------------------------------
if not may_write:
    st.subheader("Answer an assessment", anchor=False)
    st.caption("Answering needs an analyst or admin whose role sees the whole PMO (not limited to some portfolios "
               "or departments).")
else:
    with st.expander("Answer an assessment", icon=":material/edit_note:", expanded=not names):
        with st.form("mt_answer"):
            today = data.today()
            default_name = f"{today.year} H{1 if today.month <= 6 else 2}"
            with st.container(horizontal=True):
                name = st.text_input("Assessment name", value=default_name, max_chars=40,
                                     help="Answering an existing name replaces its answers (history is kept as versions).")
                on = st.date_input("Assessment date", value=today, max_value=today)
            st.caption("Pick the level whose description fits best today; 0 = unknown (it holds the function at 0). "
                       "Add evidence: a note or a link others can check.")
            base = {r["question_id"]: r for r in answers.filter(pl.col("assessment") == names[-1]).iter_rows(named=True)} \
                if names else {}
            form_answers = []
            for fid, fname in bank.functions.items():
                st.markdown(f"**{safe.md(fname)}**")
                for q in bank.of(fid):
                    prev = base.get(q.id) or {}
                    lvl = st.selectbox(f"{q.id} · {q.text}", list(range(6)), index=int(prev.get("answer_level") or 0),
                                       format_func=lambda v, q=q: "0 Unknown" if v == 0 else f"{bank.level_name(v)}: {q.levels[v - 1]}",
                                       key=f"mt_q_{q.id}")
                    ev = st.text_input("Evidence", value=prev.get("evidence") or "", key=f"mt_e_{q.id}",
                                       label_visibility="collapsed", placeholder=f"Evidence for {q.id}")
                    form_answers.append({"question_id": q.id, "level": lvl, "evidence": ev or None})
            submitted = st.form_submit_button("Save the assessment", icon=":material/save:")
        if submitted:
            try:
                v = page_inputs.save_assessment(data.store(), name, on if isinstance(on, date) else today, form_answers,
                                                role=role, user=user)
                st.session_state["mt_result"] = ("success", f"Assessment '{name.strip()}' saved: version {v} holds it.")
                st.session_state["_mt_open"] = name.strip()      # the next run shows it (its name in the link)
                st.rerun()
            except (page_inputs.NotAllowed, ValueError, StoreBusy, IngestFailed) as exc:
                st.error(safe.md(str(exc)))

with st.expander("The question bank (CC BY 4.0)", icon=":material/menu_book:"):
    st.caption("Written for this project and published under Creative Commons Attribution 4.0 in "
               "config/maturity_questions.toml. It follows the generic five-stage pattern of public capability "
               "models and copies no proprietary question bank (P3M3, OPM3, Kerzner PMMM, Gartner ITScore).")
    for fid, fname in bank.functions.items():
        st.markdown(f"**{safe.md(fname)}**")
        for q in bank.of(fid):
            st.markdown(f"- **{q.id}** {safe.md(q.text)}\n" + "\n".join(
                f"    {i}. {safe.md(d)}" for i, d in enumerate(q.levels, start=1)))
