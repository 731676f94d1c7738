-- _project_alias
-- Which project an id used by some export means: alias -> project_id. In order of precedence:
-- 1. an analyst's link on the Data page (project_links, decision 'link');
-- 2. the ids a project's own rows list for it (external_ids: Project Online's JiraProjectKey, a
--    ServiceNow project's name that its status reports use ...);
-- 3. the same name: an id (or project name) that exports other than the register use, whose
--    normalised text (case, accents, spaces and punctuation ignored) equals the name or id of
--    exactly one register project - unless an analyst decided to keep it as a project of its own.
-- At each level an alias that points at two projects is left alone (the Data page lists it).
-- params: (none)
-- cache: summary
-- reads: _source_roles, seg_allocations, seg_project_links, seg_projects, seg_risks, seg_stage_gates, seg_status_snapshots, seg_tasks, seg_time_entries
-- grain: alias
-- columns: alias, project_id, matched_by
with register as (
    select distinct p.project_id, p.project_name
    from seg_projects p
    join _source_roles r on r.source = p.source
    where r.role = 'register' and p.project_id is not null
),

register_keys as (
    select project_id, regexp_replace(lower(strip_accents(project_id)), '[^a-z0-9]', '', 'g') as key
    from register
    union
    select project_id, regexp_replace(lower(strip_accents(project_name)), '[^a-z0-9]', '', 'g')
    from register where project_name is not null
),

kept_apart as (
    select alias from seg_project_links where decision = 'new'
),

linked as (
    select alias, project_id, 1 as level, 'linked on the Data page' as matched_by
    from seg_project_links where decision = 'link'
),

listed as (
    select distinct unnest(coalesce(external_ids, [])) as alias, project_id, 2 as level,
           'listed by the project''s own export' as matched_by
    from seg_projects
),

other_ids as (
    -- ids and names the non-register exports use for their projects
    select distinct p.project_id as alias, p.project_name as name
    from seg_projects p join _source_roles r on r.source = p.source
    where r.role <> 'register'
    union select distinct project_id, project_id from seg_tasks
    union select distinct project_id, project_id from seg_status_snapshots
    union select distinct project_id, project_id from seg_risks
    union select distinct project_id, project_name from seg_time_entries
    union select distinct project_id, project_name from seg_allocations
    union select distinct project_id, project_id from seg_stage_gates
),

named as (
    select distinct o.alias, k.project_id, 3 as level, 'same name as the register''s project' as matched_by
    from other_ids o
    join register_keys k
      on k.key <> ''
     and k.key in (regexp_replace(lower(strip_accents(o.alias)), '[^a-z0-9]', '', 'g'),
                   regexp_replace(lower(strip_accents(coalesce(o.name, ''))), '[^a-z0-9]', '', 'g'))
    where o.alias not in (select project_id from register)
      and o.alias not in (select alias from kept_apart)
),

candidates as (
    select * from linked
    union all select * from listed
    union all select * from named
),

best as (
    select * from candidates
    where alias is not null and alias <> project_id
    qualify level = min(level) over (partition by alias)
),

final as (
    select alias, any_value(project_id) as project_id, any_value(matched_by) as matched_by
    from best
    group by alias
    having count(distinct project_id) = 1
)

select * from final
