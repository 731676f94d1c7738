-- priority_candidates
-- The projects the shared filters select, as prioritisation candidates: stage, the register
-- budget as the cost of selecting the project, and its open risk exposure (the sum of the
-- 1-25 exposure of its open risks in the RAID register) for the bubble size.
-- params: $portfolio VARCHAR (NULL = all), $program VARCHAR (NULL = all), $department VARCHAR (NULL = all), $manager VARCHAR (NULL = all), $stage VARCHAR (NULL = all)
-- reads: filtered_projects, raid_items
-- grain: project_id
-- columns: project_id, project_name, portfolio, program, department, manager, stage, priority_cost, risk_exposure, open_risks
with risk as (
    select project_id, sum(exposure)::double as risk_exposure, count(*) as open_risks
    from raid_items
    where is_open and kind = 'risk'
    group by project_id
)
select
    p.project_id,
    p.project_name,
    p.portfolio,
    p.program,
    p.department,
    p.manager,
    p.stage,
    p.budget as priority_cost,
    r.risk_exposure,
    coalesce(r.open_risks, 0) as open_risks
from filtered_projects($portfolio, $program, $department, $manager, $stage) p
left join risk r using (project_id)
order by p.project_id
