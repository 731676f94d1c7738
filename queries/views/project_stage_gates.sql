-- project_stage_gates
-- Each project's lifecycle position at the portfolio's latest status date (the newest status date,
-- else today): its stage (the register's), when it entered that stage (the decision date of the
-- newest approved or conditional gate into that stage), the last gate decision, and its next gate
-- (the first gate in gate order with no decision by then) with its planned date and whether it is
-- overdue (planned date plus [governance] gate_grace_days passed, no decision recorded). Projects
-- without gate log rows have NULL gate columns.
-- params: (none)
-- reads: projects, settings_governance, stage_gates, status_snapshots
-- grain: project_id
-- columns: project_id, as_of, stage, stage_entered_date, last_gate, last_decision, last_decision_date, last_approver, next_gate, next_gate_planned_date, next_gate_stage, days_overdue, is_overdue, gates_logged, project_name, portfolio
with
cfg as (
    select * from settings_governance
),

today as (
    select coalesce((select max(as_of) from status_snapshots), current_date) as as_of
),

gates as (
    select g.*, t.as_of as judged_at
    from stage_gates g cross join today t
),

entered as (
    select g.project_id, max(g.decision_date) as entered_date
    from gates g
    join projects p on p.project_id = g.project_id
    where g.decision_category in ('approved', 'conditional')
      and lower(g.stage) = lower(p.stage)
      and g.decision_date <= g.judged_at
    group by g.project_id
),

last_decision as (
    select project_id, gate, decision, decision_date, approver
    from gates
    where decision_date <= judged_at
    qualify row_number() over (partition by project_id order by decision_date desc, gate_order desc nulls last) = 1
),

next_gate as (
    select project_id, gate, planned_date, stage, judged_at
    from gates
    where decision_date is null or decision_date > judged_at
    qualify row_number() over (partition by project_id
                               order by gate_order nulls last, planned_date nulls last, gate) = 1
),

counted as (
    select project_id, count(*) as gates_logged from stage_gates group by project_id
)

select
    p.project_id,
    t.as_of,
    p.stage,
    e.entered_date as stage_entered_date,
    l.gate as last_gate,
    l.decision as last_decision,
    l.decision_date as last_decision_date,
    l.approver as last_approver,
    n.gate as next_gate,
    n.planned_date as next_gate_planned_date,
    n.stage as next_gate_stage,
    greatest(datediff('day', n.planned_date + cfg.gate_grace_days::integer, t.as_of), 0) as days_overdue,
    coalesce(n.planned_date + cfg.gate_grace_days::integer < t.as_of, false) as is_overdue,
    coalesce(c.gates_logged, 0) as gates_logged,
    p.project_name,
    p.portfolio
from projects p
cross join today t
cross join cfg
left join entered e on e.project_id = p.project_id
left join last_decision l on l.project_id = p.project_id
left join next_gate n on n.project_id = p.project_id
left join counted c on c.project_id = p.project_id
