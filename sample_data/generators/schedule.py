"""Schedule facts both plan exports carry (issue 17): actual start and finish, and total slack.

Total slack follows how MS Project computes it on these plans: a task can slip to the end of its
phase (its free float within the phase); a phase milestone with a deadline (its baseline finish,
`TaskDeadline`) forecast later than that deadline drives its phase's open tasks negative by the
working days it is late; a few tasks nothing else waits for (lessons learned, handover, reviews)
have high float. Done tasks have none. No random draws: the numbers follow from the plan.
"""

from __future__ import annotations

from datetime import date, timedelta

from .helpers import workdays

# Tasks nothing downstream waits for: their float runs to the end of the project.
DANGLING = ("Lessons learned", "Stakeholder analysis", "Security review", "Handover to support")


def actual_start(t) -> date | None:
    return t.start if not t.summary and t.pct > 0 else None


def actual_finish(t) -> date | None:
    return t.finish if not t.summary and t.pct == 100 else None


def total_slack_days(p, t, by_guid: dict) -> float:
    """Working days of total slack of task `t` of project `p` (see the module docstring)."""
    if t.summary:
        kids = [total_slack_days(p, k, by_guid) for k in t.children]
        return min(kids) if kids else 0.0
    if t.pct == 100:
        return 0.0
    phase = by_guid.get(t.parent)
    if phase is None:
        return 0.0
    if t.name in DANGLING:
        return float(workdays(t.finish + timedelta(days=1), max(p.finish, t.finish)))
    in_phase = workdays(t.finish + timedelta(days=1), phase.finish) if t.finish < phase.finish else 0
    late = 0
    milestone = next((k for k in phase.children if k.milestone), None)
    if p.has_baseline and milestone is not None and milestone.finish > milestone.b_finish:
        late = workdays(milestone.b_finish + timedelta(days=1), milestone.finish)
    return float(in_phase - late)
