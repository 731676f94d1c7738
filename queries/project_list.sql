-- project_list
-- The projects the shared filters select, for the project picker: id, name, portfolio and the
-- latest computed overall health.
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all)
-- reads: filtered_projects, project_health
-- grain: project_id
-- columns: project_id, project_name, portfolio, overall_health
with
selected as (
    select project_id, project_name, portfolio
    from filtered_projects($portfolio, $program, $department, $manager, $stage)
),

latest as (
    select project_id, overall_health
    from project_health
    where is_latest
),

final as (
    select s.project_id, s.project_name, s.portfolio, l.overall_health
    from selected s
    left join latest l on l.project_id = s.project_id
)

select * from final
order by project_id
