-- schedule_task_flags
-- The tasks the schedule checks judge, one row per task (summary rows left out) of each project's
-- plan: the task export carrying the most schedule fields (newest first) when a project has
-- several. Every task is judged at its export's status date (as_of) with the rules of
-- docs/governance.md: incomplete = not done (status category, else 100% complete); missing logic =
-- incomplete without a predecessor or a successor (task_links of the same export; a milestone on
-- the plan's first start needs no predecessor, one on its last finish no successor); hard
-- constraint = one of [governance] hard_constraints; high float / high duration = over
-- high_float_days / high_duration_days working days (duration: the baseline's, else the current);
-- negative float; invalid dates = a forecast start or finish before the status date with no
-- actual, or an actual after it; missed = its baseline finish is due and it finished later or not
-- at all; unowned = an open task, not a milestone, without an assignee; late = incomplete with its
-- finish before the status date. `fields` lists what the export carried (schedule_exports; for
-- exports that do not record it, a field counts when any task of the project has a value there).
-- params: (none)
-- reads: export_labels, schedule_exports, settings_governance, task_links, tasks
-- grain: project_id, task_id
-- columns: project_id, task_id, task_name, source, export, fields, as_of, is_milestone, is_done, has_predecessor, has_successor, flag_missing_logic, flag_hard_constraint, flag_high_float, flag_negative_float, flag_high_duration, flag_invalid_dates, flag_missed, baseline_due, flag_unowned, flag_late, flag_no_baseline, constraint_type, total_slack_days, duration_days, baseline_duration_days, start_date, finish_date, actual_start_date, completed_date, baseline_finish_date, assignee
with
cfg as (
    select * from settings_governance
),

linked as (
    select distinct project_id, source from task_links
),

task_sources as (
    select
        t.project_id,
        t.source,
        max(t.as_of) as as_of,
        count(*) as task_count,
        list_filter([
            'assignee',
            case when count(t.baseline_finish_date) > 0 then 'baseline_finish' end,
            case when count(t.baseline_start_date) > 0 then 'baseline_start' end,
            case when count(t.actual_start_date) > 0 then 'actual_start' end,
            case when count(t.completed_date) > 0 then 'actual_finish' end,
            case when count(t.total_slack_days) > 0 then 'total_slack' end,
            case when count(t.constraint_type) > 0 then 'constraint_type' end,
            case when count(t.duration_days) > 0 then 'duration' end,
            case when count(t.baseline_duration_days) > 0 then 'baseline_duration' end,
            case when bool_or(l.project_id is not null) then 'predecessors' end
        ], lambda f: f is not null) as inferred_fields
    from tasks t
    left join linked l on l.project_id = t.project_id and l.source = t.source
    where t.project_id is not null
    group by t.project_id, t.source
),

exports as (
    select
        s.project_id,
        s.source,
        coalesce(e.as_of, s.as_of) as as_of,
        coalesce(e.export, lbl.label, split_part(s.source, ':', 1)) as export,
        coalesce(e.fields, s.inferred_fields) as fields
    from task_sources s
    left join schedule_exports e on e.project_id = s.project_id and e.source = s.source
    left join export_labels lbl on lbl.tool = split_part(s.source, ':', 1)
),

plan as (
    select * from exports
    qualify row_number() over (partition by project_id order by len(fields) desc, as_of desc, source) = 1
),

plan_links as (
    select l.* from task_links l join plan p on p.project_id = l.project_id and p.source = l.source
),

judged as (
    select
        t.project_id, t.task_id, t.task_name, t.source, p.export, p.fields,
        coalesce(p.as_of, t.as_of) as as_of,     -- never NULL: ingest dates every row
        coalesce(t.is_milestone, false) as is_milestone,
        coalesce(t.status_category = 'done' or t.percent_complete >= 1, false) as is_done,
        exists (select 1 from plan_links l where l.project_id = t.project_id and l.task_id = t.task_id)
            as has_predecessor,
        exists (select 1 from plan_links l where l.project_id = t.project_id and l.predecessor_id = t.task_id)
            as has_successor,
        t.constraint_type, t.total_slack_days, t.duration_days, t.baseline_duration_days,
        t.start_date, t.finish_date, t.actual_start_date, t.completed_date, t.baseline_finish_date,
        t.assignee,
        -- the plan's own start and finish: a milestone there needs no predecessor / successor
        min(t.start_date) over (partition by t.project_id) as plan_start,
        max(t.finish_date) over (partition by t.project_id) as plan_finish
    from tasks t
    join plan p on p.project_id = t.project_id and p.source = t.source
    where not coalesce(t.is_summary, false)
),

final as (
    select
        j.project_id, j.task_id, j.task_name, j.source, j.export, j.fields, j.as_of, j.is_milestone,
        j.is_done, j.has_predecessor, j.has_successor,
        not j.is_done and ((not j.has_predecessor and not coalesce(j.is_milestone and j.start_date = j.plan_start, false))
                           or (not j.has_successor and not coalesce(j.is_milestone and j.finish_date = j.plan_finish, false)))
            as flag_missing_logic,
        not j.is_done and coalesce(list_contains(string_split(cfg.hard_constraints, ','), j.constraint_type), false)
            as flag_hard_constraint,
        not j.is_done and coalesce(j.total_slack_days > cfg.high_float_days, false) as flag_high_float,
        not j.is_done and coalesce(j.total_slack_days < 0, false) as flag_negative_float,
        not j.is_done and coalesce(coalesce(j.baseline_duration_days, j.duration_days) > cfg.high_duration_days, false)
            as flag_high_duration,
        coalesce(not j.is_done and j.actual_start_date is null and j.start_date < j.as_of, false)
            or coalesce(not j.is_done and j.completed_date is null and j.finish_date < j.as_of, false)
            or coalesce(j.actual_start_date > j.as_of, false)
            or coalesce(j.completed_date > j.as_of, false) as flag_invalid_dates,
        coalesce(j.baseline_finish_date <= j.as_of, false)
            and (not j.is_done or coalesce(j.completed_date > j.baseline_finish_date, false)) as flag_missed,
        coalesce(j.baseline_finish_date <= j.as_of, false) as baseline_due,
        not j.is_done and not j.is_milestone and nullif(trim(j.assignee), '') is null as flag_unowned,
        not j.is_done and coalesce(j.finish_date < j.as_of, false) as flag_late,
        j.baseline_finish_date is null as flag_no_baseline,
        j.constraint_type, j.total_slack_days, j.duration_days, j.baseline_duration_days, j.start_date,
        j.finish_date, j.actual_start_date, j.completed_date, j.baseline_finish_date, j.assignee
    from judged j
    cross join cfg
)

select * from final
