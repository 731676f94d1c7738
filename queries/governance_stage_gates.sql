-- governance_stage_gates
-- Each selected project's lifecycle position on the status date (the newest status date on or
-- before $as_of, else today): its stage (the register's), when it entered it (the newest approved
-- or conditional decision into that stage by then), its last gate decision (gate, decision, date,
-- approver) and its next gate (the first gate in gate order with no decision by then) with its
-- planned date and whether it is overdue (planned date plus [governance] gate_grace_days passed
-- with no decision recorded). Projects without gate log rows have NULL gate columns. The same
-- rules as project_stage_gates (which is always at the newest status date).
-- cache: per project
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all), $as_of DATE (NULL = latest)
-- reads: filtered_projects, settings_governance, stage_gates, status_dates
-- grain: project_id
-- columns: project_id, project_name, portfolio, stage, as_of, stage_entered_date, last_gate, last_decision, last_decision_date, last_approver, next_gate, next_gate_planned_date, next_gate_stage, days_overdue, is_overdue, gates_logged
with
cfg as (
    select * from settings_governance
),

day as (
    select coalesce(max(as_of), current_date) as as_of
    from status_dates
    where $as_of::date is null or as_of <= $as_of::date
),

selected as (
    select project_id, project_name, portfolio, stage
    from filtered_projects($portfolio, $program, $department, $manager, $stage)
),

gates as (
    select g.*
    from stage_gates g
    where g.project_id in (select project_id from selected)
),

entered as (
    select g.project_id, max(g.decision_date) as entered_date
    from gates g
    join selected p on p.project_id = g.project_id
    cross join day d
    where g.decision_category in ('approved', 'conditional')
      and lower(g.stage) = lower(p.stage)
      and g.decision_date <= d.as_of
    group by g.project_id
),

last_decision as (
    select g.project_id, g.gate, g.decision, g.decision_date, g.approver
    from gates g cross join day d
    where g.decision_date <= d.as_of
    qualify row_number() over (partition by g.project_id order by g.decision_date desc, g.gate_order desc nulls last) = 1
),

next_gate as (
    select g.project_id, g.gate, g.planned_date, g.stage
    from gates g cross join day d
    where g.decision_date is null or g.decision_date > d.as_of
    qualify row_number() over (partition by g.project_id
                               order by g.gate_order nulls last, g.planned_date nulls last, g.gate) = 1
),

counted as (
    select project_id, count(*) as gates_logged from gates group by project_id
)

select
    p.project_id,
    p.project_name,
    p.portfolio,
    p.stage,
    d.as_of,
    e.entered_date as stage_entered_date,
    l.gate as last_gate,
    l.decision as last_decision,
    l.decision_date as last_decision_date,
    l.approver as last_approver,
    n.gate as next_gate,
    n.planned_date as next_gate_planned_date,
    n.stage as next_gate_stage,
    greatest(datediff('day', n.planned_date + cfg.gate_grace_days::integer, d.as_of), 0) as days_overdue,
    coalesce(n.planned_date + cfg.gate_grace_days::integer < d.as_of, false) as is_overdue,
    coalesce(c.gates_logged, 0) as gates_logged
from selected p
cross join day d
cross join cfg
left join entered e on e.project_id = p.project_id
left join last_decision l on l.project_id = p.project_id
left join next_gate n on n.project_id = p.project_id
left join counted c on c.project_id = p.project_id
order by is_overdue desc, days_overdue desc, p.project_id
