-- governance_findings
-- Every governance check for every project: reporting hygiene, plan hygiene, schedule quality
-- (the DCMA 14-point checks the exports allow) and stage gates, with numerator, denominator,
-- value, the threshold of config [governance] (governance_checks), pass or fail, and the offending
-- items. Definitions: docs/governance.md.
-- When: reporting, register and gate checks are judged at every status date of the portfolio (the
-- dates of status_snapshots and of the project register) from the project's first status (else
-- its start) until it closes (actual finish on or before the date, or a closed stage); task
-- checks once per plan, at its export's status date (schedule_task_flags).
-- A check whose fields the plan export lacks is not measurable (measurable false, passed NULL, note
-- "not measurable from <export>: ..."), never passed; so is a check with nothing to judge.
-- value = numerator / denominator for shares, else days (status_stale, gate_overdue), a report
-- count (health_mismatch) or the index (dcma_bei). Compared after rounding to 6 decimals.
-- params: (none)
-- cache: summary
-- reads: governance_checks, project_health, projects, schedule_task_flags, settings_governance, stage_gates, status_dates, status_snapshots, task_links, tasks
-- grain: project_id, check_id, as_of
-- columns: project_id, as_of, check_id, check_group, check_name, measurable, passed, numerator, denominator, value, threshold, rule, export, note, offending, offending_count, check_order, project_name, portfolio, program, department, manager, stage
with
cfg as (
    select * from settings_governance
),

snapshots as (
    select distinct project_id, as_of from status_snapshots where project_id is not null and as_of is not null
),

first_seen as (
    select p.project_id,
           coalesce(min(s.as_of), p.start_date, p.as_of) as first_date
    from projects p
    left join snapshots s on s.project_id = p.project_id
    group by p.project_id, p.start_date, p.as_of
),

project_dates as (
    -- the dates a project is judged on: from its first status (else its start) until it closes
    select p.project_id, d.as_of
    from projects p
    join first_seen f on f.project_id = p.project_id
    cross join status_dates d
    cross join cfg
    where d.as_of >= f.first_date
      and not coalesce(p.actual_finish_date <= d.as_of, false)
      and not (p.actual_finish_date is null
               and coalesce(list_contains(string_split(lower(cfg.closed_stages), ','), lower(p.stage)), false))
),

-- ---- reporting hygiene ------------------------------------------------------------------------
last_status as (
    select pd.project_id, pd.as_of, max(s.as_of) as last_date
    from project_dates pd
    left join snapshots s on s.project_id = pd.project_id and s.as_of <= pd.as_of
    group by pd.project_id, pd.as_of
),

reports as (
    select
        project_id, as_of,
        reported_health is not null and overall_health in ('green', 'amber', 'red') as judged,
        reported_health is not null and overall_health in ('green', 'amber', 'red')
            and reported_health <> overall_health as disagrees
    from project_health
),

streaks as (
    select
        pd.project_id, pd.as_of,
        bool_or(r.judged) as any_judged,
        max(r.as_of) filter (where not r.disagrees) as last_break
    from project_dates pd
    left join reports r on r.project_id = pd.project_id and r.as_of <= pd.as_of
    group by pd.project_id, pd.as_of
),

streak_dates as (
    select s.project_id, s.as_of, s.any_judged,
           list(strftime(r.as_of, '%Y-%m-%d') order by r.as_of) filter (where r.as_of is not null) as dates
    from streaks s
    left join reports r on r.project_id = s.project_id and r.as_of <= s.as_of and r.disagrees
        and (s.last_break is null or r.as_of > s.last_break)
    group by s.project_id, s.as_of, s.any_judged
),

reporting as (
    select project_id, as_of, 'status_stale' as check_id,
           datediff('day', last_date, as_of)::double as numerator, null::double as denominator,
           datediff('day', last_date, as_of)::double as value,
           case when last_date is null then 'no status report yet' end as not_measurable,
           case when last_date is not null then 'last status report ' || strftime(last_date, '%Y-%m-%d') end as note,
           case when last_date is not null then [strftime(last_date, '%Y-%m-%d')] end as offending,
           null::varchar as export
    from last_status
    union all
    select project_id, as_of, 'no_status',
           case when last_date is null then 1 else 0 end, 1,
           case when last_date is null then 1 else 0 end,
           null, null, null, null
    from last_status
    union all
    select project_id, as_of, 'health_mismatch',
           coalesce(len(dates), 0), null, coalesce(len(dates), 0),
           case when not coalesce(any_judged, false) then 'no status report with both a reported and a computed colour' end,
           null, dates, null
    from streak_dates
),

