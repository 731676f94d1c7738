-- unmatched_projects
-- Projects no register export lists and no analyst has decided on: each was created from another
-- tool's export (a task tracker, status reports, a ledger ...) because its id matched no
-- register project by key, alias or name. The Data page lists them so an analyst links each to
-- a register project or keeps it as a project of its own (pmo link, or project_links). Empty
-- when the store has no register at all. `suggestions`: up to three register projects whose
-- names are closest (Jaro-Winkler similarity of the normalised names, at least 0.8).
-- params: (none)
-- reads: _project_rows, projects, seg_project_links
-- grain: project_id
-- columns: project_id, project_name, sources, kinds, as_of, suggestions
with register as (
    select distinct project_id, project_name from _project_rows where role = 'register'
),

decided as (
    select alias from seg_project_links
),

candidates as (
    select r.project_id,
           list(distinct r.source order by r.source) as sources,
           list(distinct r.role order by r.role) as kinds
    from _project_rows r
    where exists (select 1 from register)
    group by r.project_id
    having not list_contains(list(r.role), 'register')
),

scored as (
    select c.project_id, g.project_id as suggestion, g.project_name as suggestion_name,
           jaro_winkler_similarity(
               regexp_replace(lower(strip_accents(coalesce(p.project_name, c.project_id))), '[^a-z0-9]+', ' ', 'g'),
               regexp_replace(lower(strip_accents(coalesce(g.project_name, g.project_id))), '[^a-z0-9]+', ' ', 'g')) as score
    from candidates c
    join projects p on p.project_id = c.project_id
    cross join register g
),

suggested as (
    select project_id,
           list(suggestion || ' · ' || coalesce(suggestion_name, '') order by score desc, suggestion)[1:3] as suggestions
    from scored
    where score >= 0.8
    group by project_id
),

final as (
    select c.project_id, p.project_name, c.sources, c.kinds, p.as_of,
           coalesce(s.suggestions, []::varchar[]) as suggestions
    from candidates c
    join projects p on p.project_id = c.project_id
    left join suggested s on s.project_id = c.project_id
    where c.project_id not in (select alias from decided)
)

select * from final
order by project_id
