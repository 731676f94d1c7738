-- _source_roles
-- Every source in the store (an export's tool and dataset, as in the `source` columns) with the
-- kind of export it is (config [projects] sources: register, status, task, finance, other) and
-- its rank in each group of project fields' precedence (config [projects.precedence]; 1 wins,
-- 99 = not listed). Which source wins for which field is configuration, never SQL.
-- params: (none)
-- reads: ingests, settings_project_precedence, settings_project_sources
-- grain: source
-- columns: source, role, identity_rank, dates_rank, budget_rank, progress_rank, health_rank
with sources as (
    select distinct source from ingests where source is not null
),

roles as (
    -- "tool:dataset" in the settings beats "tool"
    select
        s.source,
        coalesce(
            (select any_value(k.role) from settings_project_sources k
             where k.key = split_part(s.source, ':', 1) || ':' || split_part(s.source, ':', 2)),
            (select any_value(k.role) from settings_project_sources k
             where k.key = split_part(s.source, ':', 1)),
            'other') as role
    from sources s
),

final as (
    select
        r.source,
        r.role,
        coalesce(min(p.rank) filter (where p.field_group = 'identity'), 99) as identity_rank,
        coalesce(min(p.rank) filter (where p.field_group = 'dates'), 99) as dates_rank,
        coalesce(min(p.rank) filter (where p.field_group = 'budget'), 99) as budget_rank,
        coalesce(min(p.rank) filter (where p.field_group = 'progress'), 99) as progress_rank,
        coalesce(min(p.rank) filter (where p.field_group = 'health'), 99) as health_rank
    from roles r
    left join settings_project_precedence p on p.role = r.role
    group by r.source, r.role
)

select * from final
