-- _project_rows
-- Every row that describes a project, from any export, with its project id resolved
-- (_project_alias) and the source's rank in each field group's precedence (_source_roles):
-- - an export's own project rows (the register, Jira projects, ServiceNow pm_project, Smartsheet
--   and Clarity summaries ...);
-- - one row per project and source derived from its tasks (Asana, monday.com, Azure DevOps ...):
--   start = the earliest task start, finish = the latest task finish or due date, progress = the
--   share of leaf tasks done (a task's own % complete where the tool gives one; work under way
--   without a figure counts as not done);
-- - one row per project and source from its latest status report;
-- - one row per project and source that logs or plans hours on it (its id and name);
-- - one row per project and source that books costs in a ledger, lists risks or gates (the id only).
-- `derived` orders an export's own row before rows derived from its other tables.
-- params: (none)
-- reads: _project_alias, _source_roles, allocations, ledger_monthly, risks, seg_projects, stage_gates, status_snapshots, tasks, time_entries
-- grain: project_id, source, derived
-- columns: project_id, source, derived, project_name, portfolio, program, department, manager, sponsor, stage, priority, start_date, finish_date, baseline_start_date, baseline_finish_date, actual_finish_date, percent_complete, reported_health, currency, budget_original, external_ids, as_of, role, identity_rank, dates_rank, budget_rank, progress_rank, health_rank
with own as (
    select
        coalesce(a.project_id, p.project_id) as project_id,
        p.source,
        0 as derived,
        p.project_name, p.portfolio, p.program, p.department, p.manager, p.sponsor, p.stage,
        p.priority, p.start_date, p.finish_date, p.baseline_start_date, p.baseline_finish_date,
        p.actual_finish_date, p.percent_complete, p.reported_health, p.currency,
        coalesce(p.budget_original, p.budget) as budget_original, p.external_ids, p.as_of
    from seg_projects p
    left join _project_alias a on a.alias = p.project_id
    where p.project_id is not null
),

from_tasks as (
    select
        project_id,
        source,
        1 as derived,
        min(start_date) as start_date,
        max(coalesce(finish_date, due_date)) as finish_date,
        avg(coalesce(percent_complete, case when status_category = 'done' then 1.0 else 0.0 end))
            filter (where not coalesce(is_summary, false)) as percent_complete,
        max(as_of) as as_of
    from tasks
    where project_id is not null
    group by project_id, source
),

from_status as (
    select project_id, source, 2 as derived, percent_complete, reported_health, finish_date, as_of
    from status_snapshots
    where project_id is not null
    qualify row_number() over (partition by project_id, source order by as_of desc) = 1
),

from_work as (
    -- timesheets and allocations name their projects (a code and often a name)
    select project_id, source, 3 as derived, min(project_name) as project_name
    from (select project_id, project_name, source from time_entries
          union all select project_id, project_name, source from allocations)
    where project_id is not null
    group by project_id, source
),

from_costs_and_risks as (
    select distinct project_id, source, 3 as derived from ledger_monthly where project_id is not null
    union
    select distinct project_id, source, 3 as derived from risks where project_id is not null
    union
    select distinct project_id, source, 3 as derived from stage_gates where project_id is not null
),

all_rows as (
    select * from own
    union all by name select * from from_tasks
    union all by name select * from from_status
    union all by name select * from from_work
    union all by name select * from from_costs_and_risks
),

final as (
    select
        a.project_id, a.source, a.derived, a.project_name, a.portfolio, a.program, a.department,
        a.manager, a.sponsor, a.stage, a.priority, a.start_date, a.finish_date,
        a.baseline_start_date, a.baseline_finish_date, a.actual_finish_date, a.percent_complete,
        a.reported_health, a.currency, a.budget_original, a.external_ids, a.as_of,
        coalesce(s.role, 'other') as role,
        coalesce(s.identity_rank, 99) as identity_rank,
        coalesce(s.dates_rank, 99) as dates_rank,
        coalesce(s.budget_rank, 99) as budget_rank,
        coalesce(s.progress_rank, 99) as progress_rank,
        coalesce(s.health_rank, 99) as health_rank
    from all_rows a
    left join _source_roles s on s.source = a.source
)

select * from final