-- ---- register (project fields, baseline) -------------------------------------------------------
register_text as (
    select project_id, project_name, portfolio, program, department, manager, sponsor, stage, priority,
           start_date::varchar as start_date, finish_date::varchar as finish_date,
           baseline_start_date::varchar as baseline_start_date,
           baseline_finish_date::varchar as baseline_finish_date,
           budget::varchar as budget, currency
    from projects
),

register_values as (
    select * from register_text
    unpivot include nulls (field_value for field in (
        project_name, portfolio, program, department, manager, sponsor, stage, priority, start_date,
        finish_date, baseline_start_date, baseline_finish_date, budget, currency))
),

missing as (
    select r.project_id,
           count(*) as required,
           list(r.field order by r.field) filter (where nullif(trim(r.field_value), '') is null) as missing_fields
    from register_values r
    cross join cfg
    where list_contains(string_split(cfg.required_fields, ','), r.field)
    group by r.project_id
),

register as (
    select pd.project_id, pd.as_of, 'no_baseline' as check_id,
           case when p.baseline_start_date is null or p.baseline_finish_date is null then 1 else 0 end::double,
           1::double,
           case when p.baseline_start_date is null or p.baseline_finish_date is null then 1 else 0 end::double,
           null::varchar, null::varchar,
           case when p.baseline_start_date is null or p.baseline_finish_date is null
                then ['baseline dates'] end, null::varchar
    from project_dates pd join projects p on p.project_id = pd.project_id
    union all
    select pd.project_id, pd.as_of, 'missing_fields',
           coalesce(len(m.missing_fields), 0), m.required,
           coalesce(len(m.missing_fields), 0) / nullif(m.required, 0),
           case when m.required is null then 'no required fields configured' end,
           null, m.missing_fields, null
    from project_dates pd left join missing m on m.project_id = pd.project_id
),

-- ---- stage gates -------------------------------------------------------------------------------
pending_gates as (
    select pd.project_id, pd.as_of, g.gate, g.planned_date,
           row_number() over (partition by pd.project_id, pd.as_of
                              order by g.gate_order nulls last, g.planned_date nulls last, g.gate) as n
    from project_dates pd
    join stage_gates g on g.project_id = pd.project_id
    where g.decision_date is null or g.decision_date > pd.as_of
),

gates as (
    select pd.project_id, pd.as_of, 'gate_overdue' as check_id,
           greatest(datediff('day', pg.planned_date + cfg.gate_grace_days::integer, pd.as_of), 0)::double,
           null::double,
           greatest(datediff('day', pg.planned_date + cfg.gate_grace_days::integer, pd.as_of), 0)::double,
           case when not exists (select 1 from stage_gates g where g.project_id = pd.project_id)
                    then 'no gate log rows for the project'
                when pg.gate is not null and pg.planned_date is null
                    then 'the next gate (' || pg.gate || ') has no planned date' end,
           case when pg.gate is null then 'every gate in the log has a decision'
                else 'next gate ' || pg.gate || ' planned ' || strftime(pg.planned_date, '%Y-%m-%d') end,
           case when pg.planned_date + cfg.gate_grace_days::integer < pd.as_of then [pg.gate] end,
           null::varchar
    from project_dates pd
    cross join cfg
    left join pending_gates pg on pg.project_id = pd.project_id and pg.as_of = pd.as_of and pg.n = 1
),

-- ---- tasks (plan hygiene and schedule quality, per plan at its status date) ------------------
flags as (
    select * from schedule_task_flags
),

plans as (
    select project_id, any_value(as_of) as as_of, any_value(export) as export, any_value(fields) as fields
    from flags group by project_id
),

relationships as (
    select l.project_id, l.task_id, l.link_type, l.lag_days, l.lag_text
    from task_links l
    join flags f on f.project_id = l.project_id and f.task_id = l.task_id and f.source = l.source
    where not f.is_done
),

