"""Portfolio prioritisation: weighted scoring, exact selection under a budget, the efficient
frontier, and how two saved scenarios differ (docs/prioritisation.md).

Pure functions, no Streamlit and no store: the page (pages/11_Prioritisation.py) reads the scores,
costs and dependencies through queries and hands them here.

- A criterion's raw scores are normalised over the candidates as (x - min) / (max - min), or
  (max - x) / (max - min) for a criterion where lower is better (risk, complexity). A criterion on
  which every candidate scores the same separates none of them and adds 0; a project not scored on
  a criterion counts 0 on it (the worst) and is flagged.
- A project's score = sum of weight x normalised score, weights summing to 100: a score of 0..100.
- Weights can come from a pairwise comparison matrix (AHP): row geometric means, normalised, with
  Saaty's consistency ratio (CR <= 0.10 is the usual acceptance rule).
- Selection maximises the total score with total cost within the budget, forced-in projects always
  in, forced-out never, a project only with every project it depends on, and optional capacity
  rows (hours per role and period). It is a 0/1 integer program solved exactly by HiGHS; a
  greedy score-per-cost ranking is not optimal (tests/test_prioritisation.py has the case).
- The efficient frontier is the best total score at each budget of a grid.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

# Project Online's driver impact statements (None / Low / Moderate / Strong / Extreme) as numbers;
# Jira / ServiceNow demand scores are numbers already.
RATINGS = {"none": 0.0, "low": 1.0, "moderate": 2.0, "medium": 2.0, "strong": 3.0, "high": 3.0,
           "extreme": 4.0, "very high": 4.0}

# Saaty's random consistency index by matrix size (Saaty 1980; the values every AHP text uses).
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}
CONSISTENT_CR = 0.10
WEIGHT_TOTAL = 100.0
ROUND = 9          # scores and costs compared after rounding (floating sums of weights)


class PrioritisationError(ValueError):
    """Inputs that cannot be scored or selected; the message says what to change."""


def rating_value(text: str | float | int | None) -> float | None:
    """A score cell as a number: a number as written, or a driver rating word (None/Low/...)."""
    if text is None:
        return None
    if isinstance(text, (int, float)):
        return None if isinstance(text, float) and math.isnan(text) else float(text)
    t = str(text).strip().lower()
    if not t:
        return None
    if t in RATINGS:
        return RATINGS[t]
    try:
        return float(t.replace(",", ""))
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# Weights
# ---------------------------------------------------------------------------------------------
def check_weights(weights: dict[str, float]) -> list[str]:
    """Problems with a set of weights (empty = fine): each >= 0, summing to 100."""
    problems = [f"the weight of {c} is negative ({w:g})" for c, w in weights.items() if w < 0]
    total = sum(weights.values())
    if abs(total - WEIGHT_TOTAL) > 0.05:
        problems.append(f"the weights add up to {total:g}, not 100: change them so they sum to 100")
    return problems


def pairwise_weights(criteria: list[str], matrix: list[list[float]]) -> tuple[dict[str, float], float | None]:
    """Weights (summing to 100) from a reciprocal pairwise comparison matrix by the row geometric
    mean, and Saaty's consistency ratio CR = CI / RI with CI = (lambda_max - n) / (n - 1) and
    lambda_max estimated as the mean of (A w)_i / w_i. CR is None for n <= 2 (always consistent)."""
    n = len(criteria)
    if len(matrix) != n or any(len(r) != n for r in matrix):
        raise PrioritisationError(f"the pairwise matrix must be {n} x {n}, one row and column per criterion")
    for i in range(n):
        for j in range(n):
            a = matrix[i][j]
            if a is None or a <= 0:
                raise PrioritisationError(f"{criteria[i]} vs {criteria[j]}: a comparison must be a positive "
                                          "number (1 = equal, 3 = moderately more important, 9 = extremely)")
            if abs(a * matrix[j][i] - 1) > 1e-6:
                raise PrioritisationError(f"{criteria[i]} vs {criteria[j]} is {a:g} but {criteria[j]} vs "
                                          f"{criteria[i]} is {matrix[j][i]:g}: one must be 1 / the other")
    gm = [math.prod(row) ** (1 / n) for row in matrix]
    total = sum(gm)
    w = [g / total for g in gm]
    weights = {c: WEIGHT_TOTAL * x for c, x in zip(criteria, w)}
    if n <= 2:
        return weights, None
    aw = [sum(matrix[i][j] * w[j] for j in range(n)) for i in range(n)]
    lam = sum(aw[i] / w[i] for i in range(n)) / n
    ci = (lam - n) / (n - 1)
    ri = RANDOM_INDEX.get(n, 1.49)
    return weights, ci / ri


# ---------------------------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------------------------
def normalise(raw: dict[str, dict[str, float | None]], criteria: list[str],
              lower_is_better: set[str] | frozenset[str] = frozenset()) -> dict[str, dict[str, float]]:
    """{project: {criterion: raw}} -> {project: {criterion: 0..1}} by min-max over the projects
    given; a missing raw score is 0; a criterion with max == min gives 0 to everyone."""
    out: dict[str, dict[str, float]] = {p: {} for p in raw}
    for c in criteria:
        values = [v[c] for v in raw.values() if v.get(c) is not None]
        lo, hi = (min(values), max(values)) if values else (0.0, 0.0)
        for p, v in raw.items():
            x = v.get(c)
            if x is None or hi == lo:
                out[p][c] = 0.0
            elif c in lower_is_better:
                out[p][c] = (hi - x) / (hi - lo)
            else:
                out[p][c] = (x - lo) / (hi - lo)
    return out


def weighted_scores(normalised: dict[str, dict[str, float]], weights: dict[str, float]) -> dict[str, float]:
    """Score 0..100 per project: sum over criteria of weight x normalised score (weights sum to 100)."""
    return {p: round(sum(weights.get(c, 0.0) * x for c, x in v.items()), ROUND) for p, v in normalised.items()}


# ---------------------------------------------------------------------------------------------
# Selection
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Candidate:
    project_id: str
    cost: float
    score: float
    demand: dict[str, float] = field(default_factory=dict)   # capacity row -> hours it needs


@dataclass(frozen=True)
class Selection:
    selected: tuple[str, ...]
    total_cost: float
    total_score: float
    feasible: bool = True
    problem: str = ""


def _closure(start: set[str], depends: dict[str, set[str]]) -> set[str]:
    """Every project `start` needs, directly or through others."""
    seen, todo = set(start), list(start)
    while todo:
        for b in depends.get(todo.pop(), ()):
            if b not in seen:
                seen.add(b)
                todo.append(b)
    return seen


def select(candidates: list[Candidate], budget: float, *, forced_in=(), forced_out=(),
           depends_on: list[tuple[str, str]] = (), capacity: dict[str, float] | None = None,
           gap: float = 0.0, start: tuple[str, ...] | None = None) -> Selection:
    """The set of candidates with the highest total score whose total cost is at most `budget`.

    `depends_on`: (a, b) pairs = a may be selected only with b. Dependencies on a project that is
    not a candidate are the caller's to resolve (the page drops such a candidate or says why).
    Ties are broken towards the lower cost. Infeasible inputs (forced-in projects and what they
    depend on cost more than the budget, or depend on a forced-out project) give feasible=False
    with the reason. `gap`: the relative optimality gap the solver may stop at (0 = exact; the
    frontier's grid uses 1e-4, a point within 0.01% of the best, so that a chart of hundreds of
    projects draws in seconds). `start`: a selection known to meet every limit (the frontier's
    point at a smaller budget), handed to the solver as its first solution."""
    ids = [c.project_id for c in candidates]
    index = {p: i for i, p in enumerate(ids)}
    forced_in, forced_out = set(forced_in) & set(ids), set(forced_out) & set(ids)
    depends: dict[str, set[str]] = {}
    for a, b in depends_on:
        if a in index and b in index and a != b:
            depends.setdefault(a, set()).add(b)
    both = forced_in & forced_out
    if both:
        return Selection((), 0.0, 0.0, False, f"{', '.join(sorted(both))} is both forced in and forced out")
    needed = _closure(forced_in, depends)
    blocked = needed & forced_out
    if blocked:
        return Selection((), 0.0, 0.0, False,
                         f"a forced-in project depends on {', '.join(sorted(blocked))}, which is forced out")
    must_cost = sum(candidates[index[p]].cost for p in needed)
    if must_cost > budget + _tolerance(budget):
        return Selection((), 0.0, 0.0, False,
                         f"the forced-in projects and what they depend on cost {must_cost:,.0f}, more than "
                         f"the budget of {budget:,.0f}")
    for key, limit in (capacity or {}).items():
        need = sum(candidates[index[p]].demand.get(key, 0.0) for p in needed)
        if need > limit + _tolerance(limit):
            return Selection((), 0.0, 0.0, False,
                             f"the forced-in projects and what they depend on need {need:,.0f} h of {key}, more "
                             f"than the {max(limit, 0.0):,.0f} h available")
    if not candidates:
        return Selection((), 0.0, 0.0)
    started = set(start or ())
    first = None if start is None else [p in started for p in ids]
    x = _solve(candidates, budget, needed, forced_out, depends, capacity or {}, gap, first)
    if x is None:
        return Selection((), 0.0, 0.0, False, "no selection meets the capacity limits with the forced-in projects")
    chosen = tuple(p for p, on in zip(ids, x) if on)
    return Selection(chosen, round(sum(candidates[index[p]].cost for p in chosen), 2),
                     round(sum(candidates[index[p]].score for p in chosen), 6))


def _tolerance(limit: float) -> float:
    """A hair above a limit: a budget or capacity equal to a sum of costs or hours must admit that
    sum despite float rounding."""
    return 1e-9 * max(1.0, abs(limit))


def _solve(candidates: list[Candidate], budget: float, forced_in: set[str], forced_out: set[str],
           depends: dict[str, set[str]], capacity: dict[str, float], gap: float = 0.0,
           start: list[bool] | None = None) -> list[bool] | None:
    """max sum(s x) s.t. sum(c x) <= B, x_a - x_b <= 0 per dependency, sum(d_r x) <= cap_r per
    capacity row, x binary (fixed 1 / 0 when forced). A tiny cost penalty breaks ties towards the
    cheaper set, below any score difference that matters (scores are 0..100 with 6 decimals)."""
    import highspy

    n = len(candidates)
    index = {c.project_id: i for i, c in enumerate(candidates)}
    max_cost = max((c.cost for c in candidates), default=0.0) or 1.0
    tie = 1e-7 / (n * max_cost)
    rows: list[tuple[dict[int, float], float, float]] = [
        ({i: c.cost for i, c in enumerate(candidates) if c.cost}, -highspy.kHighsInf, budget + _tolerance(budget))]
    for a, bs in depends.items():
        for b in bs:
            rows.append(({index[a]: 1.0, index[b]: -1.0}, -highspy.kHighsInf, 0.0))
    for key, limit in capacity.items():
        coef = {i: c.demand.get(key, 0.0) for i, c in enumerate(candidates) if c.demand.get(key)}
        if coef:
            rows.append((coef, -highspy.kHighsInf, limit + _tolerance(limit)))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, len(rows)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = [c.score - tie * c.cost for c in candidates]
    lp.col_lower_ = [1.0 if c.project_id in forced_in else 0.0 for c in candidates]
    lp.col_upper_ = [0.0 if c.project_id in forced_out else 1.0 for c in candidates]
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    lp.row_lower_ = [r[1] for r in rows]
    lp.row_upper_ = [r[2] for r in rows]
    # column-wise sparse matrix
    cols: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for r, (coef, _, _) in enumerate(rows):
        for i, v in coef.items():
            cols[i].append((r, v))
    start, idx, val = [0], [], []
    for col in cols:
        for r, v in col:
            idx.append(r)
            val.append(v)
        start.append(len(idx))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = start, idx, val
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", gap)
    h.setOptionValue("mip_abs_gap", 1e-9 if gap == 0 else 0.0)
    h.setOptionValue("threads", 1)
    h.passModel(lp)
    if start is not None:
        # a known feasible selection: the search starts with it as its best, and prunes from there
        first = highspy.HighsSolution()
        first.col_value = [1.0 if on else 0.0 for on in start]
        first.value_valid = True
        h.setSolution(first)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return [v > 0.5 for v in h.getSolution().col_value]


def budget_grid(total_cost: float, steps: int = 20) -> list[float]:
    """`steps` equal budgets from total / steps to the total cost of every candidate."""
    if total_cost <= 0:
        return [0.0]
    return [total_cost * k / steps for k in range(1, steps)] + [total_cost]


FRONTIER_GAP = 1e-4
FRONTIER_WORKERS = 2       # integer programs solved at once (the machines we serve from have 2+ cores)


def frontier(candidates: list[Candidate], budgets: list[float], *, gap: float = FRONTIER_GAP,
             **constraints) -> list[Selection]:
    """The best selection at each budget (the efficient frontier): its total score never falls as
    the budget grows, because a selection within a budget is within every larger one. Each point
    is within `gap` (relative) of the best; a point scoring less than the one before it (possible
    only within that tolerance) takes the earlier point's selection, so the line never falls."""
    budgets = sorted(budgets)

    def chain(points: list[float]) -> list[Selection]:
        # each point's selection fits within the next, larger budget and every other limit: the
        # solver starts from it (about 12% faster at 2,400 candidates)
        found: list[Selection] = []
        for b in points:
            start = found[-1].selected if found and found[-1].feasible else None
            found.append(select(candidates, b, gap=gap, start=start, **constraints))
        return found

    # The solver releases the GIL: the grid's alternate points are solved side by side, on two
    # cores, each chain starting from its own previous point.
    workers = max(1, min(FRONTIER_WORKERS, len(budgets)))
    with ThreadPoolExecutor(workers, thread_name_prefix="pmo-frontier") as pool:
        chains = list(pool.map(chain, [budgets[i::workers] for i in range(workers)]))
    solved = [chains[i % workers][i // workers] for i in range(len(budgets))]
    out: list[Selection] = []
    for s in solved:
        if out and s.feasible and out[-1].feasible and s.total_score < out[-1].total_score:
            s = out[-1]
        out.append(s)
    return out


# ---------------------------------------------------------------------------------------------
# Role capacity per fiscal quarter (the page's "Respect role capacity" option)
# ---------------------------------------------------------------------------------------------
def capacity_key(role: str, fiscal_year: int, fiscal_quarter: int) -> str:
    """A capacity row's name, as the reasons and the table show it: 'Scrum Master · FY2027 Q1'."""
    return f"{role} · {period_label(fiscal_year, fiscal_quarter)}"


def period_label(fiscal_year: int, fiscal_quarter: int) -> str:
    return f"FY{fiscal_year} Q{fiscal_quarter}"


@dataclass(frozen=True)
class CapacityPlan:
    """Hours per capacity row (role x fiscal quarter, days after the last logged day).

    available = the role's capacity left - the hours booked on open projects the selection does
    not choose among (outside the filters, or not selectable): their work takes the role first.
    A row with demand from a choosable project but no known capacity (a placeholder role nobody
    in HR holds) is not a limit: it is listed in `unconstrained`."""
    available: dict[str, float]
    demand: dict[str, dict[str, float]]             # choosable project -> row -> hours
    role_capacity: dict[str, float]
    other_work: dict[str, float]
    rows: dict[str, tuple[str, str, object]]        # row -> (role, quarter label, quarter start)
    unconstrained: dict[str, float] = field(default_factory=dict)
    unmatched_hours: float = 0.0                    # choosable projects' hours on people of unknown capacity


def capacity_plan(capacity_rows: "pl.DataFrame", demand_rows: "pl.DataFrame", choices,
                  closed_stages=frozenset()) -> CapacityPlan:
    """The capacity limits and per-project demands from queries priority_role_capacity
    (capacity_role, period_start, fiscal_year, fiscal_quarter, role_capacity_hours) and
    priority_role_demand (project_id, project_stage, capacity_role, period_start, fiscal_year,
    fiscal_quarter, remaining_demand_hours, unmatched_hours). `choices` = the projects the selection
    chooses among; a closed project's leftover plan counts nowhere."""
    choices, closed = set(choices), set(closed_stages)
    rows: dict[str, tuple[str, str, object]] = {}
    role_capacity: dict[str, float] = {}
    for r in capacity_rows.iter_rows(named=True):
        key = capacity_key(r["capacity_role"], r["fiscal_year"], r["fiscal_quarter"])
        rows[key] = (r["capacity_role"], period_label(r["fiscal_year"], r["fiscal_quarter"]), r["period_start"])
        role_capacity[key] = role_capacity.get(key, 0.0) + float(r["role_capacity_hours"] or 0.0)
    demand: dict[str, dict[str, float]] = {}
    other: dict[str, float] = {k: 0.0 for k in role_capacity}
    unconstrained: dict[str, float] = {}
    unmatched = 0.0
    for r in demand_rows.iter_rows(named=True):
        p, hours = r["project_id"], float(r["remaining_demand_hours"] or 0.0)
        key = capacity_key(r["capacity_role"], r["fiscal_year"], r["fiscal_quarter"])
        if p in choices:
            unmatched += float(r["unmatched_hours"] or 0.0)
            if not hours:
                continue
            if key in role_capacity:
                demand.setdefault(p, {})
                demand[p][key] = demand[p].get(key, 0.0) + hours
            else:
                unconstrained[key] = unconstrained.get(key, 0.0) + hours
        elif r["project_stage"] not in closed and key in role_capacity:
            other[key] += hours
    available = {k: round(role_capacity[k] - other[k], 6) for k in role_capacity}
    return CapacityPlan(available, demand, role_capacity, other, rows, unconstrained, round(unmatched, 6))


def capacity_blocker(project_id: str, chosen, plan: CapacityPlan) -> tuple[str, float, float] | None:
    """Why `project_id` does not fit beside the `chosen` set: the capacity row it would overfill most,
    as (row, hours needed with it, hours available); None if it fits every row."""
    worst = None
    for key, d in plan.demand.get(project_id, {}).items():
        used = sum(plan.demand.get(q, {}).get(key, 0.0) for q in chosen if q != project_id)
        need, limit = used + d, plan.available[key]
        if need > limit + _tolerance(limit) and (worst is None or need - limit > worst[1] - worst[2]):
            worst = (key, need, limit)
    return worst


def capacity_use(plan: CapacityPlan, chosen) -> "pl.DataFrame":
    """Per capacity row: the role's capacity left, other projects' hours, available, what the chosen
    set needs and what is spare; the fullest rows first (needed / available, a row with nothing
    available and something needed first of all)."""
    import polars as pl

    rows = []
    for key, (role, quarter, start) in plan.rows.items():
        need = sum(plan.demand.get(q, {}).get(key, 0.0) for q in chosen)
        rows.append({"capacity_role": role, "capacity_period": quarter, "period_start": start,
                     "role_capacity_hours": round(plan.role_capacity[key], 2),
                     "other_work_hours": round(plan.other_work[key], 2),
                     "available_hours": round(plan.available[key], 2), "selected_demand_hours": round(need, 2),
                     "spare_hours": round(plan.available[key] - need, 2)})
    schema = {"capacity_role": pl.String, "capacity_period": pl.String, "period_start": pl.Date,
              "role_capacity_hours": pl.Float64, "other_work_hours": pl.Float64, "available_hours": pl.Float64,
              "selected_demand_hours": pl.Float64, "spare_hours": pl.Float64}
    full = (pl.when(pl.col("available_hours") > 0).then(pl.col("selected_demand_hours") / pl.col("available_hours"))
            .when(pl.col("selected_demand_hours") > 0).then(float("inf")).otherwise(0.0))
    return pl.DataFrame(rows, schema=schema).sort([full, pl.col("capacity_role"), pl.col("period_start")],
                                                  descending=[True, False, False])


def capacity_shortfall(block: tuple[str, float, float]) -> str:
    key, need, limit = block
    return f"{key} would need {need:,.0f} h of {limit:,.0f} h available"


def capacity_reason(block: tuple[str, float, float]) -> str:
    """A project left out because a capacity row would overfill: 'left out: Scrum Master · FY2027 Q1
    would need 1,062 h of 864 h available'."""
    return "left out: " + capacity_shortfall(block)


# ---------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scenario:
    name: str
    budget: float
    weights: dict[str, float]
    selected: frozenset[str]
    forced_in: frozenset[str] = frozenset()
    forced_out: frozenset[str] = frozenset()
    scores: dict[str, float] = field(default_factory=dict)
    costs: dict[str, float] = field(default_factory=dict)
    respect_capacity: bool = False


def weights_text(weights: dict[str, float]) -> str:
    """'Strategic alignment=35; Value=30' (how a scenario file keeps its weights)."""
    return "; ".join(f"{c}={w:g}" for c, w in weights.items())


def parse_weights(text: str | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in (text or "").split(";"):
        if "=" in part:
            c, w = part.rsplit("=", 1)
            try:
                out[c.strip()] = float(w)
            except ValueError:
                continue
    return out


def compare(a: Scenario, b: Scenario) -> list[dict]:
    """The projects that enter or leave from scenario `a` to `b`, each with why: forced in / out,
    its score under b's weights, its cost, the budget."""
    rows = []
    for p in sorted(a.selected ^ b.selected):
        enters = p in b.selected
        why = []
        if enters and p in b.forced_in and p not in a.forced_in:
            why.append(f"forced in by {b.name}")
        if not enters and p in b.forced_out and p not in a.forced_out:
            why.append(f"forced out by {b.name}")
        if not enters and p in a.forced_in and p not in b.forced_in:
            why.append(f"no longer forced in ({a.name} forced it)")
        if enters and p in a.forced_out and p not in b.forced_out:
            why.append(f"no longer forced out ({a.name} forced it out)")
        sa, sb = a.scores.get(p), b.scores.get(p)
        if sa is not None and sb is not None and round(sa, 1) != round(sb, 1):
            why.append(f"score {sa:.1f} → {sb:.1f} under {b.name}'s weights")
        ca, cb = a.costs.get(p), b.costs.get(p)
        if ca is not None and cb is not None and round(ca) != round(cb):
            why.append(f"cost {ca:,.0f} → {cb:,.0f}")
        if round(a.budget) != round(b.budget):
            why.append(f"budget {a.budget:,.0f} → {b.budget:,.0f}")
        if a.respect_capacity != b.respect_capacity:
            why.append(f"role capacity {'respected' if b.respect_capacity else 'not respected'} by {b.name}")
        if not why:
            why.append("another combination of projects gives more score within the same budget")
        rows.append({"project_id": p, "change": "enters" if enters else "leaves", "reason": "; ".join(why)})
    return rows


# ---------------------------------------------------------------------------------------------
# The page's analysis: candidates, scores and dependencies in; every table and figure out
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Settings:
    weights: dict[str, float]
    lower_is_better: frozenset[str]
    proposal_stages: frozenset[str]
    closed_stages: frozenset[str]
    frontier_steps: int = 20
    budget: float = 0.0            # the page's default budget; 0 = the current portfolio's cost


def read_settings(settings: dict) -> Settings:
    p = settings.get("prioritisation", {})
    return Settings(weights={str(k): float(v) for k, v in p.get("weights", {}).items()},
                    lower_is_better=frozenset(p.get("lower_is_better", [])),
                    proposal_stages=frozenset(p.get("proposal_stages", [])),
                    closed_stages=frozenset(settings.get("governance", {}).get("closed_stages", ["Closed", "Cancelled"])),
                    frontier_steps=int(p.get("frontier_steps", 20)), budget=float(p.get("budget", 0) or 0))


@dataclass
class Analysis:
    table: "pl.DataFrame"          # one row per candidate: rank, cost, score, decision, why
    contributions: "pl.DataFrame"  # project x criterion: raw, normalised, weight, points
    frontier: "pl.DataFrame"       # budget grid: best score, its cost, projects
    selection: Selection
    current_cost: float
    current_score: float
    unscored: list[str]
    unknown_scored: list[str]      # scored ids no candidate has (closed, outside the filters, unmatched)
    capacity: CapacityPlan | None = None      # the role capacity limits, when the option is on
    capacity_use: "pl.DataFrame | None" = None  # per role and quarter: available vs what the selection needs


def _money(x: float) -> str:
    return f"{x:,.0f}"


def analyse(candidates: "pl.DataFrame", scores: "pl.DataFrame", dependencies: "pl.DataFrame", cfg: Settings,
            weights: dict[str, float], budget: float, forced_in=(), forced_out=(),
            capacity_rows: "pl.DataFrame | None" = None, demand_rows: "pl.DataFrame | None" = None) -> Analysis:
    """Score, select and draw the frontier for the candidate projects (not in a closed stage).

    `candidates`: project_id, project_name, portfolio, stage, priority_cost, risk_exposure ...;
    `scores`: project_id, criterion, score; `dependencies`: project_id, blocker_project_id.
    `capacity_rows` and `demand_rows` (queries priority_role_capacity and priority_role_demand), when
    given, make the selection and the frontier respect role capacity per fiscal quarter."""
    import polars as pl

    cands = candidates.filter(~pl.col("stage").is_in(sorted(cfg.closed_stages)) | pl.col("stage").is_null())
    ids = cands["project_id"].to_list()
    criteria = [c for c, w in weights.items()]
    raw: dict[str, dict[str, float | None]] = {p: {} for p in ids}
    for r in scores.filter(pl.col("project_id").is_in(ids)).iter_rows(named=True):
        raw[r["project_id"]][r["criterion"]] = r["score"]
    unknown = sorted(set(scores["project_id"].to_list()) - set(ids))
    weighted = [c for c in criteria if weights.get(c, 0) > 0]
    unscored = sorted(p for p in ids if any(raw[p].get(c) is None for c in weighted))
    norm = normalise(raw, criteria, cfg.lower_is_better)
    score = weighted_scores(norm, weights)
    cost = dict(zip(ids, cands["priority_cost"].to_list()))
    costed = [p for p in ids if cost[p] is not None and cost[p] >= 0]
    # dependencies among candidates; a project needing a candidate that cannot be costed cannot be selected
    deps = [(a, b) for a, b in dependencies.select("project_id", "blocker_project_id").iter_rows()
            if a in cost and b in cost and a != b]
    blocked: dict[str, str] = {}
    changed = True
    while changed:
        changed = False
        for a, b in deps:
            if a not in blocked and (b not in costed or b in blocked) and a in costed:
                blocked[a] = f"needs {b}, which cannot be selected"
                changed = True
    selectable = [p for p in costed if p not in blocked]
    fin = [p for p in forced_in if p in selectable]
    fout = [p for p in forced_out if p in selectable]
    plan = capacity_plan(capacity_rows, demand_rows, selectable, cfg.closed_stages) \
        if capacity_rows is not None and demand_rows is not None else None
    limits = plan.available if plan else None
    pool = [Candidate(p, float(cost[p]), score[p], plan.demand.get(p, {}) if plan else {}) for p in selectable]
    live_deps = [(a, b) for a, b in deps if a in selectable and b in selectable]
    sel = select(pool, budget, forced_in=fin, forced_out=fout, depends_on=live_deps, capacity=limits)
    chosen = set(sel.selected)
    left = budget - sel.total_cost
    needs = {}
    for a, b in live_deps:
        needs.setdefault(a, []).append(b)

    def why(p: str) -> tuple[str, str]:
        if cost[p] is None:
            return "Cannot be selected", "no budget in the project register, so it cannot be costed"
        if p in blocked:
            return "Cannot be selected", blocked[p]
        if p in fin and p in chosen:
            return "Forced in", "forced in by this scenario"
        if p in fout:
            return "Forced out", "forced out by this scenario"
        if not sel.feasible:
            return "Not selected", sel.problem
        if p in chosen:
            extra = f"; needs {', '.join(needs[p])} (selected)" if p in needs else ""
            return "Selected", f"score {score[p]:.1f} for {_money(cost[p])}{extra}"
        missing = [b for b in needs.get(p, []) if b not in chosen]
        if missing:
            return "Not selected", f"needs {', '.join(missing)}, which is not selected"
        block = capacity_blocker(p, chosen, plan) if plan else None
        if cost[p] > left + 1e-6:
            if block:
                return "Not selected", (f"costs {_money(cost[p])}; {_money(left)} of the budget is left, and "
                                        + capacity_shortfall(block))
            return "Not selected", (f"costs {_money(cost[p])}; {_money(left)} of the budget is left, and no swap "
                                    "for a selected project scores more")
        if block:
            return "Not selected", capacity_reason(block)
        return "Not selected", f"scores {score[p]:.1f}: adding it adds nothing"

    rows = []
    for p in ids:
        decision, reason = why(p)
        rows.append({"project_id": p, "priority_cost": cost[p], "priority_score": score[p],
                     "selection": decision, "selection_reason": reason,
                     "is_current": cands.filter(pl.col("project_id") == p)["stage"][0] not in cfg.proposal_stages})
    table = cands.join(pl.DataFrame(rows, schema={"project_id": pl.String, "priority_cost": pl.Float64,
                                                  "priority_score": pl.Float64, "selection": pl.String,
                                                  "selection_reason": pl.String, "is_current": pl.Boolean}),
                       on="project_id", how="left", suffix="_")
    table = table.drop([c for c in table.columns if c.endswith("_") and c[:-1] in table.columns]) \
        .sort(["priority_score", "priority_cost"], descending=[True, False], nulls_last=True) \
        .with_row_index("score_rank", offset=1).with_columns(pl.col("score_rank").cast(pl.Int64))
    current = table.filter(pl.col("is_current") & pl.col("priority_cost").is_not_null())
    contributions = pl.DataFrame([
        {"project_id": p, "criterion": c, "score": raw[p].get(c), "normalised_score": norm[p].get(c, 0.0),
         "criterion_weight": weights.get(c, 0.0), "score_contribution": round(weights.get(c, 0.0) * norm[p].get(c, 0.0), 6)}
        for p in ids for c in criteria],
        schema={"project_id": pl.String, "criterion": pl.String, "score": pl.Float64, "normalised_score": pl.Float64,
                "criterion_weight": pl.Float64, "score_contribution": pl.Float64})
    total = sum(c.cost for c in pool)
    grid = budget_grid(total, cfg.frontier_steps) if pool else []
    front = frontier(pool, grid, forced_in=fin, forced_out=fout, depends_on=live_deps, capacity=limits)
    frontier_df = pl.DataFrame(
        [{"frontier_budget": b, "frontier_score": s.total_score if s.feasible else None,
          "frontier_cost": s.total_cost if s.feasible else None, "frontier_projects": len(s.selected) if s.feasible else None}
         for b, s in zip(grid, front)],
        schema={"frontier_budget": pl.Float64, "frontier_score": pl.Float64, "frontier_cost": pl.Float64,
                "frontier_projects": pl.Int64})
    return Analysis(table, contributions, frontier_df, sel, float(current["priority_cost"].sum()),
                    round(float(current["priority_score"].sum()), 6), unscored, unknown, plan,
                    capacity_use(plan, chosen if sel.feasible else set(fin)) if plan else None)
