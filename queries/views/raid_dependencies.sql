-- raid_dependencies
-- The dependency graph: one row per blocking link (an edge from the blocker to the blocked item),
-- with both ends described (title, open or not, dates) and the rules judged at the link's export
-- date (as_of): blocked = the blocked item is open and its blocker is open; at risk = the blocker
-- is open and due after the dependent's start (a task's start; a RAID item's due date, when it is
-- needed; a project's start); cross-project = the two ends belong to different projects;
-- in_cycle = the link is part of a cycle (raid_dependency_cycles: a data error); unresolved = the
-- blocker was found in no project. An end is a task (tasks), a RAID item (risks) or, without an
-- item, the whole project (open until its actual finish; due at its finish date).
-- params: (none)
-- cache: summary
-- reads: dependencies, projects, raid_dependency_cycles, raid_is_open, risks, tasks
-- grain: project_id, item_id, blocker_project_id, blocker_id
-- columns: project_id, item_id, item_title, item_open, dependent_start, blocker_project_id, blocker_id, blocker_title, blocker_open, blocker_due, link_type, is_blocked, is_at_risk, is_cross_project, in_cycle, is_unresolved, slip_days, source, as_of, portfolio, blocker_portfolio
with
task_nodes as (
    select
        project_id, task_id as id, task_name as title,
        coalesce(status_category, '') <> 'done' and coalesce(percent_complete, 0) < 1 as is_open,
        start_date as start_at,
        coalesce(due_date, finish_date) as due_at
    from tasks
    where task_id is not null
    qualify row_number() over (partition by project_id, task_id order by as_of desc nulls last, source) = 1
),

item_nodes as (
    select
        project_id, item_id as id, title,
        -- an undated export: judged at its own closed date (closed when it has one), never at
        -- today's date, so the table saved for a version reads the same on every day
        raid_is_open(status_category, status, closed_date, coalesce(as_of, closed_date)) as is_open,
        due_date as start_at,
        due_date as due_at
    from risks
    where item_id is not null
    qualify row_number() over (partition by project_id, item_id order by as_of desc nulls last, source) = 1
),

nodes as (
    select * from task_nodes
    union all
    select i.* from item_nodes i
    where not exists (select 1 from task_nodes t where t.project_id = i.project_id and t.id = i.id)
),

project_nodes as (
    select project_id, project_name as title, actual_finish_date is null as is_open,
           start_date as start_at, finish_date as due_at, portfolio
    from projects
),

cycle_links as (
    select distinct m.members[i] as src, m.members[i % len(m.members) + 1] as dst
    from raid_dependency_cycles m, range(1, len(m.members) + 1) r(i)
),

edges as (
    select
        d.*,
        coalesce(n.title, case when d.item_id is null then p.title end) as item_title,
        coalesce(n.is_open, case when d.item_id is null then p.is_open end) as item_open,
        coalesce(n.start_at, case when d.item_id is null then p.start_at end) as dependent_start,
        coalesce(bn.title, case when d.blocker_id is null then bp.title end) as blocker_title,
        coalesce(bn.is_open, case when d.blocker_id is null then bp.is_open end) as blocker_open,
        coalesce(bn.due_at, case when d.blocker_id is null then bp.due_at end) as blocker_due,
        p.portfolio,
        bp.portfolio as blocker_portfolio
    from dependencies d
    left join nodes n on n.project_id = d.project_id and n.id = d.item_id
    left join project_nodes p on p.project_id = d.project_id
    left join nodes bn on bn.project_id = d.blocker_project_id and bn.id = d.blocker_id
    left join project_nodes bp on bp.project_id = d.blocker_project_id
),

final as (
    select
        e.project_id, e.item_id, e.item_title, e.item_open, e.dependent_start,
        e.blocker_project_id, e.blocker_id, e.blocker_title, e.blocker_open, e.blocker_due,
        e.link_type,
        coalesce(e.item_open, true) and coalesce(e.blocker_open, false) as is_blocked,
        coalesce(coalesce(e.blocker_open, false) and e.blocker_due > e.dependent_start, false) as is_at_risk,
        e.blocker_project_id is not null and e.blocker_project_id <> e.project_id as is_cross_project,
        exists (select 1 from cycle_links c
                where c.src = coalesce(e.blocker_project_id, '?') || '/' || coalesce(e.blocker_id, '*')
                  and c.dst = e.project_id || '/' || coalesce(e.item_id, '*')) as in_cycle,
        e.blocker_project_id is null as is_unresolved,
        case when coalesce(e.blocker_open, false) and e.blocker_due > e.dependent_start
             then datediff('day', e.dependent_start, e.blocker_due) end as slip_days,
        e.source, e.as_of, e.portfolio, e.blocker_portfolio
    from edges e
)

select * from final
