-- project_dependencies
-- One project's blocking links at either end (raid_dependencies, judged at each link's export
-- date), known by the selected date (exported on or before it; NULL = all): what blocks the
-- project's items and what its items block.
-- params: $project_id VARCHAR, $as_of DATE (NULL = the newest exports)
-- reads: projects, raid_dependencies
-- grain: project_id, item_id, blocker_project_id, blocker_id
-- columns: project_id, project_name, item_id, item_title, dependent_start, blocker_project_id, blocker_project_name, blocker_id, blocker_title, blocker_due, is_blocked, is_at_risk, is_cross_project, in_cycle, is_unresolved, blocker_slip_days, link_type, tool, export_date
select
    d.project_id, p.project_name, d.item_id, d.item_title, d.dependent_start,
    d.blocker_project_id, bp.project_name as blocker_project_name, d.blocker_id, d.blocker_title, d.blocker_due,
    d.is_blocked, d.is_at_risk, d.is_cross_project, d.in_cycle, d.is_unresolved, d.slip_days as blocker_slip_days,
    d.link_type, split_part(d.source, ':', 1) as tool, d.as_of as export_date
from raid_dependencies d
left join projects p on p.project_id = d.project_id
left join projects bp on bp.project_id = d.blocker_project_id
where (d.project_id = $project_id or d.blocker_project_id = $project_id)
  and ($as_of::date is null or d.as_of is null or d.as_of <= $as_of::date)
order by d.in_cycle desc, d.is_at_risk desc, d.is_blocked desc, d.slip_days desc nulls last, d.project_id, d.item_id