link_counts as (
    select project_id,
           count(*) as relationships,
           count(*) filter (where lag_days < 0 or lag_text like '-%') as leads,
           list(distinct task_id order by task_id) filter (where lag_days < 0 or lag_text like '-%') as lead_tasks,
           count(*) filter (where lag_days > 0 or (lag_text like '+%' and coalesce(lag_days, 1) > 0)) as lags,
           list(distinct task_id order by task_id)
               filter (where lag_days > 0 or (lag_text like '+%' and coalesce(lag_days, 1) > 0)) as lag_tasks,
           count(*) filter (where coalesce(link_type, 'FS') = 'FS') as fs_links,
           list(distinct task_id order by task_id) filter (where coalesce(link_type, 'FS') <> 'FS') as non_fs_tasks
    from relationships
    group by project_id
),

task_counts as (
    select
        project_id,
        count(*) as tasks,
        count(*) filter (where not is_done) as incomplete,
        count(*) filter (where not is_done and not is_milestone) as open_work,
        count(*) filter (where is_done) as done,
        count(*) filter (where baseline_due) as baseline_due,
        count(*) filter (where flag_no_baseline) as no_baseline,
        count(*) filter (where flag_unowned) as unowned,
        count(*) filter (where flag_late) as late,
        count(*) filter (where flag_missing_logic) as missing_logic,
        count(*) filter (where flag_hard_constraint) as hard_constraints,
        count(*) filter (where flag_high_float) as high_float,
        count(*) filter (where flag_negative_float) as negative_float,
        count(*) filter (where flag_high_duration) as high_duration,
        count(*) filter (where flag_invalid_dates) as invalid_dates,
        count(*) filter (where flag_missed) as missed,
        list(task_id order by task_id) filter (where flag_no_baseline) as no_baseline_ids,
        list(task_id order by task_id) filter (where flag_unowned) as unowned_ids,
        list(task_id order by task_id) filter (where flag_late) as late_ids,
        list(task_id order by task_id) filter (where flag_missing_logic) as missing_logic_ids,
        list(task_id order by task_id) filter (where flag_hard_constraint) as hard_constraint_ids,
        list(task_id order by task_id) filter (where flag_high_float) as high_float_ids,
        list(task_id order by task_id) filter (where flag_negative_float) as negative_float_ids,
        list(task_id order by task_id) filter (where flag_high_duration) as high_duration_ids,
        list(task_id order by task_id) filter (where flag_invalid_dates) as invalid_dates_ids,
        list(task_id order by task_id) filter (where flag_missed) as missed_ids
    from flags
    group by project_id
),

task_measures as (
    -- (check, numerator, denominator, offending) per plan; the value is numerator / denominator
    select p.project_id, p.as_of, p.export, p.fields, m.*
    from plans p
    join task_counts c on c.project_id = p.project_id
    left join link_counts l on l.project_id = p.project_id
    cross join lateral (
        select unnest([
            {'check_id': 'tasks_without_baseline', 'num': c.no_baseline, 'den': c.tasks, 'ids': c.no_baseline_ids},
            {'check_id': 'unowned_tasks', 'num': c.unowned, 'den': c.open_work, 'ids': c.unowned_ids},
            {'check_id': 'late_tasks', 'num': c.late, 'den': c.incomplete, 'ids': c.late_ids},
            {'check_id': 'dcma_logic', 'num': c.missing_logic, 'den': c.incomplete, 'ids': c.missing_logic_ids},
            {'check_id': 'dcma_leads', 'num': coalesce(l.leads, 0), 'den': coalesce(l.relationships, 0),
             'ids': l.lead_tasks},
            {'check_id': 'dcma_lags', 'num': coalesce(l.lags, 0), 'den': coalesce(l.relationships, 0),
             'ids': l.lag_tasks},
            {'check_id': 'dcma_fs', 'num': coalesce(l.fs_links, 0), 'den': coalesce(l.relationships, 0),
             'ids': l.non_fs_tasks},
            {'check_id': 'dcma_hard_constraints', 'num': c.hard_constraints, 'den': c.incomplete,
             'ids': c.hard_constraint_ids},
            {'check_id': 'dcma_high_float', 'num': c.high_float, 'den': c.incomplete, 'ids': c.high_float_ids},
            {'check_id': 'dcma_negative_float', 'num': c.negative_float, 'den': c.incomplete,
             'ids': c.negative_float_ids},
            {'check_id': 'dcma_high_duration', 'num': c.high_duration, 'den': c.incomplete,
             'ids': c.high_duration_ids},
            {'check_id': 'dcma_invalid_dates', 'num': c.invalid_dates, 'den': c.tasks, 'ids': c.invalid_dates_ids},
            {'check_id': 'dcma_missed_tasks', 'num': c.missed, 'den': c.baseline_due, 'ids': c.missed_ids},
            {'check_id': 'dcma_bei', 'num': c.done, 'den': c.baseline_due, 'ids': c.missed_ids}
        ], recursive := true)
    ) m
),

