-- task_links
-- Schedule logic of plans, one row per predecessor link (the canonical table), with the project
-- resolved through project aliases like the other canonical views (a GUID -> the project code).
-- params: (none)
-- reads: _project_alias, seg_task_links
-- grain: project_id, task_id, predecessor_id, source
-- columns: project_id, task_id, predecessor_id, link_type, lag_days, lag_text, source, as_of
select
    coalesce(a.project_id, l.project_id) as project_id,
    l.task_id,
    l.predecessor_id,
    l.link_type,
    l.lag_days,
    l.lag_text,
    l.source,
    l.as_of
from seg_task_links l
left join _project_alias a on a.alias = l.project_id