needs(check_id, needs, lacking) as (
    values
        ('tasks_without_baseline', ['baseline_finish'], 'no baseline finish dates'),
        ('unowned_tasks', ['assignee'], 'no resource names'),
        ('late_tasks', []::varchar[], ''),
        ('dcma_logic', ['predecessors'], 'no predecessors'),
        ('dcma_leads', ['predecessors'], 'no predecessors'),
        ('dcma_lags', ['predecessors'], 'no predecessors'),
        ('dcma_fs', ['predecessors'], 'no predecessors'),
        ('dcma_hard_constraints', ['constraint_type'], 'no constraint types'),
        ('dcma_high_float', ['total_slack'], 'no total slack'),
        ('dcma_negative_float', ['total_slack'], 'no total slack'),
        ('dcma_high_duration', ['duration'], 'no durations'),
        ('dcma_invalid_dates', ['actual_start', 'actual_finish'], 'no actual start and finish dates'),
        ('dcma_missed_tasks', ['baseline_finish', 'actual_finish'], 'no baseline finish and actual finish dates'),
        ('dcma_bei', ['baseline_finish'], 'no baseline finish dates')
),

task_findings as (
    select
        t.project_id, t.as_of, t.check_id,
        t.num::double as numerator, t.den::double as denominator,
        t.num / nullif(t.den, 0) as value,
        case when not (list_has_all(t.fields, n.needs)
                       or (t.check_id = 'dcma_high_duration' and list_contains(t.fields, 'baseline_duration')))
                 then 'not measurable from ' || t.export || ': it has ' || n.lacking
             when coalesce(t.den, 0) = 0
                 then case t.check_id
                          when 'unowned_tasks' then 'nothing to judge: no open tasks'
                          when 'tasks_without_baseline' then 'nothing to judge: no tasks'
                          when 'dcma_invalid_dates' then 'nothing to judge: no tasks'
                          when 'dcma_missed_tasks' then 'nothing to judge: no task has its baseline finish due'
                          when 'dcma_bei' then 'nothing to judge: no task has its baseline finish due'
                          when 'dcma_leads' then 'nothing to judge: no relationships'
                          when 'dcma_lags' then 'nothing to judge: no relationships'
                          when 'dcma_fs' then 'nothing to judge: no relationships'
                          else 'nothing to judge: no incomplete tasks' end end as not_measurable,
        null::varchar as note,
        t.ids as offending,
        t.export
    from task_measures t
    join needs n on n.check_id = t.check_id
),

all_findings as (
    select project_id, as_of, check_id, numerator, denominator, value, not_measurable, note, offending, export
    from reporting
    union all
    select * from register
    union all
    select * from gates
    union all
    select * from task_findings
),

final as (
    select
        f.project_id,
        f.as_of,
        f.check_id,
        c.check_group,
        c.check_name,
        f.not_measurable is null as measurable,
        case when f.not_measurable is not null then null
             when c.rule = '<=' then round(f.value, 6) <= c.threshold
             when c.rule = '>=' then round(f.value, 6) >= c.threshold
             when c.rule = '<' then round(f.value, 6) < c.threshold end as passed,
        f.numerator,
        f.denominator,
        f.value,
        c.threshold,
        c.rule,
        f.export,
        coalesce(f.not_measurable, f.note) as note,
        case when f.not_measurable is null then coalesce(f.offending, []::varchar[]) end as offending,
        case when f.not_measurable is null then coalesce(len(f.offending), 0) end as offending_count,
        c.check_order,
        p.project_name, p.portfolio, p.program, p.department, p.manager, p.stage
    from all_findings f
    join governance_checks c on c.check_id = f.check_id
    left join projects p on p.project_id = f.project_id
)

select * from final
